import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, it } from "vitest";
import { FrameReader, runFrame, type SupervisorMessage, supervisorArgv } from "../../src/policy/sandbox/supervisor.js";

const stream = Buffer.concat([
  Buffer.from("ready\n"),
  Buffer.from("out 1 7\nab\ncd\n\n"),
  Buffer.from("out 2 3\n"),
  Buffer.from([0xff, 0x00, 0x0a]),
  Buffer.from("exit 3 - 0\n"),
  Buffer.from("exit - SIGTERM 0\n"),
  Buffer.from(`exit - - 24\nfailed to start: chdir x`),
]);

const read = (chunks: Buffer[]) => {
  const got: SupervisorMessage[] = [];
  const reader = new FrameReader((m) => got.push(m));
  for (const chunk of chunks) reader.push(chunk);
  return got;
};

it("reads the supervisor's frames whole, however the pipe cuts them", () => {
  const whole = read([stream]);
  expect(whole).toEqual([
    { op: "ready" },
    { op: "out", fd: 1, data: Buffer.from("ab\ncd\n\n") },
    { op: "out", fd: 2, data: Buffer.from([0xff, 0x00, 0x0a]) },
    { op: "exit", code: 3, signal: null },
    { op: "exit", code: null, signal: "SIGTERM" },
    { op: "exit", code: null, signal: null, failure: "failed to start: chdir x" },
  ]);
  for (let cut = 1; cut < stream.length; cut++) expect(read([stream.subarray(0, cut), stream.subarray(cut)])).toEqual(whole);
  expect(read([...stream].map((byte) => Buffer.from([byte])))).toEqual(whole);
});

it("frames a command with its cwd and environment, and refuses what a shell could not be given", () => {
  const frame = runFrame("echo hi", "/w", { A: "1", B: undefined, "C=D": "x", E: "new\nline" }) as Buffer;
  const nl = frame.indexOf(10);
  const payload = frame.subarray(nl + 1);
  expect(frame.subarray(0, nl).toString()).toBe(`run ${payload.length}`);
  expect(payload.toString().split("\0")).toEqual(["/w", "echo hi", "A=1", "E=new\nline"]);
  expect(runFrame("a\0b", "/w", {})).toMatch(/NUL/);
});

/** Starts a supervisor outside any sandbox, runs `echo`, and returns what it said. */
async function talk(argv: string[]): Promise<SupervisorMessage[]> {
  const child = spawn(argv[0]!, argv.slice(1), { stdio: ["pipe", "pipe", "pipe"] });
  const got: SupervisorMessage[] = [];
  const reader = new FrameReader((m) => got.push(m));
  child.stdout.on("data", (chunk: Buffer) => reader.push(chunk));
  const ended = new Promise((resolve) => child.on("close", resolve));
  child.stdin.write(runFrame("echo hi from $WHO", os.tmpdir(), { PATH: process.env.PATH ?? "/usr/bin:/bin", WHO: "inside" }) as Buffer);
  for (let i = 0; i < 200 && !got.some((m) => m.op === "exit"); i++) await new Promise((r) => setTimeout(r, 25));
  child.stdin.end();
  await ended;
  return got;
}

const perl = existsSync("/usr/bin/perl") ? undefined : "no /usr/bin/perl";

it.skipIf(perl)("the Perl supervisor runs a command, and hands over to the Node one where Perl lacks its modules", async () => {
  const expected = [{ op: "ready" }, { op: "out", fd: 1, data: Buffer.from("hi from inside\n") }, { op: "exit", code: 0, signal: null }];
  expect(await talk(supervisorArgv("perl"))).toEqual(expected);
  // A POSIX module that fails to load, found first: as on a system that packages POSIX apart.
  const broken = mkdtempSync(path.join(os.tmpdir(), "colleague-no-posix-"));
  writeFileSync(path.join(broken, "POSIX.pm"), 'die "no POSIX here\\n";\n');
  const [file, ...args] = supervisorArgv("perl");
  expect(await talk([file!, "-I", broken, ...args])).toEqual(expected);
});
