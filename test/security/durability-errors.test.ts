import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { StoreUnavailable } from "../../src/store/errors.js";
import { SqliteStore } from "../../src/store/sqlite.js";
import { cleanEnv, runCli } from "../cli/cli-helpers.js";

const aFile = () => {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), "colleague-errors-")), "a-file");
  writeFileSync(file, "not a folder\n");
  return file;
};

/** One line on stderr, exit 2, nothing on stdout: no stack trace, no "internal error". */
function expectOneLine(result: { code: number | null; stdout: string; stderr: string }, text: string | RegExp): void {
  expect(result.code).toBe(2);
  expect(result.stdout).toBe("");
  expect(result.stderr.split("\n")).toHaveLength(2);
  expect(result.stderr).toMatch(text);
  expect(result.stderr).not.toMatch(/internal error|\n\s+at /);
}

describe("bad places are one line and exit 2", () => {
  it("COLLEAGUE_HOME that is a file, or lies inside one, on every face that opens the home", async () => {
    const file = aFile();
    for (const args of [["run", "hi"], ["-p", "hi"], ["resume", "--last"], ["sessions"], ["serve", "--port", "0"], ["acp"], ["mcp"], ["team", "hi"]]) {
      expectOneLine(await runCli(args, { env: cleanEnv({ COLLEAGUE_HOME: file }) }), `colleague: COLLEAGUE_HOME (${file}) is a file; it must be a folder`);
    }
    const inside = path.join(file, "home");
    expectOneLine(await runCli(["run", "hi"], { env: cleanEnv({ COLLEAGUE_HOME: inside }) }), `cannot be made: ${file} is a file`);
  });

  it("--cwd that is missing or a file runs no session", async () => {
    const env = cleanEnv();
    const file = aFile();
    for (const cwd of ["/nonexistent/colleague-test", file]) {
      expectOneLine(await runCli(["run", "hi", "--model", "scripted:x", "--cwd", cwd], { env }), `the workspace ${cwd} is not a folder`);
      expectOneLine(await runCli(["-p", "hi", "--cwd", cwd], { env }), "is not a folder");
      expectOneLine(await runCli(["resume", "--last", "--cwd", cwd], { env }), "is not a folder");
    }
    expect((await runCli(["sessions", "--json"], { env })).stdout).toBe("");
  });

  it("serve and mcp --root, doctor --cwd: missing or a file", async () => {
    const env = cleanEnv();
    const file = aFile();
    expectOneLine(await runCli(["serve", "--port", "0", "--root", "/nonexistent/colleague-test"], { env }), "--root /nonexistent/colleague-test does not exist");
    expectOneLine(await runCli(["serve", "--port", "0", "--root", file], { env }), `--root ${file} is a file, not a folder`);
    expectOneLine(await runCli(["mcp", "--root", file], { env }), `--root ${file} is a file, not a folder`);
    expectOneLine(await runCli(["doctor", "--cwd", file], { env }), `--cwd ${file} is a file, not a folder`);
  });

  it("the store says in one line when its folder is a file (for library callers too)", () => {
    const file = aFile();
    expect(() => new SqliteStore(path.join(file, "sessions.db"))).toThrow(StoreUnavailable);
    expect(() => new SqliteStore(path.join(file, "sessions.db"))).toThrow(`${file} is a file or inside one, not a folder`);
  });
});
