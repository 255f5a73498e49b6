import { mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync } from "node:fs";
import path from "node:path";
import { afterAll, afterEach, expect, it } from "vitest";
import { createSandbox, probeSandboxBackends } from "../../src/policy/sandbox/index.js";
import type { ProcessRunner } from "../../src/tools/io.js";
import { describeIfAvailable } from "../requires.js";

/**
 * Warming: a session that starts using tools starts its sandbox in the background, so its first
 * command does not wait for bwrap and the supervisor's start. Nothing runs in it until a command
 * does, and a session that ends first leaves nothing behind.
 */

const bases: string[] = [];
const runners: ProcessRunner[] = [];
afterEach(() => {
  for (const runner of runners.splice(0)) runner.close?.();
});
afterAll(() => {
  for (const base of bases) rmSync(base, { recursive: true, force: true });
});

function setup(persistent = true) {
  const cache = path.join(process.cwd(), "node_modules", ".cache");
  mkdirSync(cache, { recursive: true });
  const base = realpathSync(mkdtempSync(path.join(cache, "colleague-warm-")));
  bases.push(base);
  const workspace = path.join(base, "ws");
  const home = path.join(base, "home");
  mkdirSync(workspace, { recursive: true });
  mkdirSync(home, { recursive: true });
  const { runner } = createSandbox({ workspace, home, backend: "bubblewrap", persistent });
  runners.push(runner);
  const run = (command: string) => runner.run(command, { cwd: workspace, timeoutMs: 30_000, maxOutputBytes: 100_000, env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: home } });
  return { workspace, runner, run };
}

/** The bwrap processes whose command line names `workspace` (bwrap forks once: two per sandbox). */
function sandboxesOf(workspace: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let argv: string[];
    try {
      argv = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0");
    } catch {
      continue;
    }
    if (path.basename(argv[0] ?? "") === "bwrap" && argv.includes(workspace)) pids.push(Number(entry));
  }
  return pids;
}

async function until<T>(probe: () => T, ok: (value: T) => boolean): Promise<T> {
  let value = probe();
  for (let i = 0; i < 200 && !ok(value); i++) {
    await new Promise((r) => setTimeout(r, 25));
    value = probe();
  }
  return value;
}

const bubblewrap = probeSandboxBackends().find((r) => r.backend === "bubblewrap")!;
const missing = bubblewrap.ok ? undefined : `${bubblewrap.reason} (fix: ${bubblewrap.fix})`;

describeIfAvailable("warming the session sandbox", missing, () => {
  it("starts the sandbox before any command, and the first command runs in it (no second sandbox)", async () => {
    const s = setup();
    expect(sandboxesOf(s.workspace)).toEqual([]);
    s.runner.warm?.();
    s.runner.warm?.(); // idempotent
    const warmed = await until(() => sandboxesOf(s.workspace), (pids) => pids.length >= 2);
    expect(warmed).toHaveLength(2);
    const first = await s.run("echo ran");
    expect(first).toMatchObject({ exitCode: 0, output: "ran\n" });
    expect(sandboxesOf(s.workspace)).toEqual(warmed);
  });

  it("leaves nothing running when the session ends before a command, even one that ends at once", async () => {
    const s = setup();
    s.runner.warm?.();
    const warmed = await until(() => sandboxesOf(s.workspace), (pids) => pids.length >= 2);
    expect(warmed).toHaveLength(2);
    s.runner.close?.();
    expect(await until(() => sandboxesOf(s.workspace), (pids) => pids.length === 0)).toEqual([]);

    const quick = setup();
    quick.runner.warm?.();
    quick.runner.close?.();
    await new Promise((r) => setTimeout(r, 300));
    expect(sandboxesOf(quick.workspace)).toEqual([]);
  });

  it("does nothing where each command gets a sandbox of its own", async () => {
    const s = setup(false);
    s.runner.warm?.();
    await new Promise((r) => setTimeout(r, 300));
    expect(sandboxesOf(s.workspace)).toEqual([]);
  });
});
