import { existsSync, mkdtempSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { AgentEvent } from "../../src/agent/events.js";
import { cleanEnv, runCli, scenarioFile } from "../cli/cli-helpers.js";

const MB = 1024 * 1024;
const SIZE = 50 * MB;

/** How often the 50 MB answer occurs in `text` (its 1 MB marker-delimited runs, counted). */
const copies = (text: string) => text.split("<<start>>").length - 1;

const storeBytes = (home: string) =>
  ["sessions.db", "sessions.db-wal"].map((f) => path.join(home, f)).reduce((sum, f) => sum + (existsSync(f) ? statSync(f).size : 0), 0);

describe("a 50 MB final answer", () => {
  it("is printed once (run, -p) and stored once", { timeout: 300_000 }, async () => {
    const answer = `<<start>>${"A".repeat(SIZE - 9)}`;
    const model = `scripted:${scenarioFile({ steps: [{ text: answer }] })}`;
    const env = cleanEnv();
    const cwd = mkdtempSync(path.join(os.tmpdir(), "colleague-big-"));

    const human = await runCli(["run", "say it", "--model", model, "--cwd", cwd], { env });
    expect(human.code).toBe(0);
    expect(copies(human.stdout)).toBe(1);
    expect(human.stdout.length).toBeLessThan(SIZE + MB);
    // The log holds the answer once (in the assistant message), not again in session_finished.
    const stored = storeBytes(env.COLLEAGUE_HOME!);
    expect(stored).toBeGreaterThan(SIZE);
    expect(stored).toBeLessThan(SIZE * 1.25);

    const text = await runCli(["-p", "say it", "--model", model, "--cwd", cwd], { env });
    expect(text.code).toBe(0);
    expect(text.stdout).toBe(`${answer}\n`);

    // Reading the log back gives every event as emitted: session_finished carries the answer.
    const list = (await runCli(["sessions", "--json"], { env })).stdout.trim().split("\n");
    const firstId = (JSON.parse(list.at(-1)!) as { id: string }).id;
    const shown = (await runCli(["show", firstId, "--json"], { env })).stdout.trim().split("\n");
    const finished = JSON.parse(shown.at(-1)!) as Extract<AgentEvent, { type: "session_finished" }>;
    expect(finished).toMatchObject({ type: "session_finished", status: "completed" });
    expect(finished.answer).toBe(answer);
    expect(finished).not.toHaveProperty("answerInMessage");
  });
});
