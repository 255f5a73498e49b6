import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, it } from "vitest";
import { gitAvailable } from "../../src/checkpoints/git.js";
import { MAX_SAVED_ENTRIES, saveWalk } from "../../src/checkpoints/saved-walk.js";
import { ShadowRepo } from "../../src/checkpoints/shadow-repo.js";
import { tempRepo } from "../helpers.js";
import { describeIfAvailable } from "../requires.js";
import { gitsTree, settle, shadowGit, withoutGit } from "./shadow-helpers.js";

const git = shadowGit;

/** One session's snapshots of a new workspace, the last of them on a walk old enough to trust. */
async function earlierSession(files: Record<string, string>): Promise<{ ws: string; home: string; last: string }> {
  const ws = tempRepo(files);
  const home = mkdtempSync(path.join(os.tmpdir(), "colleague-home-"));
  const repo = new ShadowRepo(home, ws);
  await repo.snapshot("s-1");
  await settle();
  // The first walks saw the files and the .gitignore just written: too fresh to trust.
  await repo.snapshot("s-2");
  await settle();
  const last = await repo.snapshot("s-3");
  return { ws, home, last: last.commit };
}

describeIfAvailable("a session starts where the last one on the workspace left off", gitAvailable() ? undefined : "git is not installed", () => {
  it("reuses the last snapshot with no git process when nothing changed in between", async () => {
    const { ws, home, last } = await earlierSession({ "a.txt": "a\n", ".gitignore": "build/\n", "build/out.js": "1\n" });
    expect(await withoutGit(() => new ShadowRepo(home, ws).snapshot("next-1"))).toEqual({ commit: last, changed: false });
  });

  it("stores what changed between sessions in process, as git would, and ignored folders stay out", async () => {
    const { ws, home } = await earlierSession({ "a.txt": "a\n", "src/b.ts": "b\n", ".gitignore": "build/\n", "build/out.js": "1\n" });
    writeFileSync(path.join(ws, "a.txt"), "edited between sessions\n");
    writeFileSync(path.join(ws, "src/c.ts"), "created\n");
    writeFileSync(path.join(ws, "build/out.js"), "2\n");
    const repo = new ShadowRepo(home, ws);
    const next = await withoutGit(() => repo.snapshot("next-1"));
    expect(next.changed).toBe(true);
    expect(git(repo, ["rev-parse", `${next.commit}^{tree}`])).toBe(gitsTree(repo));
    expect(git(repo, ["ls-tree", "-r", "--name-only", next.commit]).split("\n")).toEqual([".gitignore", "a.txt", "src/b.ts", "src/c.ts"]);
  });

  it("lets git stage the workspace when the saved snapshot was packed away, or the file is damaged", async () => {
    for (const spoil of ["gc", "damage"] as const) {
      const { ws, home } = await earlierSession({ "a.txt": "a\n", "b.txt": "b\n" });
      const repo = new ShadowRepo(home, ws);
      if (spoil === "gc") git(repo, ["gc", "--quiet", "--prune=now"]);
      else writeFileSync(path.join(repo.gitDir, "colleague-walk.json"), "{not json");
      writeFileSync(path.join(ws, "b.txt"), "changed\n");
      await expect(withoutGit(() => repo.snapshot("next-1")), spoil).rejects.toThrow(/git/);
      const next = await repo.snapshot("next-2");
      expect(git(repo, ["rev-parse", `${next.commit}^{tree}`]), spoil).toBe(gitsTree(repo));
    }
  });

  it("does not keep the walk of a workspace too large to be worth it", () => {
    const gitDir = mkdtempSync(path.join(os.tmpdir(), "colleague-saved-walk-"));
    const entries = new Map(Array.from({ length: MAX_SAVED_ENTRIES + 1 }, (_, i) => [`f${i}`, "33188:1:1:1:1"] as [string, string]));
    const walk = { entries, hashes: new Map(), racy: false, ignoreKey: "", ignoreNewest: 0 };
    const id = "0".repeat(40);
    saveWalk(gitDir, { tree: id, commit: id, walk: { ...walk, entries: new Map([["a", "33188:1:1:1:1"]]) }, ignored: { dirs: new Set(), key: "" } });
    expect(existsSync(path.join(gitDir, "colleague-walk.json"))).toBe(true);
    saveWalk(gitDir, { tree: id, commit: id, walk, ignored: { dirs: new Set(), key: "" } });
    expect(existsSync(path.join(gitDir, "colleague-walk.json"))).toBe(false);
  });
});
