import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";
import { gitAvailable } from "../../src/checkpoints/git.js";
import { ShadowRepo } from "../../src/checkpoints/shadow-repo.js";
import { type StatWalk, sameWalk, walkWorkspace } from "../../src/checkpoints/workspace-stat.js";
import { tempRepo } from "../helpers.js";
import { describeIfAvailable } from "../requires.js";
import { home, settle, withoutGit } from "./shadow-helpers.js";

const filesOf = (repo: ShadowRepo, commit: string) =>
  execFileSync("git", ["--git-dir", repo.gitDir, "ls-tree", "-r", "--name-only", commit], { encoding: "utf8" }).trim().split("\n").sort();

describeIfAvailable("snapshots proven unchanged by a stat walk", gitAvailable() ? undefined : "git is not installed", () => {
  it("reuses the last commit without running git, and still sees a same-size rewrite", async () => {
    const ws = tempRepo({ "a.txt": "a1\n", "src/b.txt": "b1\n" });
    const repo = new ShadowRepo(home(), ws);
    const first = await repo.snapshot("s-1");
    await settle();
    await repo.snapshot("s-2"); // the walk before this one was too fresh to trust
    expect(await withoutGit(() => repo.snapshot("s-3"))).toEqual({ commit: first.commit, changed: false });

    // Same size: only the timestamps and the content differ.
    writeFileSync(path.join(ws, "src/b.txt"), "b2\n");
    const changed = await repo.snapshot("s-4");
    expect(changed.changed).toBe(true);
    expect(changed.commit).not.toBe(first.commit);
  });

  it("compares files written within a timestamp tick of the walk by content, as their stat cannot tell", () => {
    const ws = tempRepo({ "a.txt": "a1\n", "b.txt": "b\n" });
    const before = walkWorkspace(ws, new Set(), 1024, 1000);
    expect(before?.hashes.has("a.txt")).toBe(true);
    // A rewrite in the same tick leaves the same stat: simulated by keeping the old entries.
    writeFileSync(path.join(ws, "a.txt"), "a2\n");
    const sameStat = (): StatWalk => ({ entries: new Map(before?.entries), hashes: new Map(), racy: false, ignoreKey: "", ignoreNewest: 0 });
    expect(sameWalk(before as StatWalk, sameStat(), ws)).toBe(false);
    writeFileSync(path.join(ws, "a.txt"), "a1\n");
    expect(sameWalk(before as StatWalk, sameStat(), ws)).toBe(true);
  });

  it("ignores changes inside a folder git ignores, without running git", async () => {
    const ws = tempRepo({ "a.txt": "a\n", ".gitignore": "node_modules/\n", "node_modules/x/index.js": "1\n" });
    const repo = new ShadowRepo(home(), ws);
    const first = await repo.snapshot("s-1");
    await settle();
    await repo.snapshot("s-2");
    writeFileSync(path.join(ws, "node_modules/x/index.js"), "2\n");
    mkdirSync(path.join(ws, "node_modules/y"));
    writeFileSync(path.join(ws, "node_modules/y/new.js"), "3\n");
    expect(await withoutGit(() => repo.snapshot("s-3"))).toEqual({ commit: first.commit, changed: false });
  });

  it("asks git which folders are ignored when only a nested folder has a .gitignore", async () => {
    const ws = tempRepo({ "a.txt": "a\n", "web/.gitignore": "dist/\n", "web/dist/app.js": "1\n", "web/src/app.ts": "2\n" });
    const repo = new ShadowRepo(home(), ws);
    const first = await repo.snapshot("s-1");
    expect(filesOf(repo, first.commit)).toEqual(["a.txt", "web/.gitignore", "web/src/app.ts"]);
    await settle();
    await repo.snapshot("s-2");
    // The ignored folder is skipped by the walk: a change there is no change.
    writeFileSync(path.join(ws, "web/dist/app.js"), "changed\n");
    expect(await withoutGit(() => repo.snapshot("s-3"))).toEqual({ commit: first.commit, changed: false });
  });

  it("catches a file that a negated pattern lets into a folder whose files were all ignored", async () => {
    const ws = tempRepo({ "a.txt": "a\n", ".gitignore": "logs/*\n!logs/keep.txt\n", "logs/run.log": "x\n" });
    const repo = new ShadowRepo(home(), ws);
    await repo.snapshot("s-1");
    await settle();
    await repo.snapshot("s-2");
    writeFileSync(path.join(ws, "logs/keep.txt"), "kept\n");
    const next = await repo.snapshot("s-3");
    expect(next.changed).toBe(true);
    expect(filesOf(repo, next.commit)).toEqual([".gitignore", "a.txt", "logs/keep.txt"]);
  });

  it("walks a folder again once a .gitignore no longer ignores it", async () => {
    const ws = tempRepo({ "a.txt": "a\n", ".gitignore": "build/\n", "build/out.js": "1\n" });
    const repo = new ShadowRepo(home(), ws);
    const first = await repo.snapshot("s-1");
    expect(filesOf(repo, first.commit)).toEqual([".gitignore", "a.txt"]);
    await settle();
    writeFileSync(path.join(ws, ".gitignore"), "dist/\n");
    const second = await repo.snapshot("s-2");
    expect(filesOf(repo, second.commit)).toEqual([".gitignore", "a.txt", "build/out.js"]);
    await settle();
    await repo.snapshot("s-3");
    writeFileSync(path.join(ws, "build/out.js"), "2\n");
    const third = await repo.snapshot("s-4");
    expect(third.changed).toBe(true);
  });

  it("takes a new snapshot after a restore, and after a file was deleted", async () => {
    const ws = tempRepo({ "a.txt": "a\n", "b.txt": "b\n" });
    const repo = new ShadowRepo(home(), ws);
    const first = await repo.snapshot("s-1");
    writeFileSync(path.join(ws, "a.txt"), "changed\n");
    const second = await repo.snapshot("s-2");
    await repo.restore(first.commit);
    await settle();
    expect((await repo.snapshot("s-3")).commit).toBe(first.commit);
    await settle();
    rmSync(path.join(ws, "b.txt"));
    const fourth = await repo.snapshot("s-4");
    expect(fourth.changed).toBe(true);
    expect(fourth.commit).not.toBe(second.commit);
    expect(filesOf(repo, fourth.commit)).toEqual(["a.txt"]);
  });

  it("keeps the disk cap when small snapshots skip measuring the repository", async () => {
    const ws = tempRepo({ "a.txt": "a\n" });
    const repo = new ShadowRepo(home(), ws, { maxMb: 0.5 });
    for (let i = 0; i < 8; i++) {
      writeFileSync(path.join(ws, "a.txt"), `small change ${i}\n`);
      await repo.snapshot(`small-${i}`);
    }
    const big: string[] = [];
    for (let i = 0; i < 3; i++) {
      rmSync(path.join(ws, `big-${i - 1}.bin`), { force: true });
      writeFileSync(path.join(ws, `big-${i}.bin`), noise(200_000, i + 1));
      big.push((await repo.snapshot(`big-${i}`)).commit);
    }
    expect(await repo.sizeBytes()).toBeLessThanOrEqual(0.5 * 1024 * 1024);
    expect(await repo.has(big[2]!)).toBe(true);
  });
});

/** Deterministic bytes that do not compress. */
function noise(n: number, seed: number): Buffer {
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
