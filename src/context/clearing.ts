import type { Message, ToolResultMessage } from "../model/types.js";

/**
 * Clearing: old tool results are replaced by short placeholders that keep the call (in the
 * assistant message, untouched) and a one-line gist of what came back. Pure functions; the
 * context engine applies them to the live history so the cleared text is really gone from
 * memory (the full result stays in the event log).
 */

export interface ClearingPolicy {
  /** Start clearing once the uncleared tool results hold more than this many tokens. */
  triggerTokens: number;
  /** Then clear oldest-first down to this many (hysteresis: the cached prefix changes rarely). */
  targetTokens: number;
  /** The newest N tool results are never cleared. */
  keepRecent: number;
}

const MARK = "[cleared to save context]";

export const isCleared = (message: ToolResultMessage): boolean =>
  message.content.length === 1 && message.content[0]!.type === "text" && message.content[0]!.text.startsWith(MARK);

/**
 * Which tool results to clear (their call ids, oldest first), or none while the uncleared
 * results stay under the trigger. `tokensOf` counts one message.
 */
export function planClearing(messages: readonly Message[], tokensOf: (m: Message) => number, policy: ClearingPolicy): string[] {
  const live: { callId: string; tokens: number }[] = [];
  let total = 0;
  for (const message of messages) {
    if (message.role !== "tool" || isCleared(message)) continue;
    const tokens = tokensOf(message);
    live.push({ callId: message.callId, tokens });
    total += tokens;
  }
  if (total <= policy.triggerTokens) return [];
  const clearable = live.slice(0, Math.max(0, live.length - policy.keepRecent));
  const cleared: string[] = [];
  for (const result of clearable) {
    if (total <= policy.targetTokens) break;
    cleared.push(result.callId);
    total -= result.tokens;
  }
  return cleared;
}

/** The placeholder that stands for a cleared result: the tool, its size and the first line. */
export function placeholderFor(result: ToolResultMessage): ToolResultMessage {
  const text = result.content.map((p) => (p.type === "text" ? p.text : `[${p.mediaType} image]`)).join("\n");
  const gist = oneLine(text, 160);
  const outcome = result.isError ? "failed" : "returned";
  const summary = `${MARK} ${result.name} ${outcome} ${text.length} characters${gist ? `; it began: ${gist}` : ""}. Run the call again if you need the full output.`;
  return { role: "tool", callId: result.callId, name: result.name, content: [{ type: "text", text: summary }], isError: result.isError };
}

/**
 * Replaces the results named in `callIds` by placeholders, in place (the array is the live
 * history). Returns how many were replaced.
 */
export function applyClearing(messages: Message[], callIds: readonly string[]): number {
  if (callIds.length === 0) return 0;
  const wanted = new Set(callIds);
  let n = 0;
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i]!;
    if (m.role === "tool" && wanted.has(m.callId) && !isCleared(m)) {
      messages[i] = placeholderFor(m);
      n++;
    }
  }
  return n;
}

/** The first non-empty line, clipped. */
export function oneLine(text: string, max: number): string {
  const start = text.search(/\S/);
  if (start < 0) return "";
  const end = text.indexOf("\n", start);
  const line = (end < 0 ? text.slice(start, start + max + 1) : text.slice(start, Math.min(end, start + max + 1))).trim();
  return line.length > max ? `${line.slice(0, max)}…` : line;
}

