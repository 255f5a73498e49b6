import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, expect, it } from "vitest";
import { CHECKPOINT_IDENT, createBareRepo, gitDate, writeCommit, writeLooseObject, writeRef } from "../../src/checkpoints/git-files.js";
import { GitError, gitAvailable, runGitAfter } from "../../src/checkpoints/git.js";
import { refName, ShadowRepo } from "../../src/checkpoints/shadow-repo.js";
import { tempRepo } from "../helpers.js";
import { describeIfAvailable } from "../requires.js";

const tmp = (prefix: string) => mkdtempSync(path.join(os.tmpdir(), prefix));

/** git against one repository, with no system or global config (as src/checkpoints/git.ts runs it). */
function git(gitDir: string, args: string[], env: Record<string, string> = {}, input?: string): string {
  return execFileSync("git", args, {
    encoding: "utf8",
    input,
    // fsck's notices about the unborn HEAD stay out of the test output.
    stdio: "pipe",
    env: {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: tmp("colleague-git-home-"),
      LC_ALL: "C",
      GIT_CONFIG_NOSYSTEM: "1",
      GIT_CONFIG_GLOBAL: "/dev/null",
      GIT_DIR: gitDir,
      ...env,
    },
  });
}

const ident = {
  GIT_AUTHOR_NAME: CHECKPOINT_IDENT.name,
  GIT_AUTHOR_EMAIL: CHECKPOINT_IDENT.email,
  GIT_COMMITTER_NAME: CHECKPOINT_IDENT.name,
  GIT_COMMITTER_EMAIL: CHECKPOINT_IDENT.email,
};
const fsck = (gitDir: string) => git(gitDir, ["fsck", "--strict", "--no-dangling", "--no-progress"]);
const emptyTree = (gitDir: string) => git(gitDir, ["hash-object", "-t", "tree", "-w", "--stdin"], {}, "").trim();

const realTz = process.env.TZ;
afterEach(() => {
  if (realTz === undefined) delete process.env.TZ;
  else process.env.TZ = realTz;
});

describeIfAvailable("the shadow repository's files written in process", gitAvailable() ? undefined : "git is not installed", () => {
  it("creates a bare repository that git takes for one it made itself", () => {
    const ours = path.join(tmp("colleague-gf-"), "shadow");
    expect(createBareRepo(ours, "colleague checkpoints of /w\n")).toBe(true);
    const theirs = path.join(tmp("colleague-gf-"), "shadow");
    git(theirs, ["init", "--quiet", "--bare"]);
    // The same settings (git's file-mode and case probes give the same answers on one file system).
    expect(git(ours, ["config", "--file", path.join(ours, "config"), "--list"])).toBe(git(theirs, ["config", "--file", path.join(theirs, "config"), "--list"]));
    expect(git(ours, ["rev-parse", "--is-bare-repository"]).trim()).toBe("true");
    expect(git(ours, ["symbolic-ref", "HEAD"]).trim()).toBe(git(theirs, ["symbolic-ref", "HEAD"]).trim());
    expect(readFileSync(path.join(ours, "description"), "utf8")).toBe("colleague checkpoints of /w\n");
    expect(readdirSync(ours).sort()).toEqual(["HEAD", "config", "description", "info", "objects", "refs"]);
    fsck(ours);
    // A second call (another process racing to create it) finds the folder there and changes nothing.
    expect(createBareRepo(ours, "colleague checkpoints of /w\n")).toBe(false);
    fsck(ours);
  });

  it("writes the commit git commit-tree writes, byte for byte", () => {
    const gitDir = path.join(tmp("colleague-gf-"), "shadow");
    createBareRepo(gitDir, "test\n");
    const tree = emptyTree(gitDir);
    const when = new Date(Date.UTC(2026, 11, 2, 9, 30, 15, 600));
    const date = gitDate(when);
    const env = { ...ident, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date };
    for (const message of ["mx67s0dxoqs14c-5-call_4_0", "before rewind", "two\nlines\n", "ünïcødé ✓"]) {
      const ours = writeCommit(gitDir, tree, message, when);
      const theirs = git(gitDir, ["commit-tree", tree, "-m", message], env).trim();
      expect(ours).toBe(theirs);
      expect(git(gitDir, ["cat-file", "-t", ours]).trim()).toBe("commit");
    }
    fsck(gitDir);
  });

  it("formats the date as git does in the local time zone", () => {
    const gitDir = path.join(tmp("colleague-gf-"), "shadow");
    createBareRepo(gitDir, "test\n");
    const tree = emptyTree(gitDir);
    for (const tz of ["UTC", "America/New_York", "Asia/Kolkata", "Pacific/Chatham"]) {
      process.env.TZ = tz;
      const author = /^author .* (\d+ [+-]\d{4})$/m.exec(git(gitDir, ["cat-file", "-p", git(gitDir, ["commit-tree", tree, "-m", tz], { ...ident, TZ: tz }).trim()]));
      const seconds = Number(author![1]!.split(" ")[0]);
      expect(gitDate(new Date(seconds * 1000 + 999))).toBe(author![1]);
    }
  });

  it("writes loose objects git reads back, and leaves one already there alone", () => {
    const gitDir = path.join(tmp("colleague-gf-"), "shadow");
    createBareRepo(gitDir, "test\n");
    const content = Buffer.from("hello\n");
    const id = writeLooseObject(gitDir, "blob", content);
    expect(id).toBe(git(gitDir, ["hash-object", "--stdin"], {}, "hello\n").trim());
    expect(git(gitDir, ["cat-file", "-p", id])).toBe("hello\n");
    expect(writeLooseObject(gitDir, "blob", content)).toBe(id);
    // No temporary file is left behind.
    expect(readdirSync(path.join(gitDir, "objects", id.slice(0, 2)))).toEqual([id.slice(2)]);
    fsck(gitDir);
  });

  it("writes refs git lists and deletes, next to packed ones, and respects a ref's lock", () => {
    const gitDir = path.join(tmp("colleague-gf-"), "shadow");
    createBareRepo(gitDir, "test\n");
    const tree = emptyTree(gitDir);
    const one = writeCommit(gitDir, tree, "one");
    writeRef(gitDir, "refs/cp/a-one", one);
    expect(git(gitDir, ["log", "--format=%H %s", "refs/cp/a-one"]).trim()).toBe(`${one} one`);
    // gc packs the refs: the loose file goes, packed-refs holds it.
    git(gitDir, ["gc", "--quiet", "--prune=now"]);
    expect(readdirSync(path.join(gitDir, "refs", "cp"))).toEqual([]);
    const two = writeCommit(gitDir, tree, "two");
    writeRef(gitDir, "refs/cp/b-two", two);
    expect(git(gitDir, ["for-each-ref", "--format=%(refname) %(objectname)", "refs/cp/"]).trim().split("\n")).toEqual([
      `refs/cp/a-one ${one}`,
      `refs/cp/b-two ${two}`,
    ]);
    // A loose ref over a packed one of the same name wins, as after git update-ref.
    writeRef(gitDir, "refs/cp/a-one", two);
    expect(git(gitDir, ["rev-parse", "refs/cp/a-one"]).trim()).toBe(two);
    git(gitDir, ["update-ref", "--stdin"], {}, "delete refs/cp/a-one\ndelete refs/cp/b-two\n");
    expect(git(gitDir, ["for-each-ref", "refs/cp/"])).toBe("");
    fsck(gitDir);
    // A git process holding the ref's lock: the write fails instead of racing it.
    mkdirSync(path.join(gitDir, "refs", "cp"), { recursive: true });
    writeFileSync(path.join(gitDir, "refs", "cp", "c.lock"), "");
    expect(() => writeRef(gitDir, "refs/cp/c", one)).toThrow(/EEXIST/);
    expect(() => writeRef(gitDir, "refs/cp/x..y", one)).toThrow(/not a valid ref name/);
    expect(() => writeRef(gitDir, "refs/cp/x.lock", one)).toThrow(/not a valid ref name/);
  });

  it("names refs that git accepts, whatever the label", () => {
    for (const label of ["s-1", "a..b", "x.lock", "x.lock-", "..", "-.-", "call/with/slashes", "ünï", "@{u}", "a b~c^d:e?f*g[h\\i"]) {
      const ref = refName(label);
      expect(ref.startsWith("refs/cp/")).toBe(true);
      execFileSync("git", ["check-ref-format", ref]);
    }
  });

  it("takes checkpoints with two git processes at most (none for files edited in place), which git fsck finds sound, also after gc", async () => {
    // A git on PATH that logs its subcommand: what the snapshots cost in processes.
    const bin = tmp("colleague-gitlog-");
    const log = path.join(bin, "log");
    const realGit = execFileSync("sh", ["-c", "command -v git"], { encoding: "utf8" }).trim();
    writeFileSync(path.join(bin, "git"), `#!/bin/sh\nfor a; do case "$a" in -c) skip=1;; *) if [ -z "$skip" ]; then echo "$a" >> "${log}"; break; fi; skip=;; esac; done\nexec "${realGit}" "$@"\n`);
    chmodSync(path.join(bin, "git"), 0o755);
    const realPath = process.env.PATH;
    process.env.PATH = `${bin}:${realPath}`;
    const ran = () => {
      if (!existsSync(log)) return [];
      const lines = readFileSync(log, "utf8").trim().split("\n");
      rmSync(log);
      return lines;
    };
    try {
      const ws = tempRepo({ "a.txt": "a1\n", "src/b.txt": "b1\n" });
      const home = tmp("colleague-home-");
      const repo = new ShadowRepo(home, ws);
      const first = await repo.snapshot("s-1");
      // A new shadow repository: no git init, and no size to measure; a workspace with no ignore
      // file needs no question about ignored folders.
      expect(ran()).toEqual(["add", "write-tree"]);
      writeFileSync(path.join(ws, "a.txt"), "a2\n");
      const second = await repo.snapshot("s-2");
      // Only a file edited in place: its blob and the tree are written here (tree-update.ts).
      expect(ran()).toEqual([]);
      expect(second.changed).toBe(true);
      fsck(repo.gitDir);
      // Two commits without parents, each with its own ref.
      const logged = git(repo.gitDir, ["log", "--format=%H|%an <%ae>|%s|%P", "--all"]).trim().split("\n");
      expect(logged.sort()).toEqual(
        [`${first.commit}|colleague <checkpoints@colleague.invalid>|s-1|`, `${second.commit}|colleague <checkpoints@colleague.invalid>|s-2|`].sort(),
      );
      expect(git(repo.gitDir, ["cat-file", "-p", `${first.commit}:a.txt`])).toBe("a1\n");

      // After gc the refs are packed; new ones are written beside them and restore still works.
      git(repo.gitDir, ["gc", "--quiet", "--prune=now"]);
      writeFileSync(path.join(ws, "src/b.txt"), "b2\n");
      writeFileSync(path.join(ws, "new.txt"), "new\n");
      const third = await repo.snapshot("s-3");
      expect(await repo.refs()).toHaveLength(3);
      const result = await repo.restore(first.commit);
      expect(readFileSync(path.join(ws, "a.txt"), "utf8")).toBe("a1\n");
      expect(readFileSync(path.join(ws, "src/b.txt"), "utf8")).toBe("b1\n");
      expect(result.removed).toEqual(["new.txt"]);
      expect(git(repo.gitDir, ["rev-parse", `${result.before}^{tree}`]).trim()).toBe(git(repo.gitDir, ["rev-parse", `${third.commit}^{tree}`]).trim());
      // before-rewind and restored joined the three snapshots' refs.
      expect(await repo.refs()).toHaveLength(5);
      fsck(repo.gitDir);
      ran();

      // Another process (a new ShadowRepo) on the same workspace finds the repository made, and
      // starts from the last snapshot's walk (saved-walk.ts): the files the restore and this edit
      // changed are stored in process.
      const again = new ShadowRepo(home, ws);
      writeFileSync(path.join(ws, "a.txt"), "a3\n");
      const fourth = await again.snapshot("s-4");
      expect(ran()).toEqual([]);
      expect(git(repo.gitDir, ["cat-file", "-p", `${fourth.commit}:a.txt`])).toBe("a3\n");
      ran();
      // Without that walk, git stages the workspace.
      rmSync(path.join(repo.gitDir, "colleague-walk.json"));
      writeFileSync(path.join(ws, "a.txt"), "a4\n");
      await new ShadowRepo(home, ws).snapshot("s-5");
      expect(ran()).toEqual(["add", "write-tree", "count-objects"]);
      // A checkpoint named by a prefix of its id: the "restored" ref gets the whole id.
      await again.restore(result.before.slice(0, 12));
      expect(readFileSync(path.join(ws, "new.txt"), "utf8")).toBe("new\n");
      const restoredRefs = (await again.refs()).filter((ref) => ref.endsWith("-restored"));
      expect(restoredRefs.map((ref) => git(repo.gitDir, ["rev-parse", ref]).trim())).toContain(result.before);
      fsck(repo.gitDir);
    } finally {
      process.env.PATH = realPath;
    }
  });
});

describeIfAvailable("two git commands from one process", gitAvailable() ? undefined : "git is not installed", () => {
  it("ignores the first one's failure, returns the second's output, and quotes every argument", async () => {
    const gitDir = tmp("colleague-git-after-");
    createBareRepo(gitDir, "test\n");
    // A config value with a quote, spaces and a `$`: passed through the shell as one word.
    const odd = "/tmp/it's a $HOME `x` file";
    const target = { gitDir, config: { "core.excludesFile": odd } };
    expect(await runGitAfter(target, ["no-such-command"], ["config", "--get", "core.excludesFile"])).toBe(`${odd}\n`);
    // The first one runs: a ref it writes is there for the second.
    const tree = emptyTree(gitDir);
    const commit = git(gitDir, ["commit-tree", tree, "-m", "c"], ident).trim();
    expect((await runGitAfter(target, ["update-ref", "refs/heads/x", commit], ["rev-parse", "refs/heads/x"])).trim()).toBe(commit);
    await expect(runGitAfter(target, ["status"], ["rev-parse", "--verify", "refs/heads/none"])).rejects.toThrow(GitError);
    await expect(runGitAfter(target, ["status"], ["rev-parse", "--verify", "refs/heads/none"])).rejects.toThrow(/^git rev-parse failed/);
    rmSync(gitDir, { recursive: true, force: true });
  });
});
