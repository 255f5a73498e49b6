import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { AgentEvent } from "../../src/agent/events.js";
import { BIN, cleanEnv, jsonEvents, runCli, scenarioFile, startCli } from "../cli/cli-helpers.js";
import { withoutPartNotices } from "../helpers.js";

/** Three steps; the second waits, so an early end lands mid-session. */
const model = () =>
  `scripted:${scenarioFile({
    steps: [
      { text: "working", toolCalls: [{ name: "shell", args: { command: "echo one" } }] },
      { delayMs: 1500, toolCalls: [{ name: "shell", args: { command: "echo two" } }] },
      { text: "all done" },
    ],
  })}`;

const workspace = () => mkdtempSync(path.join(os.tmpdir(), "colleague-ends-"));

/** The stored log: one unbroken run of seqs, ending with the session's end. */
async function storedLog(env: NodeJS.ProcessEnv, id: string): Promise<AgentEvent[]> {
  const log = jsonEvents((await runCli(["show", id, "--json"], { env })).stdout);
  expect(log.map((e) => e.seq)).toEqual(log.map((_, i) => i + 1));
  return log;
}

async function statusOf(env: NodeJS.ProcessEnv, id: string): Promise<string | undefined> {
  const rows = jsonEvents((await runCli(["sessions", "--json"], { env })).stdout) as unknown as { id: string; status: string }[];
  return rows.find((r) => r.id === id)?.status;
}

async function resumesToTheEnd(env: NodeJS.ProcessEnv, id: string): Promise<void> {
  const resumed = await runCli(["resume", id, "--json"], { env });
  expect(withoutPartNotices(resumed.stderr)).toBe("");
  expect(resumed.code).toBe(0);
  expect(jsonEvents(resumed.stdout).at(-1)).toMatchObject({ type: "session_finished", status: "completed", answer: "all done" });
}

describe("a run whose output or terminal goes away", () => {
  it("`run --json | head -1` exits cleanly; the session is stopped, its log intact, and it resumes", async () => {
    const env = cleanEnv();
    const cwd = workspace();
    const script = `"${process.execPath}" "${BIN}" run "a task" --json --model "${model()}" --cwd "${cwd}" | head -1; echo "colleague exit $\{PIPESTATUS[0]}" >&2`;
    const shell = spawn("bash", ["-c", script], { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    shell.stdout.on("data", (d: Buffer) => (stdout += d));
    shell.stderr.on("data", (d: Buffer) => (stderr += d));
    const code = await new Promise((resolve) => shell.on("close", resolve));
    expect(code).toBe(0);
    // No stack trace, no "internal error": only the exit code, as a shell reports SIGPIPE.
    expect(withoutPartNotices(stderr)).toBe("colleague exit 141\n");
    const first = JSON.parse(stdout) as AgentEvent;
    expect(first.type).toBe("session_started");

    expect(await statusOf(env, first.sessionId)).toBe("stopped");
    const log = await storedLog(env, first.sessionId);
    expect(log.at(-1)).toMatchObject({ type: "session_finished", status: "stopped", error: expect.stringContaining("EPIPE") });
    await resumesToTheEnd(env, first.sessionId);
  });

  for (const [signal, exit] of [
    ["SIGHUP", 129],
    ["SIGTERM", 143],
  ] as const) {
    it(`${signal} ends the session as stopped (exit ${exit}), and it resumes`, async () => {
      const env = cleanEnv();
      const child = startCli(["run", "a task", "--json", "--model", model(), "--cwd", workspace()], { env });
      let stdout = "";
      let stderr = "";
      child.stderr!.on("data", (d: Buffer) => (stderr += d));
      await new Promise<void>((resolve) => {
        child.stdout!.on("data", (d: Buffer) => {
          stdout += d;
          if (stdout.includes('"type":"tool_finished"')) resolve();
        });
      });
      child.kill(signal);
      const code = await new Promise((resolve) => child.on("close", resolve));
      expect(withoutPartNotices(stderr)).toBe("");
      expect(code).toBe(exit);
      const events = jsonEvents(stdout);
      expect(events.at(-1)).toMatchObject({ type: "session_finished", status: "stopped" });
      const id = events[0]!.sessionId;
      expect(await statusOf(env, id)).toBe("stopped");
      expect((await storedLog(env, id)).at(-1)).toMatchObject({ type: "session_finished", status: "stopped" });
      await resumesToTheEnd(env, id);
    });
  }
});
