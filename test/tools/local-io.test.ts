import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { RunOptions } from "../../src/tools/io.js";
import { localProcessRunner } from "../../src/tools/local-io.js";

const opts = (over: Partial<RunOptions> = {}): RunOptions => ({
  cwd: os.tmpdir(),
  timeoutMs: 10_000,
  maxOutputBytes: 30_000,
  ...over,
});

/** Alive and not a zombie (a container's PID 1 may never reap orphans). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return true;
  }
}

async function waitUntilDead(pid: number, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (!alive(pid)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return !alive(pid);
}

describe("localProcessRunner", () => {
  it("returns the exit code and interleaved stdout and stderr", async () => {
    const ok = await localProcessRunner.run("echo out; echo err >&2", opts());
    expect(ok.exitCode).toBe(0);
    expect(ok.output).toContain("out\n");
    expect(ok.output).toContain("err\n");
    const failed = await localProcessRunner.run("exit 7", opts());
    expect(failed).toMatchObject({ exitCode: 7, timedOut: false, aborted: false });
  });

  it("runs in the given folder with stdin closed", async () => {
    const run = await localProcessRunner.run("pwd; cat; echo done", opts({ cwd: "/" }));
    expect(run.output).toBe("/\ndone\n");
  });

  it("keeps the head and the tail of long output and counts what it dropped", async () => {
    const run = await localProcessRunner.run("seq 1 100000", opts({ maxOutputBytes: 1000 }));
    expect(run.output.startsWith("1\n2\n3\n")).toBe(true);
    expect(run.output.endsWith("99999\n100000\n")).toBe(true);
    expect(run.droppedBytes).toBeGreaterThan(500_000);
    expect(run.output).toContain(`[… ${run.droppedBytes} bytes of output omitted …]`);
    expect(run.output.length).toBeLessThan(1100);
  });

  it("streams output live", async () => {
    const chunks: string[] = [];
    await localProcessRunner.run("echo one; echo two", opts({ onOutput: (c) => chunks.push(c) }));
    expect(chunks.join("")).toBe("one\ntwo\n");
  });

  it("kills the whole process group on timeout, background children included", async () => {
    const started = Date.now();
    const run = await localProcessRunner.run("sleep 30 & echo $!; wait", opts({ timeoutMs: 500 }));
    expect(run.timedOut).toBe(true);
    expect(run.exitCode).not.toBe(0);
    expect(Date.now() - started).toBeLessThan(2_000);
    const child = Number(run.output.trim());
    expect(child).toBeGreaterThan(0);
    expect(await waitUntilDead(child, 1_000)).toBe(true);
  });

  it("follows up with SIGKILL for children that ignore SIGTERM", async () => {
    const run = await localProcessRunner.run("(trap '' TERM; sleep 30) & echo $!; wait", opts({ timeoutMs: 300 }));
    expect(run.timedOut).toBe(true);
    const child = Number(run.output.trim());
    expect(await waitUntilDead(child, 4_000)).toBe(true);
  });

  it("stops promptly when the signal aborts", async () => {
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 200);
    const run = await localProcessRunner.run("sleep 30", opts({ signal: controller.signal }));
    expect(run.aborted).toBe(true);
    expect(run.timedOut).toBe(false);
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it("does not wait for a background child that keeps the pipes open after the shell exits", async () => {
    const started = Date.now();
    const run = await localProcessRunner.run("sleep 5 & echo $!", opts());
    expect(run.exitCode).toBe(0);
    expect(Date.now() - started).toBeLessThan(2_000);
    process.kill(Number(run.output.trim()), "SIGKILL");
  });
});

it("runs a command without the user's shell start-up files, whoever started colleague", async () => {
  const home = mkdtempSync(path.join(os.tmpdir(), "colleague-rc-"));
  writeFileSync(path.join(home, ".bashrc"), "echo SOURCED-BASHRC\n");
  // No SHLVL, as under a service or an editor: bash with a socket for stdin would read ~/.bashrc.
  const r = await localProcessRunner.run("echo cmd", opts({ env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: home } }));
  expect(r.output).toBe("cmd\n");
});
