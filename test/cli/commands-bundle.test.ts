import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
// @ts-expect-error a plain ES module of the build scripts, without types
import { MODULE_BUILD_ONLY } from "../../scripts/build-cjs.mjs";
import { cleanEnv, runCli } from "./cli-helpers.js";

// bin/colleague.js runs every command but the TUI from dist/cli.cjs with a V8 code cache.
const bundle = createRequire(import.meta.url)("../../bin/commands-bundle.js") as {
  MODULE_BUILD_ONLY: Set<string>;
  needsModuleBuild(args: string[], terminal: boolean): boolean;
  cacheFileFor(source: string, env: NodeJS.ProcessEnv, execArgv?: string[]): string | undefined;
};
const cacheDir = () => mkdtempSync(path.join(os.tmpdir(), "colleague-code-cache-"));
const caches = (dir: string) => readdirSync(dir).filter((f) => f.endsWith(".v8cache"));

describe("which build a start runs", () => {
  it("the ES-module build wherever the TUI could open (attach, or no command on a terminal) and for the servers", () => {
    expect(bundle.needsModuleBuild(["attach", "http://127.0.0.1:1"], false)).toBe(true);
    for (const server of ["serve", "acp", "mcp"]) expect(bundle.needsModuleBuild([server], false), server).toBe(true);
    // Help loads the command table alone there.
    expect(bundle.needsModuleBuild(["run", "--help"], false)).toBe(true);
    expect(bundle.needsModuleBuild(["help", "run"], false)).toBe(true);
    expect(bundle.needsModuleBuild(["run", "--", "--help"], false)).toBe(false);
    expect(bundle.needsModuleBuild([], true)).toBe(true);
    expect(bundle.needsModuleBuild(["--model", "anthropic:claude-opus-4-6"], true)).toBe(true);
    expect(bundle.needsModuleBuild(["--yolo"], true)).toBe(true);
  });

  it("the CommonJS bundle for a named command, a task, or anything without a terminal", () => {
    expect(bundle.needsModuleBuild(["run", "fix it"], true)).toBe(false);
    expect(bundle.needsModuleBuild(["fix the failing test"], true)).toBe(false);
    expect(bundle.needsModuleBuild(["team", "plan it"], true)).toBe(false);
    expect(bundle.needsModuleBuild([], false)).toBe(false);
    expect(bundle.needsModuleBuild(["-p", "hi"], false)).toBe(false);
  });

  it("the build leaves out of the bundle exactly the commands bin/ sends elsewhere", () => {
    expect([...bundle.MODULE_BUILD_ONLY].sort()).toEqual([...(MODULE_BUILD_ONLY as string[])].sort());
    const text = readFileSync("dist/cli.cjs", "latin1");
    expect(text).toContain("runs from dist/cli.js (ES modules)");
    // The servers' packages are not in it.
    expect(text).not.toContain("@hono/node-server");
    expect(text).not.toContain("AgentSideConnection");
  });
});

describe("the code cache", () => {
  const source = readFileSync("dist/cli.cjs", "latin1");

  it("is kept per build (the bundle's first line), Node version and CPU, and can be turned off", () => {
    const file = bundle.cacheFileFor(source, { COLLEAGUE_CACHE_DIR: "/c" }, []);
    const id = /^\/\/ colleague-cjs ([0-9a-f]{16})\n/.exec(source)![1];
    expect(file).toBe(`/c/cli-${id}-${process.version}-${process.arch}.v8cache`);
    expect(bundle.cacheFileFor(source.replace(id!, "0123456789abcdef"), { COLLEAGUE_CACHE_DIR: "/c" }, [])).not.toBe(file);
    const profiled = bundle.cacheFileFor(source, { COLLEAGUE_CACHE_DIR: "/c" }, ["--cpu-prof"]);
    expect(profiled).toMatch(/-[0-9a-f]{8}\.v8cache$/);
    expect(profiled).not.toBe(file);
    expect(bundle.cacheFileFor(source, { COLLEAGUE_CACHE_DIR: "/c", COLLEAGUE_CODE_CACHE: "0" })).toBeUndefined();
    expect(bundle.cacheFileFor(source, { XDG_CACHE_HOME: "/x" })).toMatch(/^\/x\/colleague\/cli-/);
  });

  it("is written by the first run, used by the next, and a damaged one is replaced without the command noticing", async () => {
    const dir = cacheDir();
    const env = cleanEnv({ COLLEAGUE_CACHE_DIR: dir });
    const first = await runCli(["models"], { env });
    expect(first.code).toBe(0);
    const [written] = caches(dir);
    expect(written).toBeDefined();
    const bytes = readFileSync(path.join(dir, written!));
    expect(bytes.length).toBeGreaterThan(100_000);

    const second = await runCli(["models"], { env });
    expect(second).toMatchObject({ code: 0, stdout: first.stdout });
    // Read, not rewritten: the same bytes.
    expect(readFileSync(path.join(dir, written!)).equals(bytes)).toBe(true);

    writeFileSync(path.join(dir, written!), Buffer.alloc(bytes.length, 7));
    const third = await runCli(["models"], { env });
    expect(third).toMatchObject({ code: 0, stdout: first.stdout, stderr: "" });
    expect(readFileSync(path.join(dir, written!)).equals(bytes)).toBe(false);
    expect(readFileSync(path.join(dir, written!)).subarray(0, 64).equals(Buffer.alloc(64, 7))).toBe(false);
  });

  it("is written again by a run that compiled clearly more than the one that wrote it, and then kept", async () => {
    const dir = cacheDir();
    const env = cleanEnv({ COLLEAGUE_CACHE_DIR: dir, HOME: mkdtempSync(path.join(os.tmpdir(), "colleague-home-")) });
    const header = () => {
      const bytes = readFileSync(path.join(dir, caches(dir)[0]!));
      return { bytes, writerBytecode: bytes.readUInt32LE(4) };
    };
    // A first run that stops early (no task): a small cache.
    expect((await runCli(["run"], { env })).code).toBe(2);
    const small = header();
    expect((await runCli(["models"], { env })).code).toBe(0);
    expect(header().bytes.equals(small.bytes)).toBe(true);
    // A whole session compiles much more: the cache grows to hold it, with what it had.
    const demo = await runCli(["demo", "--fast"], { env });
    expect(demo.code).toBe(0);
    const grown = header();
    expect(grown.bytes.length).toBeGreaterThan(small.bytes.length + 100_000);
    expect(grown.writerBytecode).toBeGreaterThan(small.writerBytecode + 64 * 1024);
    // The same session again, and the early stop: nothing more to add.
    expect((await runCli(["demo", "--fast"], { env })).code).toBe(0);
    expect((await runCli(["run"], { env })).code).toBe(2);
    expect(header().bytes.equals(grown.bytes)).toBe(true);
  });

  it("is not written when turned off", async () => {
    const dir = cacheDir();
    const out = await runCli(["models"], { env: cleanEnv({ COLLEAGUE_CACHE_DIR: dir, COLLEAGUE_CODE_CACHE: "0" }) });
    expect(out.code).toBe(0);
    expect(caches(dir)).toEqual([]);
  });

  it("an unwritable cache folder costs nothing but the cache", async () => {
    const file = path.join(cacheDir(), "not-a-folder");
    writeFileSync(file, "x");
    const out = await runCli(["models"], { env: cleanEnv({ COLLEAGUE_CACHE_DIR: file }) });
    expect(out).toMatchObject({ code: 0, stderr: "" });
  });
});

describe("the CommonJS bundle", () => {
  it("loads the large libraries from dist/vendor/ when its code comes from the cache (a workbook written and read back, twice)", async () => {
    const dir = cacheDir();
    const repo = mkdtempSync(path.join(os.tmpdir(), "colleague-bundle-repo-"));
    const scenario = path.join(dir, "workbook.json");
    writeFileSync(
      scenario,
      JSON.stringify({
        steps: [
          { toolCalls: [{ name: "sheet_write", args: { path: "q.xlsx", sheets: [{ name: "Q1", rows: [["region", "sales"], ["North", 1200]] }] } }] },
          { expect: { toolResultsOk: true }, toolCalls: [{ name: "office_read", args: { path: "q.xlsx" } }] },
          { expect: { toolResultsOk: true, lastMessageIncludes: ["North", "1200"] }, text: "read it back" },
        ],
      }),
    );
    const env = cleanEnv({ COLLEAGUE_CACHE_DIR: dir });
    for (const round of ["writes the cache", "reads it"]) {
      const out = await runCli(["run", "a workbook", "--model", `scripted:${scenario}`, "--cwd", repo, "--json"], { env });
      expect(out.code, `${round}: ${out.stderr}`).toBe(0);
      expect(out.stdout, round).toContain('"status":"completed"');
      expect(caches(dir), round).toHaveLength(1);
    }
  });

  it("holds no import() and no non-ASCII character (the build refuses both)", () => {
    const text = readFileSync("dist/cli.cjs", "latin1");
    expect(/[^\x00-\x7f]/.test(text)).toBe(false);
    expect(/\bimport\(/.test(text.replace(/"(?:[^"\\\n]|\\.)*"/g, '""'))).toBe(false);
    // CommonJS's module function, in strict mode as ES modules are.
    expect(text.split("\n")[1]!.startsWith('(function (exports, require, module, __filename, __dirname) {"use strict";')).toBe(true);
  });
});
