import { utimesSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { globTool } from "../../src/tools/glob.js";
import { grepTool, parseRipgrep } from "../../src/tools/grep.js";
import { listTool } from "../../src/tools/list.js";
import { sandbox } from "./helpers.js";

describe("list", () => {
  it("shows a sorted tree, folders first, to the given depth, skipping noise", async () => {
    const box = sandbox();
    box.write("b.txt", "");
    box.write("a.txt", "");
    box.write("src/z.ts", "");
    box.write("src/deep/inner.ts", "");
    box.write("node_modules/pkg/index.js", "");
    box.write(".git/HEAD", "");
    box.write("logs/x.log", "");
    box.write("keep.log", "");
    box.write(".gitignore", "logs/\n*.log\n");
    const result = await box.call(listTool, {});
    expect(result.text).toBe(["./", "  src/", "    deep/", "    z.ts", "  .gitignore", "  a.txt", "  b.txt"].join("\n"));
    const deeper = await box.call(listTool, { path: "src", depth: 3 });
    expect(deeper.text).toBe(["src/", "  deep/", "    inner.ts", "  z.ts"].join("\n"));
  });

  it("caps the listing at 500 entries with a note", async () => {
    const box = sandbox();
    for (let i = 0; i < 520; i++) box.write(`f${String(i).padStart(3, "0")}.txt`, "");
    const result = await box.call(listTool, { path: "." });
    expect(result.text.split("\n")).toHaveLength(502);
    expect(result.text).toContain("[capped at 500 entries");
    expect(result.details).toMatchObject({ entries: 500, capped: true });
  });

  it("refuses a file and a missing folder", async () => {
    const box = sandbox();
    box.write("a.txt", "");
    expect((await box.call(listTool, { path: "a.txt" })).text).toContain("is a file; use read_file");
    expect((await box.call(listTool, { path: "nope" })).text).toBe("Folder not found: nope");
  });
});

describe("glob", () => {
  it("lists matching files newest first, with hidden files, honouring .gitignore", async () => {
    const box = sandbox();
    const times: [string, number][] = [
      ["src/old.ts", 1_000],
      ["src/new.ts", 3_000],
      ["src/mid/mid.ts", 2_000],
      [".hidden/h.ts", 1_500],
      ["ignored/i.ts", 4_000],
      ["readme.md", 5_000],
    ];
    box.write(".gitignore", "ignored/\n");
    for (const [rel, t] of times) utimesSync(box.write(rel, "x"), t, t);
    const result = await box.call(globTool, { pattern: "**/*.ts" });
    expect(result.isError).toBe(false);
    expect(result.text).toBe(["src/new.ts", "src/mid/mid.ts", ".hidden/h.ts", "src/old.ts"].join("\n"));
  });

  it("matches relative to path and returns workspace-relative paths", async () => {
    const box = sandbox();
    box.write("src/a/b.ts", "");
    box.write("other/a/c.ts", "");
    const result = await box.call(globTool, { pattern: "a/*.ts", path: "src" });
    expect(result.text).toBe("src/a/b.ts");
    const none = await box.call(globTool, { pattern: "*.rs" });
    expect(none).toMatchObject({ isError: false, text: "No files match *.rs" });
  });

  it("caps at 200 files with a note", async () => {
    const box = sandbox();
    for (let i = 0; i < 210; i++) box.write(`f${i}.txt`, "");
    const result = await box.call(globTool, { pattern: "*.txt" });
    const lines = result.text.split("\n");
    expect(lines).toHaveLength(201);
    expect(lines[200]).toBe("[showing 200 of 210 files, newest first; narrow the pattern or path]");
  });
});

describe("grep", () => {
  it("finds matches as path:line:text, sorted by path, across hidden files", async () => {
    const box = sandbox();
    box.write("src/b.ts", "const x = 1;\nfunction foo() {}\n");
    box.write("src/a.ts", "// foo here\n");
    box.write(".config/c.txt", "FOO upper\n");
    const result = await box.call(grepTool, { pattern: "foo" });
    expect(result.text).toBe("src/a.ts:1:// foo here\nsrc/b.ts:2:function foo() {}");
    const ci = await box.call(grepTool, { pattern: "foo", ignore_case: true, glob: "*.txt" });
    expect(ci.text).toBe(".config/c.txt:1:FOO upper");
  });

  it("shows context lines and limits the search to a path", async () => {
    const box = sandbox();
    box.write("a/x.txt", "1\n2\nhit\n4\n5\n6\n7\nhit\n");
    box.write("b/x.txt", "hit\n");
    const result = await box.call(grepTool, { pattern: "hit", path: "a", context: 1 });
    expect(result.text).toBe("a/x.txt-2-2\na/x.txt:3:hit\na/x.txt-4-4\n--\na/x.txt-7-7\na/x.txt:8:hit");
    const oneFile = await box.call(grepTool, { pattern: "hit", path: "b/x.txt" });
    expect(oneFile.text).toBe("b/x.txt:1:hit");
    const missing = await box.call(grepTool, { pattern: "hit", path: "c" });
    expect(missing.isError).toBe(true);
    expect(missing.text).toContain("c: No such file or directory");
  });

  it("says No matches without an error", async () => {
    const box = sandbox();
    box.write("a.txt", "abc\n");
    const result = await box.call(grepTool, { pattern: "xyz" });
    expect(result).toMatchObject({ isError: false, text: "No matches" });
  });

  it("returns rg's message for an invalid regex as an error", async () => {
    const box = sandbox();
    box.write("a.txt", "abc\n");
    const result = await box.call(grepTool, { pattern: "foo(" });
    expect(result.isError).toBe(true);
    expect(result.text).toContain("regex parse error");
  });

  it("caps results with a note and cuts long lines", async () => {
    const box = sandbox();
    box.write("many.txt", `${Array.from({ length: 150 }, (_, i) => `match ${i}`).join("\n")}\nmatch ${"z".repeat(400)}\n`);
    const capped = await box.call(grepTool, { pattern: "match", max_results: 10 });
    const lines = capped.text.split("\n");
    expect(lines).toHaveLength(11);
    expect(lines[10]).toBe("[showing 10 of 151 matches; narrow the pattern, path or glob]");
    const long = await box.call(grepTool, { pattern: "match z" });
    expect(long.text).toBe(`many.txt:151:match ${"z".repeat(294)}… [406 chars]`);
  });

  it("parses rg --null output, keeping context of shown matches only", () => {
    const out = ["a\u00001-before", "a\u00002:one", "--", "a\u00009:two", "a\u000010-after", ""].join("\n");
    expect(parseRipgrep(out, 1)).toEqual({ lines: ["a-1-before", "a:2:one"], matches: 2 });
    expect(parseRipgrep(`rg: x: Permission denied\n${out}`, 5).matches).toBe(2);
  });
});
