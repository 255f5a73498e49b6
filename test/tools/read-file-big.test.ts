import { execFileSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, rmSync, truncateSync, writeFileSync, writeSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { build } from "esbuild";
import { afterAll, describe, expect, it } from "vitest";
import { type ReadAt, readLineWindow } from "../../src/tools/line-window.js";
import { readFileTool } from "../../src/tools/read-file.js";
import { sandbox } from "./helpers.js";

/**
 * read_file on files too big to load: a sparse file (its size is a hole, so the disk is not
 * used) with text at the start. The text runs past the first 8 KB, where binary detection looks.
 */

const scratch = mkdtempSync(path.join(os.tmpdir(), "colleague-read-big-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const GB = 1024 ** 3;
const MB = 1024 ** 2;

/** `lines` numbered lines, then a hole up to `size` bytes. */
function sparseFile(file: string, lines: number, size: number): string {
  const fd = openSync(file, "w");
  writeSync(fd, Array.from({ length: lines }, (_, i) => `log line ${i + 1}\n`).join(""));
  closeSync(fd);
  truncateSync(file, size);
  return file;
}

describe("read_file on big files", () => {
  it("reads 5 lines of a 2 GB file in a process that stays under 100 MB of memory", async () => {
    sparseFile(path.join(scratch, "huge.log"), 20_000, 2 * GB);
    // The tool runs in a child process of its own, bundled from source, so its peak RSS is its own.
    const entry = path.join(scratch, "read-entry.ts");
    const src = (rel: string) => JSON.stringify(path.resolve("src", rel));
    writeFileSync(
      entry,
      `import { readFileTool } from ${src("tools/read-file.ts")};
import { runTool } from ${src("tools/define.ts")};
import { localFileSystem, localProcessRunner } from ${src("tools/local-io.ts")};
import { Workspace } from ${src("tools/workspace.ts")};
const ctx = { workspace: new Workspace(process.argv[2]), fs: localFileSystem, runner: localProcessRunner, signal: new AbortController().signal, sessionId: "s", callId: "c" };
const result = await runTool(readFileTool, { path: "huge.log", limit: 5 }, ctx);
const text = result.content.map((p) => (p.type === "text" ? p.text : "")).join("\\n");
process.stdout.write(JSON.stringify({ text, isError: result.isError, maxRssKb: process.resourceUsage().maxRSS }));
`,
    );
    const bundle = path.join(scratch, "read-entry.mjs");
    await build({ entryPoints: [entry], outfile: bundle, bundle: true, format: "esm", platform: "node", target: "node20", loader: { ".md": "text" }, logLevel: "silent" });
    const out = JSON.parse(execFileSync(process.execPath, [bundle, scratch], { encoding: "utf8" })) as { text: string; isError: boolean; maxRssKb: number };
    expect(out.isError).toBe(false);
    expect(out.text).toBe(
      ["1\tlog line 1", "2\tlog line 2", "3\tlog line 3", "4\tlog line 4", "5\tlog line 5", "… showing lines 1-5 of a 2.0 GB file; use offset=6 to read more"].join("\n"),
    );
    expect(out.maxRssKb * 1024).toBeLessThan(100 * MB);
  });

  it("pages through a 600 MB file (more than one JavaScript string holds) without ERR_STRING_TOO_LONG", async () => {
    const box = sandbox();
    sparseFile(path.join(box.root, "big.log"), 3_000, 600 * MB);
    const first = await box.call(readFileTool, { path: "big.log" });
    expect(first.isError).toBe(false);
    const lines = first.text.split("\n");
    // As many lines as fit the output budget, then where to go on.
    const shown = lines.length - 1;
    expect(shown).toBeGreaterThan(1000);
    expect(lines[shown - 1]).toBe(`${shown}\tlog line ${shown}`);
    expect(lines[shown]).toBe(`… showing lines 1-${shown} of a 600.0 MB file; use offset=${shown + 1} to read more`);
    const next = await box.call(readFileTool, { path: "big.log", offset: 2998, limit: 2 });
    expect(next.text).toBe("2998\tlog line 2998\n2999\tlog line 2999\n… showing lines 2998-2999 of a 600.0 MB file; use offset=3000 to read more");
  });

  it("refuses a pipe instead of blocking on it", async () => {
    const box = sandbox();
    execFileSync("mkfifo", [path.join(box.root, "pipe")]);
    const result = await box.call(readFileTool, { path: "pipe" });
    expect(result.isError).toBe(true);
    expect(result.text).toBe("pipe is not a regular file (a device, a pipe or a socket); not read.");
  });

  it("says binary from the first bytes only", async () => {
    const box = sandbox();
    sparseFile(path.join(box.root, "holes.bin"), 2, 64 * MB);
    const result = await box.call(readFileTool, { path: "holes.bin" });
    expect(result.text).toBe(`binary file (${64 * MB} bytes), not shown`);
  });
});

/** A reader over a buffer that answers at most `step` bytes per read, to cross every chunk boundary. */
function trickle(data: Buffer, step: number): ReadAt {
  return async (buffer, position) => data.copy(buffer, 0, position, Math.min(data.length, position + Math.min(step, buffer.length)));
}

const limits = { offset: 1, limit: 100, maxLineChars: 8, maxOutputChars: 10_000 };

describe("readLineWindow", () => {
  it("finds the same lines whatever the read sizes, with CRLF, a last line without newline and multibyte text", async () => {
    const data = Buffer.from("alpha\r\nbeta\n\nnaïve café au lait\r\nomega");
    for (const step of [1, 2, 3, 7, 64 * 1024]) {
      const window = await readLineWindow(trickle(data, step), limits, true);
      expect(window.lines).toEqual([
        { number: 1, text: "alpha", chars: 5 },
        { number: 2, text: "beta", chars: 4 },
        { number: 3, text: "", chars: 0 },
        { number: 4, text: "naïve ca", chars: 18 },
        { number: 5, text: "omega", chars: 5 },
      ]);
      expect(window).toMatchObject({ totalLines: 5, moreAfter: false });
    }
  });

  it("stops at the window's end without counting the rest, and knows whether more follows", async () => {
    const data = Buffer.from("a\nb\nc\nd\n");
    const reads: number[] = [];
    const readAt: ReadAt = async (buffer, position) => {
      reads.push(position);
      return trickle(data, 2)(buffer, position);
    };
    const window = await readLineWindow(readAt, { ...limits, offset: 2, limit: 2 }, false);
    expect(window.lines.map((l) => l.text)).toEqual(["b", "c"]);
    expect(window).toMatchObject({ totalLines: undefined, moreAfter: true });
    expect(Math.max(...reads)).toBeLessThan(data.length - 1);
    const tail = await readLineWindow(trickle(data, 2), { ...limits, offset: 3, limit: 2 }, false);
    expect(tail.lines.map((l) => l.text)).toEqual(["c", "d"]);
    expect(tail.moreAfter).toBe(false);
  });

  it("counts a final newline as the end of the last line, not a new one", async () => {
    expect((await readLineWindow(trickle(Buffer.from("x\n"), 5), limits, true)).totalLines).toBe(1);
    expect((await readLineWindow(trickle(Buffer.from("\n"), 5), limits, true)).totalLines).toBe(1);
    expect((await readLineWindow(trickle(Buffer.alloc(0), 5), limits, true)).totalLines).toBe(0);
  });
});
