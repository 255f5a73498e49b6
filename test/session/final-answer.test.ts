import { describe, expect, it } from "vitest";
import type { AgentEvent } from "../../src/agent/events.js";
import { FinalAnswerWriter, withFinalAnswers } from "../../src/store/final-answer.js";
import { SqliteStore } from "../../src/store/sqlite.js";
import { runScenario } from "../helpers.js";

const rawBodies = (store: SqliteStore, sessionId: string) =>
  (store as unknown as { db: { prepare(sql: string): { all(id: string): { type: string; body: string }[] } } }).db
    .prepare("SELECT type, body FROM events WHERE session_id = ? ORDER BY seq")
    .all(sessionId);

describe("the final answer in the store", () => {
  it("is stored once (in the assistant message) and read back whole in session_finished", async () => {
    const answer = `the answer ${"x".repeat(10_000)}`;
    const store = new SqliteStore(":memory:");
    const { result } = await runScenario({ steps: [{ text: answer }] }, { store });
    const finishedRaw = rawBodies(store, result.sessionId).find((r) => r.type === "session_finished")!;
    expect(finishedRaw.body).not.toContain("the answer");
    expect(JSON.parse(finishedRaw.body)).toMatchObject({ answerInMessage: true });

    for (const events of [store.events(result.sessionId), [...store.iterateEvents(result.sessionId)]]) {
      const finished = events.at(-1) as Extract<AgentEvent, { type: "session_finished" }>;
      expect(finished.answer).toBe(answer);
      expect(finished).not.toHaveProperty("answerInMessage");
    }
  });

  it("keeps an answer that differs from the last message as it is", () => {
    const writer = new FinalAnswerWriter();
    const base = { seq: 1, sessionId: "s", agentId: "main", time: "t" };
    const message = { ...base, type: "assistant_message", message: { role: "assistant", content: [{ type: "text", text: "said" }] }, costUsd: 0 } as AgentEvent;
    writer.body(message, {});
    const finished = { ...base, seq: 2, type: "session_finished", status: "completed", answer: "replaced", steps: 1, usage: {}, costUsd: 0, durationMs: 1 } as unknown as AgentEvent;
    expect(writer.body(finished, { answer: "replaced" })).toEqual({ answer: "replaced" });
    expect([...withFinalAnswers([message, finished])].at(-1)).toMatchObject({ answer: "replaced" });
  });
});
