import { existsSync, readFileSync, symlinkSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { applyPatchTool } from "../../src/tools/apply-patch.js";
import type { AnyTool } from "../../src/tools/define.js";
import { editFileTool } from "../../src/tools/edit-file.js";
import { globTool } from "../../src/tools/glob.js";
import { grepTool } from "../../src/tools/grep.js";
import { listTool } from "../../src/tools/list.js";
import { readFileTool } from "../../src/tools/read-file.js";
import { shellTool } from "../../src/tools/shell.js";
import { Workspace } from "../../src/tools/workspace.js";
import { writeFileTool } from "../../src/tools/write-file.js";
import { type Sandbox, sandbox } from "./helpers.js";

/** Each tool's arguments aimed at `p`. */
const aimed: [string, AnyTool, (p: string) => Record<string, unknown>][] = [
  ["read_file", readFileTool, (p) => ({ path: p })],
  ["write_file", writeFileTool, (p) => ({ path: p, content: "pwned" })],
  ["edit_file", editFileTool, (p) => ({ path: p, old_string: "secret", new_string: "pwned" })],
  ["apply_patch", applyPatchTool, (p) => ({ patch: `*** Begin Patch\n*** Update File: ${p}\n-secret\n+pwned\n*** End Patch` })],
  ["list", listTool, (p) => ({ path: p })],
  ["grep", grepTool, (p) => ({ pattern: "secret", path: p })],
  ["glob", globTool, (p) => ({ pattern: "*", path: p })],
  ["shell", shellTool, (p) => ({ command: "cat secret.txt", workdir: p })],
];

/** Targets outside the workspace: by `..`, by absolute path, through a symlink inside it. */
const escapes: [string, (box: Sandbox) => string][] = [
  ["..", () => "../outside"],
  // Bare `..`: folder tools get the parent itself (the file tools get ../secret.txt).
  ["a bare ..", () => ".."],
  ["an absolute path", (box) => box.outside],
  ["a symlink", (box) => {
    symlinkSync(box.outside, path.join(box.root, "link"));
    return "link";
  }],
];

describe("path confinement", () => {
  for (const [toolName, tool, args] of aimed) {
    for (const [how, target] of escapes) {
      it(`${toolName} refuses a path outside the workspace via ${how}`, async () => {
        const box = sandbox();
        const dir = target(box);
        // Folder tools get the folder; file tools get secret.txt inside it.
        const fileTool = !["list", "grep", "glob", "shell"].includes(toolName);
        const result = await box.call(tool, args(fileTool ? `${dir}/secret.txt` : dir));
        expect(result.isError).toBe(true);
        expect(result.text).toMatch(/outside the workspace|must be relative to the workspace/);
        expect(result.text).not.toMatch(/^secret/m);
        expect(readFileSync(path.join(box.outside, "secret.txt"), "utf8")).toBe("secret\n");
      });
    }
  }

  it("does not follow a symlink to outside when searching the whole workspace", async () => {
    const box = sandbox();
    symlinkSync(box.outside, path.join(box.root, "link"));
    expect((await box.call(grepTool, { pattern: "secret" })).text).toBe("No matches");
    expect((await box.call(grepTool, { pattern: "secret", glob: "*.none" })).isError).toBe(false);
    expect((await box.call(globTool, { pattern: "**/*.txt" })).text).toBe("No files match **/*.txt");
  });

  it("refuses writing through a dangling symlink that points outside", async () => {
    const box = sandbox();
    symlinkSync(path.join(box.outside, "created.txt"), path.join(box.root, "dangling"));
    const result = await box.call(writeFileTool, { path: "dangling", content: "x" });
    expect(result.isError).toBe(true);
    expect(result.text).toContain("through a symlink");
    expect(existsSync(path.join(box.outside, "created.txt"))).toBe(false);
  });

  it("Workspace.contains: the root and what is under it, never the parent or beside it", () => {
    const box = sandbox();
    const ws = new Workspace(box.root);
    expect(ws.contains(box.root)).toBe(true);
    expect(ws.contains(path.join(box.root, "a/b"))).toBe(true);
    expect(ws.contains(path.join(box.root, "..hidden"))).toBe(true);
    expect(ws.contains(path.dirname(box.root))).toBe(false); // relative path is exactly ".."
    expect(ws.contains(path.join(box.root, ".."))).toBe(false);
    expect(ws.contains(box.outside)).toBe(false);
    expect(ws.contains(`${box.root}-sibling`)).toBe(false);
    // Refused by the path check itself, before any symlink is looked at.
    expect(() => ws.resolve("..")).toThrow(`path ".." is outside the workspace (${box.root})`);
    expect(() => ws.resolve("a/../..")).toThrow(`path "a/../.." is outside the workspace`);
    expect(() => ws.resolve(box.outside)).toThrow(`is outside the workspace (${box.root})`);
  });

  it("Workspace.resolve refuses empty paths and NUL bytes; relative() names the root \".\"", () => {
    const box = sandbox();
    const ws = new Workspace(box.root);
    for (const bad of ["", "   "]) expect(() => ws.resolve(bad), JSON.stringify(bad)).toThrow("path is empty");
    expect(() => ws.resolve("a\0b")).toThrow("NUL byte");
    expect(() => ws.resolve(undefined as unknown as string)).toThrow("path is empty");
    expect(ws.resolve(".")).toBe(box.root);
    expect(ws.relative(box.root)).toBe(".");
    expect(ws.relative(path.join(box.root, "a/b.txt"))).toBe(path.join("a", "b.txt"));
  });

  it("follows a chain of dangling symlinks to where a write would land, and survives a symlink loop", () => {
    const box = sandbox();
    // inside → hop → outside/new.txt: each link dangles, the last one leads out.
    symlinkSync(path.join(box.outside, "new.txt"), path.join(box.root, "hop"));
    symlinkSync(path.join(box.root, "hop"), path.join(box.root, "first"));
    const ws = new Workspace(box.root);
    expect(() => ws.resolve("first")).toThrow("through a symlink");
    // Staying inside through a dangling chain is fine.
    symlinkSync(path.join(box.root, "later.txt"), path.join(box.root, "inner"));
    symlinkSync(path.join(box.root, "inner"), path.join(box.root, "outer"));
    expect(ws.resolve("outer")).toBe(path.join(box.root, "outer"));
    // A loop ends (after a bounded number of hops) instead of recursing forever.
    symlinkSync(path.join(box.root, "loop-b"), path.join(box.root, "loop-a"));
    symlinkSync(path.join(box.root, "loop-a"), path.join(box.root, "loop-b"));
    expect(ws.resolve("loop-a/x")).toBe(path.join(box.root, "loop-a/x"));
  });

  it("grep {path: \"..\"} finds nothing outside the workspace", async () => {
    const box = sandbox();
    const result = await box.call(grepTool, { pattern: "secret", path: ".." });
    expect(result.isError).toBe(true);
    expect(result.text).toContain("outside the workspace");
    expect(result.text).not.toContain("secret.txt");
  });

  it("allows symlinks that stay inside and names that merely start with ..", async () => {
    const box = sandbox();
    box.write("real/a.txt", "inside\n");
    symlinkSync(path.join(box.root, "real"), path.join(box.root, "alias"));
    expect((await box.call(readFileTool, { path: "alias/a.txt" })).text).toBe("1\tinside");
    const ws = new Workspace(box.root);
    expect(ws.resolve("..hidden")).toBe(path.join(box.root, "..hidden"));
    expect(ws.resolve(path.join(box.root, "x/../y"))).toBe(path.join(box.root, "y"));
  });
});
