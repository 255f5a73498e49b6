import type { Message, Model, Usage } from "../model/types.js";
import summaryPrompt from "./summarize.md";

/** Characters of transcript sent to the summarizer at most (the model must fit it in its window). */
const MAX_TRANSCRIPT_CHARS = 200_000;

/**
 * Asks the session's own model for a summary of the history being compacted (for APIs
 * without a native compaction). Returns undefined on any failure: the structured handoff is
 * complete without it.
 */
export async function summarizeWithModel(
  model: Model,
  dropped: readonly Message[],
  signal: AbortSignal,
): Promise<{ text: string; usage: Usage } | undefined> {
  const budget = Math.min(MAX_TRANSCRIPT_CHARS, model.info.contextWindow * 2);
  const text = transcript(dropped, budget);
  let answer = "";
  let usage: Usage | undefined;
  try {
    for await (const event of model.stream({
      system: summaryPrompt,
      messages: [{ role: "user", content: [{ type: "text", text }] }],
      tools: [],
      signal,
      maxOutputTokens: 2_000,
    })) {
      if (event.type === "done") {
        answer = event.message.content.flatMap((p) => (p.type === "text" ? [p.text] : [])).join("");
        usage = event.message.usage;
      }
      if (event.type === "error") return undefined;
    }
  } catch {
    return undefined;
  }
  const summary = answer.trim();
  return summary && usage ? { text: summary, usage } : undefined;
}

/** The history as plain text, newest kept when it is too long. */
export function transcript(messages: readonly Message[], maxChars: number): string {
  const lines: string[] = [];
  for (const m of messages) {
    for (const p of m.content) {
      if (p.type === "text") lines.push(`${m.role}: ${p.text}`);
      else if (p.type === "tool_call") lines.push(`assistant called ${p.name}(${JSON.stringify(p.args ?? {})})`);
      else if (p.type === "compaction" && p.text) lines.push(`summary: ${p.text}`);
    }
  }
  const all = lines.join("\n");
  return all.length > maxChars ? `[… earlier part omitted]\n${all.slice(all.length - maxChars)}` : all;
}
