import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { AgentEvent } from "../../src/agent/events.js";
import { createSandbox } from "../../src/policy/sandbox/index.js";
import { killRecordedProcessGroups, processGroupFile, recordProcessGroup } from "../../src/policy/sandbox/process-groups.js";
import { describeIfAvailable } from "../requires.js";
import {
  attackAndDie,
  attackUsers,
  BACKENDS,
  BIN,
  backendMissing,
  cleanUp,
  cliAs,
  cliEnv,
  marker,
  place,
  runnerFoldersOf,
  scenarioFor,
  scratch,
  sleep,
  sleepers,
  spawnAs,
  waitForNoSleepers,
} from "./sandbox-helpers.js";

/**
 * Nothing a session starts outlives it: a colleague killed while a sandbox starts leaves no
 * command running; background processes go when the session ends (sandbox on or off); what a
 * killed session left running goes when it is resumed; sandbox temp folders go with the runner.
 */

afterAll(cleanUp);

/**
 * Kill times that land inside sandbox start-up: from the runner's start (before, during and after
 * the spawn), and from the moment the shell exists (before bwrap or unshare tie the sandbox's life
 * to colleague's, and while they set up).
 */
const KILLS: { killAfterMs?: number; killAfterSpawnMs?: number }[] = [
  { killAfterMs: 0 },
  { killAfterMs: 10 },
  { killAfterMs: 100 },
  { killAfterSpawnMs: 0 },
  { killAfterSpawnMs: 0 },
  { killAfterSpawnMs: 1 },
  { killAfterSpawnMs: 3 },
  { killAfterSpawnMs: 10 },
];

for (const user of attackUsers()) {
  for (const backend of BACKENDS) {
    describeIfAvailable(`a colleague killed during sandbox start-up, as ${user.name} (${backend})`, user.missing ?? backendMissing(backend), () => {
      it("leaves no command running, whenever in the start-up the kill lands", async () => {
        const p = place(user);
        const runs = KILLS.map((kill, i) => ({ ...kill, mark: marker(), file: path.join(p.workspace, `ran-after-${i}`) }));
        // A control that dies after its command has started: the command is there and dies with it.
        const control = { killAfterMs: 6000, mark: marker(), file: path.join(p.workspace, "ran-after-control") };
        await Promise.all(
          [...runs, control].map(({ mark, file, ...kill }) =>
            attackAndDie(user, backend, { workspace: p.workspace, home: p.home, ...kill, commands: [`sleep 1.5; touch ${file}; sleep ${mark}`] }),
          ),
        );
        expect(existsSync(control.file)).toBe(true);
        await sleep(2_500);
        for (const run of [...runs, control]) {
          const when = JSON.stringify({ ...run, file: undefined, mark: undefined });
          expect(existsSync(run.file), when).toBe(run === control);
          expect(await waitForNoSleepers(run.mark, 1_000), when).toEqual([]);
        }
      }, 120_000);
    });
  }
}

/** The events of a `--json` run, as they come. */
function events(child: ChildProcess, until: (e: AgentEvent) => boolean): Promise<AgentEvent[]> {
  return new Promise((resolve, reject) => {
    const seen: AgentEvent[] = [];
    let buffer = "";
    child.stdout!.on("data", (d: Buffer) => {
      buffer += d;
      for (let nl = buffer.indexOf("\n"); nl >= 0; nl = buffer.indexOf("\n")) {
        const event = JSON.parse(buffer.slice(0, nl)) as AgentEvent;
        buffer = buffer.slice(nl + 1);
        seen.push(event);
        if (until(event)) resolve(seen);
      }
    });
    child.on("exit", (code) => reject(new Error(`exited (${code}) before the awaited event`)));
  });
}

const toolOutputs = (stdout: string) =>
  stdout
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as AgentEvent)
    .filter((e): e is Extract<AgentEvent, { type: "tool_finished" }> => e.type === "tool_finished")
    .map((e) => e.content.map((c) => ("text" in c ? c.text : "")).join(""));

/** Finds `sleep <mark>` in /proc without matching the shell that runs the search. */
const leftoverCheck = (...marks: string[]) =>
  marks.map((m) => `if grep -qas ${`'sleep.${m.replace(".", "[.]")}'`} /proc/[0-9]*/cmdline; then echo "ALIVE ${m}"; else echo "GONE ${m}"; fi`).join("; ");

for (const user of attackUsers()) {
  for (const sandbox of ["off", ...BACKENDS] as const) {
    const missing = user.missing ?? (sandbox === "off" ? undefined : backendMissing(sandbox));
    describeIfAvailable(`the end of a session, as ${user.name} (sandbox ${sandbox})`, missing, () => {
      const sandboxEnv: Record<string, string> = sandbox === "off" ? { COLLEAGUE_SANDBOX: "off" } : { COLLEAGUE_SANDBOX_BACKEND: sandbox };

      it("kills the background processes its commands started, and removes the sandbox's temp folders", async () => {
        const p = place(user);
        const mark = marker();
        const scenario = scenarioFor(user.uid, {
          steps: [
            { toolCalls: [{ name: "shell", args: { command: `(sleep ${mark} &) ; nohup sleep ${mark} >/dev/null 2>&1 & echo started` } }] },
            { toolCalls: [{ name: "shell", args: { command: leftoverCheck(mark) } }] },
            { text: "done" },
          ],
        });
        const env = cliEnv(user, { HOME: p.home, ...sandboxEnv });
        const run = await cliAs(user, ["run", "start a server", "--model", `scripted:${scenario}`, "--cwd", p.workspace, "--json"], env, p.workspace);
        expect(run.stderr).not.toMatch(/error/i);
        expect(run.code).toBe(0);
        const [started, during] = toolOutputs(run.stdout);
        expect(started).toContain("started");
        // Unsandboxed, the background processes outlive their command until the session ends.
        if (sandbox === "off") expect(during).toContain(`ALIVE ${mark}`);
        expect(await waitForNoSleepers(mark, 2_000)).toEqual([]);
        expect(existsSync(path.join(env.COLLEAGUE_HOME!, "process-groups"))).toBe(true);
        expect(readdirSync(path.join(env.COLLEAGUE_HOME!, "process-groups"))).toEqual([]);
        expect(runnerFoldersOf(run.pid)).toEqual([]);
      });

      it("a resume first kills what a killed run of the session left running", async () => {
        const p = place(user);
        const background = marker();
        const foreground = marker();
        const scenario = scenarioFor(user.uid, {
          steps: [
            { toolCalls: [{ name: "shell", args: { command: `nohup sleep ${background} >/dev/null 2>&1 & echo started` } }] },
            { toolCalls: [{ name: "shell", args: { command: `sleep ${foreground}` } }] },
            { toolCalls: [{ name: "shell", args: { command: leftoverCheck(background, foreground) } }] },
            { text: "done after the resume" },
          ],
        });
        const env = cliEnv(user, { HOME: p.home, ...sandboxEnv });
        const child = spawnAs(user, [process.execPath, BIN, "run", "long task", "--model", `scripted:${scenario}`, "--cwd", p.workspace, "--json"], { env, cwd: p.workspace });
        const seen = await events(child, (e) => e.type === "tool_started" && e.callId === "call_1_0");
        await sleep(1_000); // the long command is running
        child.kill("SIGKILL");
        await new Promise((r) => child.on("close", r));
        if (sandbox === "off") {
          // Nothing killed them: without the record they would run on.
          expect(sleepers(background).length).toBeGreaterThan(0);
          expect(sleepers(foreground).length).toBeGreaterThan(0);
        }
        const resumed = await cliAs(user, ["resume", seen[0]!.sessionId, "--json"], env, p.workspace);
        expect(resumed.code).toBe(0);
        const check = toolOutputs(resumed.stdout).find((o) => o.includes(background));
        expect(check).toContain(`GONE ${background}`);
        expect(check).toContain(`GONE ${foreground}`);
        expect(sleepers(background)).toEqual([]);
        expect(sleepers(foreground)).toEqual([]);
      });
    });
  }
}

describe("the record of a session's process groups", () => {
  const home = () => scratch(process.getuid?.() ?? 0, "colleague-sec-pg-");

  /** A detached `sleep <mark>` in a group of its own. */
  function group(mark: string): number {
    const child = spawn("sleep", [mark], { detached: true, stdio: "ignore" });
    child.unref();
    return child.pid!;
  }

  const startOf = (pid: number) => {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19]!;
  };

  /** Rewrites every record line's owner: a colleague process that is `alive` (this test's child) or long gone. */
  function ownedBy(file: string, owner: { pid: number; start: string }) {
    const text = readFileSync(file, "utf8")
      .split("\n")
      .filter((l) => l)
      .map((l) => {
        const [pgid, leader, boot] = l.split(" ");
        return `${pgid} ${leader} ${boot} ${owner.pid} ${owner.start}\n`;
      })
      .join("");
    writeFileSync(file, text);
  }

  it.runIf(process.platform === "linux")("kills groups whose colleague died, leaves those of a colleague still running, and never a reused number", async () => {
    const dir = home();
    const dead = spawnSync("true");
    const orphan = marker();
    recordProcessGroup(dir, "s-dead", group(orphan));
    ownedBy(processGroupFile(dir, "s-dead"), { pid: dead.pid!, start: "1" });

    const owner = spawn("sleep", ["30"], { stdio: "ignore" });
    const held = marker();
    const heldPgid = group(held);
    recordProcessGroup(dir, "s-live", heldPgid);
    ownedBy(processGroupFile(dir, "s-live"), { pid: owner.pid!, start: startOf(owner.pid!) });

    // A record whose number now belongs to another process (another start time): not ours.
    const reused = marker();
    const reusedPgid = group(reused);
    writeFileSync(processGroupFile(dir, "s-reused"), `${reusedPgid} 1 ${readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim()} ${dead.pid} 1\n`);
    try {
      expect(killRecordedProcessGroups(dir, "s-dead")).toBe(1);
      expect(await waitForNoSleepers(orphan, 2_000)).toEqual([]);
      expect(existsSync(processGroupFile(dir, "s-dead"))).toBe(false);

      expect(killRecordedProcessGroups(dir, "s-live")).toBe(0);
      expect(sleepers(held)).toEqual([heldPgid]);
      expect(readFileSync(processGroupFile(dir, "s-live"), "utf8")).toContain(`${heldPgid} `);

      expect(killRecordedProcessGroups(dir, "s-reused")).toBe(0);
      expect(sleepers(reused)).toEqual([reusedPgid]);
    } finally {
      owner.kill("SIGKILL");
      for (const pgid of [heldPgid, reusedPgid]) process.kill(-pgid, "SIGKILL");
    }
  });

  it("a command whose group cannot be recorded does not run", async () => {
    const base = home();
    const blocker = path.join(base, "home-is-a-file");
    writeFileSync(blocker, "");
    const { recordingRunner } = await import("../../src/policy/sandbox/process-groups.js");
    const { localProcessRunner } = await import("../../src/tools/local-io.js");
    const runner = recordingRunner(localProcessRunner, blocker, "s");
    const out = await runner.run(`touch ${base}/ran`, { cwd: base, timeoutMs: 10_000, maxOutputBytes: 10_000 });
    expect(out.output).toMatch(/not started: its process group could not be recorded/);
    await sleep(200);
    expect(existsSync(path.join(base, "ran"))).toBe(false);
  });
});

describeIfAvailable("sandbox temp folders", backendMissing("bubblewrap") && backendMissing("unshare") ? "no sandbox backend works here" : undefined, () => {
  it("go when the runner closes, and those of a killed colleague are swept by the next runner", async () => {
    const backend = backendMissing("bubblewrap") ? "unshare" : "bubblewrap";
    const stale = spawnSync("true").pid!;
    const staleDir = path.join(os.tmpdir(), `colleague-sandbox-${stale}-zzzzzz`);
    mkdirSync(path.join(staleDir, "tmp"), { recursive: true });
    const user = attackUsers().find((u) => u.uid === process.getuid?.())!;
    const p = place(user);
    const sandbox = createSandbox({ workspace: p.workspace, home: p.home, backend });
    const out = await sandbox.runner.run("echo kept > /tmp/x && cat /tmp/x", { cwd: p.workspace, timeoutMs: 30_000, maxOutputBytes: 10_000 });
    expect(out.output).toBe("kept\n");
    expect(existsSync(staleDir)).toBe(false);
    expect(runnerFoldersOf(process.pid).length).toBe(1);
    sandbox.runner.close?.();
    expect(runnerFoldersOf(process.pid)).toEqual([]);
  });
});
