import type { ChildProcess } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { afterAll, expect, it } from "vitest";
import type { AgentEvent } from "../../src/agent/events.js";
import { TEAM_AGENT } from "../../src/team/log.js";
import { describeIfAvailable } from "../requires.js";
import {
  type AttackUser,
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
  sleep,
  sleepers,
  spawnAs,
  waitForNoSleepers,
} from "./sandbox-helpers.js";

/**
 * A team ends as cleanly as a solo session: what its members' commands start in the background
 * goes when the team ends (sandbox on or off) and the sandboxes' temp folders with it; what a
 * killed team left running goes when it is resumed, before any member runs again; a team told to
 * stop (SIGTERM) ends as "stopped" and resumes.
 */

afterAll(cleanUp);

const shell = (command: string) => ({ toolCalls: [{ name: "shell", args: { command } }] });

const waitForMessage = { toolCalls: [{ name: "wait", args: { until: "message" } }] };

/**
 * A lead that starts teammate w and waits for w's word, then answers `answer`; `waits` more
 * than one when a stopped run ends a wait early and the resumed lead waits again.
 */
function leadFor(answer: string, waits = 1) {
  return {
    steps: [
      { toolCalls: [{ name: "spawn_teammate", args: { name: "w", role: "worker", task: "do the work" } }] },
      ...Array.from({ length: waits }, () => waitForMessage),
      { text: answer },
    ],
  };
}

/** Finds `sleep <mark>` in /proc without matching the shell that runs the search. */
const leftoverCheck = (...marks: string[]) =>
  marks.map((m) => `if grep -qas ${`'sleep.${m.replace(".", "[.]")}'`} /proc/[0-9]*/cmdline; then echo "ALIVE ${m}"; else echo "GONE ${m}"; fi`).join("; ");

const parse = (stdout: string) =>
  stdout
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as AgentEvent);

/** The text of w's shell results, in order. */
const outputsOf = (events: AgentEvent[]) =>
  events
    .filter((e): e is Extract<AgentEvent, { type: "tool_finished" }> => e.type === "tool_finished" && e.agentId === "w" && e.name === "shell")
    .map((e) => e.content.map((c) => ("text" in c ? c.text : "")).join(""));

const teamEnd = (events: AgentEvent[]) =>
  events.findLast((e): e is Extract<AgentEvent, { type: "session_finished" }> => e.type === "session_finished" && e.agentId === TEAM_AGENT);

/** The events of a `--json` team run until `until` holds. */
function eventsUntil(child: ChildProcess, until: (e: AgentEvent) => boolean): Promise<AgentEvent[]> {
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

/** w's `n`-th shell call (0-based) has started. */
const wShellStarted = (n: number) => {
  let count = 0;
  return (e: AgentEvent) => e.type === "tool_started" && e.agentId === "w" && e.name === "shell" && count++ === n;
};

/** Waits (up to `ms`) until `sleep <mark>` runs: a command has started once its tool_started is out, not necessarily its sleep. */
async function waitForSleepers(mark: string, ms: number): Promise<number[]> {
  const until = Date.now() + ms;
  let alive = sleepers(mark);
  while (!alive.length && Date.now() < until) {
    await sleep(50);
    alive = sleepers(mark);
  }
  return alive;
}

const teamArgs = (scenario: string, workspace: string) => ["team", "do it as a team", "--size", "2", "--lead", `scripted:${scenario}`, "--teammate", `scripted:${scenario}`, "--cwd", workspace, "--json"];

for (const user of attackUsers()) {
  for (const sandbox of ["off", ...BACKENDS] as const) {
    const missing = user.missing ?? (sandbox === "off" ? undefined : backendMissing(sandbox));
    describeIfAvailable(`the end of a team, as ${user.name} (sandbox ${sandbox})`, missing, () => {
      const sandboxEnv: Record<string, string> = sandbox === "off" ? { COLLEAGUE_SANDBOX: "off" } : { COLLEAGUE_SANDBOX_BACKEND: sandbox };

      it("kills what a member's commands left running in the background, and removes the sandbox's temp folders", async () => {
        const p = place(user);
        const mark = marker();
        const scenario = scenarioFor(user.uid, {
          agents: {
            lead: leadFor("the team is done"),
            w: { steps: [shell(`(sleep ${mark} &) ; nohup sleep ${mark} >/dev/null 2>&1 & echo started`), shell(leftoverCheck(mark)), { text: "server started" }] },
          },
        });
        const env = cliEnv(user, { HOME: p.home, ...sandboxEnv });
        const run = await cliAs(user, teamArgs(scenario, p.workspace), env, p.workspace);
        expect(run.stderr).not.toMatch(/error/i);
        expect(run.code).toBe(0);
        const events = parse(run.stdout);
        expect(teamEnd(events)?.status).toBe("completed");
        const [started, during] = outputsOf(events);
        expect(started).toContain("started");
        // Unsandboxed, the background processes outlive their command until the team ends.
        if (sandbox === "off") expect(during).toContain(`ALIVE ${mark}`);
        expect(await waitForNoSleepers(mark, 2_000)).toEqual([]);
        const groups = path.join(env.COLLEAGUE_HOME!, "process-groups");
        expect(existsSync(groups)).toBe(true);
        expect(readdirSync(groups)).toEqual([]);
        expect(runnerFoldersOf(run.pid)).toEqual([]);
      });

      it("a resume first kills what a killed run of the team left running", async () => {
        const p = place(user);
        const background = marker();
        const foreground = marker();
        const scenario = scenarioFor(user.uid, {
          agents: {
            lead: leadFor("done after the resume"),
            w: {
              steps: [
                shell(`nohup sleep ${background} >/dev/null 2>&1 & echo started`),
                shell(`sleep ${foreground}`),
                shell(leftoverCheck(background, foreground)),
                { text: "checked" },
              ],
            },
          },
        });
        const env = cliEnv(user, { HOME: p.home, ...sandboxEnv });
        const child = spawnAs(user, [process.execPath, BIN, ...teamArgs(scenario, p.workspace)], { env, cwd: p.workspace });
        const seen = await eventsUntil(child, wShellStarted(1));
        expect((await waitForSleepers(foreground, 10_000)).length).toBeGreaterThan(0); // the long command is running
        child.kill("SIGKILL");
        await new Promise((r) => child.on("close", r));
        if (sandbox === "off") {
          // Nothing killed them: without the record they would run on.
          expect(sleepers(background).length).toBeGreaterThan(0);
          expect(sleepers(foreground).length).toBeGreaterThan(0);
        }
        const resumed = await cliAs(user, ["resume", seen[0]!.sessionId, "--json"], env, p.workspace);
        expect(resumed.stderr).not.toMatch(/error/i);
        expect(resumed.code).toBe(0);
        const events = parse(resumed.stdout);
        expect(teamEnd(events)?.status).toBe("completed");
        const check = outputsOf(events).find((o) => o.includes(background));
        expect(check).toContain(`GONE ${background}`);
        expect(check).toContain(`GONE ${foreground}`);
        expect(sleepers(background)).toEqual([]);
        expect(sleepers(foreground)).toEqual([]);
      });
    });
  }
}

const self: AttackUser | undefined = attackUsers().find((u) => u.uid === process.getuid?.() && !u.missing);

describeIfAvailable("a team told to stop", self ? undefined : "no test user", () => {
  it("SIGTERM ends it as stopped (exit 143, nothing left running), and resume finishes it", async () => {
    const user = self!;
    const p = place(user);
    const mark = marker();
    const scenario = scenarioFor(user.uid, {
      agents: {
        lead: leadFor("done after the resume", 2),
        w: { steps: [shell(`sleep ${mark}`), shell("echo carried on"), { text: "w is done" }] },
      },
    });
    const env = cliEnv(user, { HOME: p.home, COLLEAGUE_SANDBOX: "off" });
    const child = spawnAs(user, [process.execPath, BIN, ...teamArgs(scenario, p.workspace)], { env, cwd: p.workspace });
    let stdout = "";
    child.stdout!.on("data", (d: Buffer) => (stdout += d));
    const seen = await eventsUntil(child, wShellStarted(0));
    expect((await waitForSleepers(mark, 10_000)).length).toBeGreaterThan(0);
    child.kill("SIGTERM");
    const code = await new Promise<number | null>((r) => child.on("close", r));
    expect(code).toBe(143);
    const end = teamEnd(parse(stdout));
    expect(end?.status).toBe("stopped");
    expect(end?.error).toMatch(/SIGTERM.*colleague resume/);
    expect(await waitForNoSleepers(mark, 2_000)).toEqual([]);

    const resumed = await cliAs(user, ["resume", seen[0]!.sessionId, "--json"], env, p.workspace);
    expect(resumed.code).toBe(0);
    const events = parse(resumed.stdout);
    expect(teamEnd(events)?.status).toBe("completed");
    expect(outputsOf(events).join("\n")).toContain("carried on");
  });
});
