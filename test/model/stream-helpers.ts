import { afterEach } from "vitest";
import type { AssistantMessage, ModelError, ModelEvent, ModelRequest } from "../../src/model/types.js";
import type { FakeServer } from "../fakes/http.js";

/** Drains a model stream into a list (a stream never throws; it ends with done or error). */
export async function collect(stream: AsyncIterable<ModelEvent>): Promise<ModelEvent[]> {
  const events: ModelEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

/** The final message of a stream that must have ended with `done`. */
export function doneMessage(events: ModelEvent[]): AssistantMessage {
  const last = events.at(-1);
  if (last?.type !== "done") throw new Error(`expected done, got ${JSON.stringify(last)}`);
  return last.message;
}

/** The error of a stream that must have ended with `error`. */
export function lastError(events: ModelEvent[]): ModelError {
  const last = events.at(-1);
  if (last?.type !== "error") throw new Error(`expected error, got ${JSON.stringify(last)}`);
  return last.error;
}

/** One user message, for tests of what goes on the wire. */
export const hiRequest: ModelRequest = { system: "s", messages: [{ role: "user", content: [{ type: "text", text: "hi" }] }], tools: [] };

/** No retries, so a failure shows as the stream's error at once. */
export const noRetry = { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 5 };

/** A list to push a test's servers onto: they are closed after each test. */
export function serversClosedAfterEach(): FakeServer[] {
  const servers: FakeServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });
  return servers;
}
