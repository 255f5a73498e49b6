import type { AgentEvent } from "../agent/events.js";

/**
 * A session's final answer is the text of its last assistant message, and `session_finished`
 * repeats it: stored as is, a 50 MB answer would take 100 MB. The store keeps it once: a
 * `session_finished` whose answer equals the text of the same agent's last assistant message
 * is stored with a marker instead, and reading the log back puts the answer in again, so every
 * reader sees the events exactly as they were emitted.
 */
const MARKER = "answerInMessage";

const key = (event: AgentEvent) => `${event.sessionId}\u0000${event.agentId}`;

/** The text parts of an assistant message, joined as the loop joins them into an answer. */
function messageText(event: Extract<AgentEvent, { type: "assistant_message" }>): string {
  return event.message.content.map((p) => (p.type === "text" ? p.text : "")).join("");
}

/** Tracks what the writer stored last, per agent, to drop the repeat. */
export class FinalAnswerWriter {
  private readonly lastText = new Map<string, string>();

  /** The body to store for `event` (its envelope removed by the caller). */
  body(event: AgentEvent, body: Record<string, unknown>): Record<string, unknown> {
    if (event.type === "assistant_message") this.lastText.set(key(event), messageText(event));
    if (event.type !== "session_finished") return body;
    const last = this.lastText.get(key(event));
    this.lastText.delete(key(event));
    if (event.answer === undefined || event.answer !== last) return body;
    const { answer: _answer, ...rest } = body;
    return { ...rest, [MARKER]: true };
  }
}

/** Events read back in order: each marked `session_finished` gets its answer again. */
export function* withFinalAnswers(events: Iterable<AgentEvent>): Generator<AgentEvent> {
  const lastText = new Map<string, string>();
  for (const event of events) {
    if (event.type === "assistant_message") lastText.set(key(event), messageText(event));
    const marked = event as AgentEvent & { [MARKER]?: boolean };
    if (event.type === "session_finished" && marked[MARKER]) {
      const { [MARKER]: _marker, ...rest } = marked;
      yield { ...rest, answer: lastText.get(key(event)) ?? "" } as AgentEvent;
    } else yield event;
  }
}
