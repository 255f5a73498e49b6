import { execFileSync } from "node:child_process";
import { appendFileSync, chmodSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";
import { gitAvailable } from "../../src/checkpoints/git.js";
import { ShadowRepo } from "../../src/checkpoints/shadow-repo.js";
import { readTree } from "../../src/checkpoints/tree-update.js";
import { tempRepo } from "../helpers.js";
import { describeIfAvailable } from "../requires.js";
import { gitsTree, home, settle, shadowGit, withoutGit } from "./shadow-helpers.js";

const git = shadowGit;
const treeOf = (repo: ShadowRepo, commit: string) => git(repo, ["rev-parse", `${commit}^{tree}`]);

/** Writes `file` (workspace-relative), with the folders above it. */
function writeNested(ws: string, file: string): void {
  mkdirSync(path.dirname(path.join(ws, file)), { recursive: true });
  writeFileSync(path.join(ws, file), `${file}\n`);
}

/** A repository with one snapshot taken and a second whose walk is old enough to trust. */
async function settledRepo(files: Record<string, string>): Promise<{ ws: string; repo: ShadowRepo }> {
  const ws = tempRepo(files);
  const repo = new ShadowRepo(home(), ws);
  await repo.snapshot("s-1");
  await settle();
  await repo.snapshot("s-2");
  return { ws, repo };
}

describeIfAvailable("snapshots of edited files, worked out without git", gitAvailable() ? undefined : "git is not installed", () => {
  it("stores edits at the top and in nested folders with no git process, as the tree git would write", async () => {
    const { ws, repo } = await settledRepo({ "a.txt": "a1\n", "src/lib/b.ts": "b1\n", "src/c.ts": "c\n", "docs/d.md": "d\n" });
    chmodSync(path.join(ws, "src/c.ts"), 0o755);
    await settle();
    await repo.snapshot("s-3"); // the mode change goes through git
    await settle();
    await repo.snapshot("s-4");
    writeFileSync(path.join(ws, "a.txt"), "a2, longer now\n");
    writeFileSync(path.join(ws, "src/lib/b.ts"), "b2\n");
    writeFileSync(path.join(ws, "src/c.ts"), "#!/bin/sh\necho c\n");
    const next = await withoutGit(() => repo.snapshot("s-5"));
    expect(next.changed).toBe(true);
    expect(treeOf(repo, next.commit)).toBe(gitsTree(repo));
    expect(git(repo, ["show", `${next.commit}:src/lib/b.ts`])).toBe("b2");
    expect(git(repo, ["ls-tree", next.commit, "src/c.ts"])).toMatch(/^100755 blob /);
    // git reads every object written here without complaint.
    expect(git(repo, ["fsck", "--no-dangling"])).toBe("");
  });

  it("sees a same-size rewrite within a timestamp tick by its content", async () => {
    const ws = tempRepo({ "a.txt": "a1\n", "b.txt": "b\n" });
    const repo = new ShadowRepo(home(), ws);
    await repo.snapshot("s-1"); // a.txt was just written: the walk keeps its hash
    writeFileSync(path.join(ws, "a.txt"), "a2\n");
    const next = await repo.snapshot("s-2");
    expect(next.changed).toBe(true);
    expect(git(repo, ["show", `${next.commit}:a.txt`])).toBe("a2");
    expect(treeOf(repo, next.commit)).toBe(gitsTree(repo));
  });

  it("leaves to git what it cannot decide alone, and git's tree is the result", async () => {
    const cases: [string, Record<string, string>, (ws: string) => void, string[]][] = [
      ["a new file (it may be ignored)", { "a.txt": "a\n", ".gitignore": "*.log\n" }, (ws) => writeFileSync(path.join(ws, "new.log"), "x\n"), [".gitignore", "a.txt"]],
      ["a new file under a folder an ignore rule names", { "a.txt": "a\n", "src/.gitignore": "gen/\n" }, (ws) => writeNested(ws, "src/gen/x/out.js"), ["a.txt", "src/.gitignore"]],
      ["a new executable", { "a.txt": "a\n" }, (ws) => writeFileSync(path.join(ws, "run.sh"), "echo\n", { mode: 0o755 }), ["a.txt", "run.sh"]],
      ["a new symlink", { "a.txt": "a\n" }, (ws) => symlinkSync("a.txt", path.join(ws, "link")), ["a.txt", "link"]],
      ["a file turned into a folder", { "a.txt": "a\n", "b": "b\n" }, (ws) => {
          rmSync(path.join(ws, "b"));
          writeNested(ws, "b/c.txt");
        }, ["a.txt", "b/c.txt"]],
      ["an ignored file edited", { "a.txt": "a\n", ".gitignore": "*.log\n", "x.log": "1\n" }, (ws) => writeFileSync(path.join(ws, "x.log"), "2\n"), [".gitignore", "a.txt"]],
      ["an executable bit set", { "a.txt": "a\n", "run.sh": "echo\n" }, (ws) => chmodSync(path.join(ws, "run.sh"), 0o755), ["a.txt", "run.sh"]],
      [
        "line endings a .gitattributes normalises",
        { "a.txt": "a\n", ".gitattributes": "*.txt text eol=lf\n" },
        (ws) => writeFileSync(path.join(ws, "a.txt"), "one\r\ntwo\r\n"),
        [".gitattributes", "a.txt"],
      ],
      ["a file grown past the size limit", { "a.txt": "a\n", "big.bin": "small\n" }, (ws) => writeFileSync(path.join(ws, "big.bin"), Buffer.alloc(2 * 1024 * 1024 + 1, 7)), ["a.txt"]],
    ];
    for (const [name, files, change, expected] of cases) {
      const { ws, repo } = await settledRepo(files);
      change(ws);
      const next = await repo.snapshot("s-3");
      expect(git(repo, ["ls-tree", "-r", "--name-only", next.commit]).split("\n"), name).toEqual(expected);
      expect(treeOf(repo, next.commit), name).toBe(gitsTree(repo));
    }
  });

  it("stores created and removed files without git, new folders and emptied ones included", async () => {
    const { ws, repo } = await settledRepo({ "a.txt": "a\n", ".gitignore": "*.log\n/build\nnode_modules/\n", "old/only.txt": "o\n", "src/z.ts": "z\n" });
    writeNested(ws, "src/new/deeper/x.ts");
    writeFileSync(path.join(ws, "src/a-first.ts"), "sorted before z\n");
    writeFileSync(path.join(ws, "src.txt"), "a file whose name sorts between src and src/\n");
    writeNested(ws, "docs/logbook.md");
    rmSync(path.join(ws, "old"), { recursive: true });
    const next = await withoutGit(() => repo.snapshot("s-3"));
    expect(next.changed).toBe(true);
    expect(treeOf(repo, next.commit)).toBe(gitsTree(repo));
    expect(git(repo, ["ls-tree", "-r", "--name-only", next.commit]).split("\n")).toEqual([
      ".gitignore",
      "a.txt",
      "docs/logbook.md",
      "src.txt",
      "src/a-first.ts",
      "src/new/deeper/x.ts",
      "src/z.ts",
    ]);
    expect(git(repo, ["fsck", "--no-dangling"])).toBe("");
  });

  it("leaves a created file to git whenever an ignore rule might cover it", async () => {
    const { ws, repo } = await settledRepo({ "a.txt": "a\n", ".gitignore": "**/tmp/**\n/dist\ncache-[0-9]/\n", "lib/.gitignore": "*.gen.ts\n" });
    writeFileSync(path.join(ws, ".git-exclude"), "");
    writeNested(ws, "x/tmp/y/z.txt");
    writeNested(ws, "dist/out.js");
    writeNested(ws, "cache-3/c.bin");
    writeNested(ws, "lib/types.gen.ts");
    writeNested(ws, "lib/kept.ts");
    const next = await repo.snapshot("s-3");
    expect(treeOf(repo, next.commit)).toBe(gitsTree(repo));
    expect(git(repo, ["ls-tree", "-r", "--name-only", next.commit]).split("\n")).toEqual([".git-exclude", ".gitignore", "a.txt", "lib/.gitignore", "lib/kept.ts"]);
  });

  it("leaves new and deleted files to git where git folds the case of names, and still stores edits", async () => {
    const { ws, repo } = await settledRepo({ "a.txt": "a\n", "b.txt": "b\n" });
    appendFileSync(path.join(repo.gitDir, "config"), "\tignorecase = true\n");
    const again = new ShadowRepo(path.dirname(path.dirname(repo.gitDir)), ws);
    writeFileSync(path.join(ws, "a.txt"), "edited\n");
    const edited = await withoutGit(() => again.snapshot("s-3"));
    expect(git(repo, ["show", `${edited.commit}:a.txt`])).toBe("edited");
    writeFileSync(path.join(ws, "new.txt"), "n\n");
    await expect(withoutGit(() => again.snapshot("s-4"))).rejects.toThrow(/git/);
    const next = await again.snapshot("s-5");
    expect(treeOf(repo, next.commit)).toBe(gitsTree(repo));
  });

  it("edits a symlink's target file but leaves a changed symlink to git", async () => {
    const { ws, repo } = await settledRepo({ "a.txt": "a\n", "b.txt": "b\n" });
    symlinkSync("a.txt", path.join(ws, "link"));
    await settle();
    await repo.snapshot("s-3");
    await settle();
    await repo.snapshot("s-4");
    rmSync(path.join(ws, "link"));
    symlinkSync("b.txt", path.join(ws, "link"));
    const next = await repo.snapshot("s-5");
    expect(git(repo, ["cat-file", "-p", `${next.commit}:link`])).toBe("b.txt");
    expect(treeOf(repo, next.commit)).toBe(gitsTree(repo));
  });

  it("falls back to git once the trees are packed, and keeps names that are not UTF-8", async () => {
    const { ws, repo } = await settledRepo({ "a.txt": "a\n", "src/b.txt": "b\n" });
    const odd = Buffer.concat([Buffer.from(path.join(ws, "src/")), Buffer.from([0x66, 0xff, 0x2e, 0x74])]);
    writeFileSync(odd, "odd\n");
    await settle();
    await repo.snapshot("s-3");
    await settle();
    await repo.snapshot("s-4");
    writeFileSync(path.join(ws, "src/b.txt"), "b2\n");
    const edited = await withoutGit(() => repo.snapshot("s-5"));
    expect(treeOf(repo, edited.commit)).toBe(gitsTree(repo));

    git(repo, ["gc", "--quiet", "--prune=now"]);
    const packedTree = treeOf(repo, edited.commit);
    expect(readTree(repo.gitDir, packedTree)).toBeUndefined();
    await settle();
    writeFileSync(path.join(ws, "a.txt"), "a2\n");
    const next = await repo.snapshot("s-6");
    expect(next.changed).toBe(true);
    expect(treeOf(repo, next.commit)).toBe(gitsTree(repo));
  });

  it("restores an in-process snapshot like any other", async () => {
    const { ws, repo } = await settledRepo({ "a.txt": "a1\n", "src/b.txt": "b1\n" });
    writeFileSync(path.join(ws, "src/b.txt"), "b2\n");
    const edited = await withoutGit(() => repo.snapshot("s-3"));
    await settle();
    writeFileSync(path.join(ws, "src/b.txt"), "b3\n");
    writeFileSync(path.join(ws, "a.txt"), "a3\n");
    await repo.restore(edited.commit);
    expect(execFileSync("cat", [path.join(ws, "a.txt"), path.join(ws, "src/b.txt")], { encoding: "utf8" })).toBe("a1\nb2\n");
  });
});
