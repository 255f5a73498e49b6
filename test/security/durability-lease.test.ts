import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { AgentEvent } from "../../src/agent/events.js";
import { cleanEnv, jsonEvents, runCli, scenarioFile, startCli } from "../cli/cli-helpers.js";
import { withoutPartNotices } from "../helpers.js";

/** Step 1 ends the first run (--max-steps 1); step 2 is slow, so a resume holds the session for a while. */
const scenario = (delayMs: number) =>
  scenarioFile({ steps: [{ toolCalls: [{ name: "shell", args: { command: "echo one" } }] }, { delayMs, text: "done" }] });

async function stoppedSession(env: NodeJS.ProcessEnv, model: string): Promise<string> {
  const cwd = mkdtempSync(path.join(os.tmpdir(), "colleague-lease-"));
  const first = await runCli(["run", "a task", "--model", model, "--cwd", cwd, "--max-steps", "1", "--json"], { env });
  const events = jsonEvents(first.stdout);
  expect(events.at(-1)).toMatchObject({ type: "session_finished", status: "max_steps" });
  return events[0]!.sessionId;
}

const BUSY = /^colleague: session (\w+) is running in process (\d+) \(colleague resume, started \d\d:\d\d\); wait for it or stop it\n$/;

describe("two resumes of one session", () => {
  it("exactly one of each of 10 simultaneous pairs runs; the other says who holds it; none ends in error", { timeout: 240_000 }, async () => {
    const env = cleanEnv();
    const model = `scripted:${scenario(10_000)}`;
    const ids = await Promise.all(Array.from({ length: 10 }, () => stoppedSession(env, model)));
    const pairs = await Promise.all(
      ids.map((id) => Promise.all([runCli(["resume", id, "--json"], { env }), runCli(["resume", id, "--json"], { env })])),
    );
    for (const [index, pair] of pairs.entries()) {
      const ran = pair.filter((r) => r.code === 0);
      const refused = pair.filter((r) => r.code === 2);
      expect(ran, `pair ${index}: ${pair.map((r) => r.stderr).join(" | ")}`).toHaveLength(1);
      expect(refused).toHaveLength(1);
      expect(refused[0]!.stdout).toBe("");
      const busy = BUSY.exec(withoutPartNotices(refused[0]!.stderr));
      expect(busy, refused[0]!.stderr).not.toBeNull();
      expect(busy![1]).toBe(ids[index]);
      const winner = jsonEvents(ran[0]!.stdout);
      expect(winner.at(-1)).toMatchObject({ type: "session_finished", status: "completed", answer: "done" });
    }
    const list = jsonEvents((await runCli(["sessions", "--json"], { env })).stdout) as unknown as { id: string; status: string }[];
    for (const id of ids) expect(list.find((row) => row.id === id)?.status).toBe("completed");
  });

  it("a resume takes over the session of a holder killed with kill -9", { timeout: 120_000 }, async () => {
    const env = cleanEnv();
    const model = `scripted:${scenario(30_000)}`;
    const id = await stoppedSession(env, model);
    const holder = startCli(["resume", id, "--json"], { env });
    await new Promise<void>((resolve, reject) => {
      let out = "";
      holder.stdout!.on("data", (d: Buffer) => {
        out += d;
        if (out.split("\n").some((l) => l && (JSON.parse(l) as AgentEvent).type === "session_resumed")) resolve();
      });
      holder.on("exit", (code) => reject(new Error(`the holder exited (${code}) before resuming`)));
    });
    const refused = await runCli(["resume", id], { env });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`is running in process ${holder.pid} (colleague resume`);

    holder.kill("SIGKILL");
    await new Promise((r) => holder.on("close", r));
    const taken = await runCli(["resume", id, "--json", "--model", `scripted:${scenario(0)}`], { env });
    expect(withoutPartNotices(taken.stderr)).toBe("");
    expect(taken.code).toBe(0);
    expect(jsonEvents(taken.stdout).at(-1)).toMatchObject({ type: "session_finished", status: "completed" });
  });
});
