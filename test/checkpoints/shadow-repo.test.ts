import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, it } from "vitest";
import { gitAvailable } from "../../src/checkpoints/git.js";
import { CheckpointMissing, MAX_FILE_BYTES, ShadowRepo } from "../../src/checkpoints/shadow-repo.js";
import { tempRepo } from "../helpers.js";
import { describeIfAvailable } from "../requires.js";

const home = () => mkdtempSync(path.join(os.tmpdir(), "colleague-home-"));
const userGit = (cwd: string, ...args: string[]) => execFileSync("git", args, { cwd, encoding: "utf8" });

/** The user's repository: one commit, a .gitignore, an info/exclude entry. */
function userRepo(): string {
  const ws = tempRepo({ "a.txt": "a1\n", "src/b.txt": "b1\n", ".gitignore": "build/\n*.log\n" });
  userGit(ws, "init", "-q");
  userGit(ws, "-c", "user.name=t", "-c", "user.email=t@t", "add", "-A");
  userGit(ws, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "first");
  writeFileSync(path.join(ws, ".git", "info", "exclude"), "secret.txt\n");
  return ws;
}

/** Everything under .git, as path → content, to prove it was not touched. */
function gitState(ws: string): string {
  return execFileSync("sh", ["-c", "cd .git && find . -type f | sort | xargs sha1sum"], { cwd: ws, encoding: "utf8" });
}

describeIfAvailable("the shadow repository", gitAvailable() ? undefined : "git is not installed", () => {
  it("restores a deleted file and a changed one, removes a new one, and leaves ignored files and .git alone", async () => {
    const ws = userRepo();
    const before = gitState(ws);
    const repo = new ShadowRepo(home(), ws);
    const first = await repo.snapshot("s-1");
    expect(first.changed).toBe(true);

    rmSync(path.join(ws, "a.txt"));
    writeFileSync(path.join(ws, "src/b.txt"), "b2\n");
    writeFileSync(path.join(ws, "src/new.txt"), "new\n");
    writeFileSync(path.join(ws, "run.log"), "ignored by .gitignore\n");
    writeFileSync(path.join(ws, "secret.txt"), "ignored by info/exclude\n");

    const result = await repo.restore(first.commit);
    expect(readFileSync(path.join(ws, "a.txt"), "utf8")).toBe("a1\n");
    expect(readFileSync(path.join(ws, "src/b.txt"), "utf8")).toBe("b1\n");
    expect(existsSync(path.join(ws, "src/new.txt"))).toBe(false);
    expect(existsSync(path.join(ws, "run.log"))).toBe(true);
    expect(existsSync(path.join(ws, "secret.txt"))).toBe(true);
    expect(result.removed).toEqual(["src/new.txt"]);
    expect(result.restored.sort()).toEqual(["a.txt", "src/b.txt"]);
    expect(gitState(ws)).toBe(before);
    expect(userGit(ws, "status", "--porcelain")).toBe("");

    // The rewind can itself be undone: the state before it was recorded.
    await repo.restore(result.before);
    expect(readFileSync(path.join(ws, "src/new.txt"), "utf8")).toBe("new\n");
    expect(existsSync(path.join(ws, "a.txt"))).toBe(false);
  });

  it("reuses the last commit when nothing changed", async () => {
    const ws = tempRepo({ "a.txt": "a\n" });
    const repo = new ShadowRepo(home(), ws);
    const one = await repo.snapshot("s-1");
    const two = await repo.snapshot("s-2");
    expect(two).toEqual({ commit: one.commit, changed: false });
    writeFileSync(path.join(ws, "a.txt"), "b\n");
    const three = await repo.snapshot("s-3");
    expect(three.changed).toBe(true);
    expect(three.commit).not.toBe(one.commit);
    expect(await repo.refs()).toHaveLength(2);
  });

  it("skips files over 2 MB, and does not remove them on restore", async () => {
    const ws = tempRepo({ "small.txt": "s\n" });
    const repo = new ShadowRepo(home(), ws);
    const first = await repo.snapshot("s-1");
    writeFileSync(path.join(ws, "big.bin"), Buffer.alloc(MAX_FILE_BYTES + 1, 7));
    writeFileSync(path.join(ws, "small.txt"), "changed\n");
    const second = await repo.snapshot("s-2");
    const listed = execFileSync("git", ["--git-dir", repo.gitDir, "ls-tree", "-r", "--name-only", second.commit], { encoding: "utf8" });
    expect(listed.trim().split("\n")).toEqual(["small.txt"]);
    await repo.restore(first.commit);
    expect(existsSync(path.join(ws, "big.bin"))).toBe(true);
    expect(readFileSync(path.join(ws, "small.txt"), "utf8")).toBe("s\n");
  });

  it("keeps taking snapshots after a file it holds grows past 2 MB", async () => {
    const ws = tempRepo({ "small.txt": "s\n", "data.bin": "small for now\n" });
    const repo = new ShadowRepo(home(), ws);
    const first = await repo.snapshot("s-1");
    writeFileSync(path.join(ws, "data.bin"), Buffer.alloc(MAX_FILE_BYTES + 1, 7));
    const grown = await repo.snapshot("s-2");
    writeFileSync(path.join(ws, "small.txt"), "changed\n");
    const next = await repo.snapshot("s-3");
    const listed = (commit: string) => execFileSync("git", ["--git-dir", repo.gitDir, "ls-tree", "-r", "--name-only", commit], { encoding: "utf8" }).trim().split("\n");
    expect(listed(first.commit)).toEqual(["data.bin", "small.txt"]);
    expect(listed(grown.commit)).toEqual(["small.txt"]);
    expect(execFileSync("git", ["--git-dir", repo.gitDir, "show", `${next.commit}:small.txt`], { encoding: "utf8" })).toBe("changed\n");
  });

  it("prunes the oldest checkpoints past the disk cap; a pruned one says so", async () => {
    const ws = tempRepo();
    // 0.2 MB cap; each snapshot adds ~100 KB of incompressible bytes.
    const repo = new ShadowRepo(home(), ws, { maxMb: 0.2 });
    const commits: string[] = [];
    for (let i = 0; i < 6; i++) {
      rmSync(path.join(ws, `blob-${i - 1}.bin`), { force: true });
      writeFileSync(path.join(ws, `blob-${i}.bin`), randomBytes(100_000, i + 1));
      commits.push((await repo.snapshot(`s-${i}`)).commit);
    }
    expect(await repo.sizeBytes()).toBeLessThanOrEqual(0.2 * 1024 * 1024);
    expect(await repo.has(commits[0]!)).toBe(false);
    expect(await repo.has(commits[5]!)).toBe(true);
    expect((await repo.refs()).length).toBeLessThan(6);
    await expect(repo.restore(commits[0]!)).rejects.toBeInstanceOf(CheckpointMissing);
  });
});

/** Deterministic bytes that do not compress. */
function randomBytes(n: number, seed: number): Buffer {
  const out = Buffer.alloc(n);
  let x = seed * 2654435761 + 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}
