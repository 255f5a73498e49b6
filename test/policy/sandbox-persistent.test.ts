import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, expect, it } from "vitest";
import { createSandbox, probeSandboxBackends } from "../../src/policy/sandbox/index.js";
import type { SupervisorKind } from "../../src/policy/sandbox/supervisor.js";
import type { ProcessRunner, RunOptions } from "../../src/tools/io.js";
import { describeIfAvailable } from "../requires.js";

/**
 * The long-lived bubblewrap sandbox (options.persistent): one sandbox serves many commands, and
 * each command still gets what a fresh sandbox gave it. The sandbox's own guarantees (mounts,
 * network, seccomp, lifetime) are the shared suites', which run on it by default.
 */

const bases: string[] = [];
const runners: ProcessRunner[] = [];
afterEach(() => {
  for (const runner of runners.splice(0)) runner.close?.();
});
afterAll(() => {
  for (const base of bases) rmSync(base, { recursive: true, force: true });
});

/** In the checkout, not /tmp where that can be avoided: the sandbox's private /tmp would cover it. */
function setup(persistent = true, supervisor?: SupervisorKind) {
  const cache = path.join(process.cwd(), "node_modules", ".cache");
  mkdirSync(cache, { recursive: true });
  const base = realpathSync(mkdtempSync(path.join(cache, "colleague-persist-")));
  bases.push(base);
  const workspace = path.join(base, "ws");
  const home = path.join(base, "home");
  mkdirSync(workspace, { recursive: true });
  mkdirSync(home, { recursive: true });
  const { runner, backend } = createSandbox({ workspace, home, backend: "bubblewrap", persistent, ...(supervisor ? { supervisor } : {}) });
  runners.push(runner);
  const run = (command: string, extra: Partial<RunOptions> = {}) =>
    runner.run(command, { cwd: workspace, timeoutMs: 30_000, maxOutputBytes: 100_000, env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: home }, ...extra });
  return { base, workspace, home, runner, backend, run };
}

const bubblewrap = probeSandboxBackends().find((r) => r.backend === "bubblewrap")!;
const missing = bubblewrap.ok ? undefined : `${bubblewrap.reason} (fix: ${bubblewrap.fix})`;

const PID_NAMESPACE = "readlink /proc/self/ns/pid";
const OWN_GROUP = `[ "$(cut -d' ' -f5 /proc/$$/stat)" = "$$" ] && echo leader; echo $$`;

const gone = async (pid: number) => {
  for (let i = 0; i < 100; i++) {
    try {
      process.kill(pid, 0);
    } catch {
      return true;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
};

for (const program of ["perl", "node"] as const) {
  const noPerl = program === "perl" && !existsSync("/usr/bin/perl") ? "no /usr/bin/perl (apt-get install perl-base)" : undefined;
    describeIfAvailable(`the long-lived bubblewrap sandbox, ${program} supervisor`, missing ?? noPerl, () => {
    it("runs every command in one sandbox (a fresh one per command without it)", async () => {
      const s = setup(true, program);
      expect(s.backend).toBe("bubblewrap");
      const first = await s.run(PID_NAMESPACE);
      const second = await s.run(PID_NAMESPACE);
      expect(first.exitCode).toBe(0);
      expect(first.output).toMatch(/^pid:\[\d+\]\n$/);
      expect(second.output).toBe(first.output);
      const fresh = setup(false);
      const a = await fresh.run(PID_NAMESPACE);
      const b = await fresh.run(PID_NAMESPACE);
      expect(a.output).not.toBe(b.output);
    });

    it("gives each command its own process group, cwd and environment, and its exit code", async () => {
      const s = setup(true, program);
      mkdirSync(path.join(s.workspace, "sub"));
      const a = await s.run(`${OWN_GROUP}; pwd; echo "FOO=$FOO"`, { env: { PATH: process.env.PATH ?? "", FOO: "one" } });
      const b = await s.run(`${OWN_GROUP}; pwd; echo "FOO=$FOO"; exit 7`, { cwd: path.join(s.workspace, "sub"), env: { PATH: process.env.PATH ?? "" } });
      const [leaderA, pidA, cwdA, fooA] = a.output.trim().split("\n");
      const [leaderB, pidB, cwdB, fooB] = b.output.trim().split("\n");
      expect([leaderA, leaderB]).toEqual(["leader", "leader"]);
      expect(pidA).not.toBe(pidB);
      expect([cwdA, cwdB]).toEqual([s.workspace, path.join(s.workspace, "sub")]);
      expect([fooA, fooB]).toEqual(["FOO=one", "FOO="]);
      expect([a.exitCode, b.exitCode]).toEqual([0, 7]);
    });

    it("streams stdout and stderr, and keeps head and tail of a long output", async () => {
      const s = setup(true, program);
      const chunks: string[] = [];
      const r = await s.run("echo out; echo err >&2", { onOutput: (c) => chunks.push(c) });
      expect(r.output).toContain("out\n");
      expect(r.output).toContain("err\n");
      expect(chunks.join("")).toContain("err\n");
      const long = await s.run("seq 1 100000", { maxOutputBytes: 1_000 });
      expect(long.droppedBytes).toBeGreaterThan(0);
      expect(long.output.startsWith("1\n2\n")).toBe(true);
      expect(long.output.endsWith("100000\n")).toBe(true);
    });

    it("kills what a command left behind, even a process that left its group, before the next one", async () => {
      const s = setup(true, program);
      const started = await s.run("setsid sleep 300 >/dev/null 2>&1 & echo $!");
      const pid = started.output.trim();
      expect(pid).toMatch(/^\d+$/);
      const after = await s.run(`test -e /proc/${pid} && echo alive || echo gone`);
      expect(after.output).toBe("gone\n");
    });

    it("kills the command and its children on timeout and on interrupt; the sandbox serves the next command", async () => {
      const s = setup(true, program);
      const timed = await s.run("sleep 300 & echo $! > bg.pid; sleep 300", { timeoutMs: 500 });
      expect(timed.timedOut).toBe(true);
      expect(timed.exitCode).toBeNull();
      const bg = readFileSync(path.join(s.workspace, "bg.pid"), "utf8").trim();
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 300);
      const interrupted = await s.run("sleep 300", { signal: controller.signal });
      expect(interrupted.aborted).toBe(true);
      const next = await s.run(`test -e /proc/${bg} && echo alive || echo gone; ${PID_NAMESPACE}`);
      expect(next.output.split("\n")[0]).toBe("gone");
    });

    it("hides a HOME dot-entry made after the sandbox started (a new plan gets a new sandbox)", async () => {
      const s = setup(true, program);
      const before = await s.run(PID_NAMESPACE);
      writeFileSync(path.join(s.home, ".late-token"), "LATE SECRET");
      const read = await s.run(`cat ${path.join(s.home, ".late-token")}; ${PID_NAMESPACE}`);
      expect(read.output).not.toContain("LATE SECRET");
      // A checkout under /tmp has its test HOME under /tmp too (whatever TMPDIR says), which the
      // sandbox's private /tmp hides whole: nothing new to hide, so the same sandbox may serve. Elsewhere the plan changes.
      const underTmp = !path.relative(realpathSync("/tmp"), realpathSync(s.home)).startsWith("..");
      if (!underTmp) expect(read.output).not.toContain(before.output);
    });

    it("records the sandbox's process group before a command runs, and runs nothing when it cannot", async () => {
      const s = setup(true, program);
      const groups: number[] = [];
      await s.run("true", { onProcessGroup: (pgid) => groups.push(pgid) });
      expect(groups).toHaveLength(1);
      const refused = await s.run("touch ran", {
        onProcessGroup: () => {
          throw new Error("read-only home");
        },
      });
      expect(refused.output).toContain("could not be recorded");
      expect(existsSync(path.join(s.workspace, "ran"))).toBe(false);
      s.runner.close?.();
      expect(await gone(groups[0]!)).toBe(true);
    });

    it("passes output through byte for byte, and values with newlines, '=' and quotes in the environment", async () => {
      const s = setup(true, program);
      const bytes = await s.run(`printf 'a\\000b\\377\\n'; printf '%s' "$WEIRD" | od -An -c | tr -s ' '`, { env: { PATH: process.env.PATH ?? "", WEIRD: "x=1\ny'z" } });
      expect(bytes.exitCode).toBe(0);
      expect(bytes.output.startsWith("a\u0000b\ufffd\n")).toBe(true);
      expect(bytes.output).toContain("x = 1 \\n y ' z");
    });

    it("says why a command could not start, and serves the next one", async () => {
      const s = setup(true, program);
      const nul = await s.run("echo a\u0000b");
      expect(nul.exitCode).toBeNull();
      expect(nul.output).toMatch(/failed to start: .*NUL/);
      const gone = await s.run("echo hi", { cwd: path.join(s.workspace, "missing") });
      expect(gone.exitCode).toBeNull();
      expect(gone.output).toMatch(/^failed to start: /);
      expect((await s.run("echo fine")).output).toBe("fine\n");
    });
  });
}

/*
 * Warming: a session that starts using tools starts its sandbox in the background, so its first
 * command does not wait for bwrap and the supervisor's start. Nothing runs in it until a command
 * does, and a session that ends first leaves nothing behind.
 */

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

/**
 * A started sandbox is two bwrap processes: the outer one and the namespace's init. While it starts,
 * the init's child is briefly a third bwrap until it becomes the supervisor, so wait for two.
 */
const started = (workspace: string) => until(() => sandboxesOf(workspace), (pids) => pids.length === 2);

describeIfAvailable("warming the session sandbox", missing, () => {
  it("starts the sandbox before any command, and the first command runs in it (no second sandbox)", async () => {
    const s = setup();
    expect(sandboxesOf(s.workspace)).toEqual([]);
    s.runner.warm?.();
    s.runner.warm?.(); // idempotent
    const warmed = await started(s.workspace);
    expect(warmed).toHaveLength(2);
    const first = await s.run("echo ran");
    expect(first).toMatchObject({ exitCode: 0, output: "ran\n" });
    expect(sandboxesOf(s.workspace)).toEqual(warmed);
  });

  it("leaves nothing running when the session ends before a command, even one that ends at once", async () => {
    const s = setup();
    s.runner.warm?.();
    const warmed = await started(s.workspace);
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

describeIfAvailable("sweeping dead sandboxes' folders", missing, () => {
  it("sandboxes started together each run their command, and the folder of a dead colleague is gone before any does", async () => {
    const stale = path.join(os.tmpdir(), `colleague-sandbox-${deadPid()}-sweepme`);
    mkdirSync(path.join(stale, "tmp"), { recursive: true });
    // One sweep runs at a time; the others wait for the next: every command must still run.
    const sandboxes = Array.from({ length: 6 }, () => setup(false));
    const outputs = await Promise.all(sandboxes.map((s, i) => s.run(`echo ${i}`)));
    expect(outputs.map((o) => o.output.trim())).toEqual(["0", "1", "2", "3", "4", "5"]);
    expect(existsSync(stale)).toBe(false);
  });
});

/** A pid no process has now (a child that has exited). */
function deadPid(): number {
  return spawnSync("true").pid!;
}
