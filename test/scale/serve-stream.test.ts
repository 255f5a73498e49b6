import { expect, it } from "vitest";
import type { AgentEvent } from "../../src/agent/events.js";
import { createScriptedModel } from "../../src/model/scripted.js";
import { SessionService } from "../../src/server/sessions.js";
import { startSession } from "../../src/session/session.js";
import { PostgresStore } from "../../src/store/postgres/postgres-store.js";
import { tempRepo } from "../helpers.js";
import { describeIfAvailable } from "../requires.js";
import { freshPostgresUrl, postgresMissing } from "./services.js";

async function until(check: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describeIfAvailable("serve streams sessions another process runs (LISTEN/NOTIFY)", postgresMissing, () => {
  it("delivers every event of a session run elsewhere, in order, once, as it is committed", async () => {
    const url = freshPostgresUrl();
    const root = tempRepo();
    // The serve side: its own store connection; the session never runs in it.
    const service = new SessionService({ store: url, roots: [root] });
    // The worker side: another connection, as another process on another machine would have.
    const worker = new PostgresStore(url);
    try {
      let release!: () => void;
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      // The session waits between its two steps, so the subscriber is in place while it runs.
      const model = createScriptedModel({ steps: [{ toolCalls: [{ name: "list", args: {} }] }, { text: "done" }] });
      const slow = { ...model, stream: async function* (...args: Parameters<typeof model.stream>) {
        if (args[0].messages.length > 1) await gate;
        yield* model.stream(...args);
      } };
      const running = startSession("look around", { store: worker, model: slow, cwd: root, sessionId: "remote1" });
      await until(() => worker.events("remote1").some((e) => e.type === "tool_finished"), "the first step");

      const seen: AgentEvent[] = [];
      const unsubscribe = service.subscribe("remote1", 0, (event) => seen.push(event));
      const replayed = seen.length;
      expect(replayed).toBeGreaterThan(0);
      release();
      const result = await running;
      expect(result.status).toBe("completed");
      await until(() => seen.some((e) => e.type === "session_finished"), "session_finished to reach the server");
      unsubscribe();

      const stored = worker.events("remote1");
      expect(seen.map((e) => e.seq)).toEqual(stored.map((e) => e.seq));
      expect(seen).toEqual(stored);
      // Events after the subscription came through the notifications, not the first read.
      expect(seen.length).toBeGreaterThan(replayed);
      expect(seen.at(-1)).toMatchObject({ type: "session_finished", answer: "done" });
    } finally {
      worker.close();
      await service.close();
    }
  });
});
