import type { AssistantMessage, ModelError, ModelEvent } from "../../src/model/types.js";

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
