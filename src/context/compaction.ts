import type { AssistantMessage, Message, ToolCallPart, UserMessage } from "../model/types.js";
import { oneLine } from "./clearing.js";

/**
 * Compaction: when the history fills a share of the window, everything before a cut point is
 * replaced by a structured handoff, followed by the most recent turns verbatim. Pure
 * functions; the engine decides when and records the handoff so a resume rebuilds it.
 *
 * Never lost: the system prompt and the AGENTS.md text (they live in the system prompt, which
 * compaction does not touch), the original task, and every user message (steering included),
 * which the handoff carries verbatim.
 */

export interface HandoffSections {
  /** Every user message of the compacted history, verbatim and in order; the first is the task. */
  userMessages: string[];
  decisions: string[];
  filesRead: string[];
  filesChanged: string[];
  work: string[];
  problems: string[];
  next: string[];
  /** Assistant turns the handoff stands for, all compactions together. */
  turns: number;
  /** Free-form summary written by a model, when one was asked for. */
  summary?: string;
}

/** Bounds on the list sections, so repeated compactions keep the handoff small. */
const CAPS = { decisions: 12, files: 60, work: 40, problems: 8 } as const;

export const shouldCompact = (usedTokens: number, window: number, share: number): boolean => usedTokens >= window * share;

/**
 * Where the verbatim tail starts: the smallest index whose suffix fits `keepTokens`, moved
 * forward to a message that can open the tail (a user or assistant message, never a tool
 * result, which must follow its call). Returns 0 when there is nothing worth compacting.
 */
export function findCutPoint(messages: readonly Message[], tokensOf: (m: Message) => number, keepTokens: number): number {
  let kept = 0;
  let cut = messages.length;
  while (cut > 0 && kept + tokensOf(messages[cut - 1]!) <= keepTokens) {
    cut--;
    kept += tokensOf(messages[cut]!);
  }
  while (cut < messages.length && messages[cut]!.role === "tool") cut++;
  // Keep at least the newest turn verbatim: move back to the newest assistant message.
  if (cut >= messages.length) {
    cut = messages.length;
    while (cut > 0 && messages[cut - 1]!.role !== "assistant") cut--;
    cut = Math.max(0, cut - 1);
    while (cut > 0 && messages[cut]!.role === "tool") cut--;
  }
  // Compacting only the task message (or nothing) gains nothing.
  const dropsSomething = messages.slice(0, cut).some((m) => m.role !== "user" || m.handoff === undefined);
  return cut > 1 && dropsSomething ? cut : 0;
}

/** Merges the compacted messages into the previous handoff (if any). */
export function buildHandoff(previous: HandoffSections | undefined, dropped: readonly Message[]): HandoffSections {
  const s: HandoffSections = previous
    ? { ...previous, userMessages: [...previous.userMessages], decisions: [...previous.decisions], filesRead: [...previous.filesRead], filesChanged: [...previous.filesChanged], work: [...previous.work], problems: [], next: [] }
    : { userMessages: [], decisions: [], filesRead: [], filesChanged: [], work: [], problems: [], next: [], turns: 0 };
  const results = new Map<string, { isError: boolean; gist: string }>();
  for (const m of dropped) {
    if (m.role === "tool") results.set(m.callId, { isError: m.isError, gist: gistOf(m.content) });
  }
  let lastText = "";
  for (const m of dropped) {
    if (m.role === "user") {
      if (m.handoff) continue; // an earlier handoff: already merged as `previous`
      s.userMessages.push(m.content.map((p) => (p.type === "text" ? p.text : `[${p.mediaType} image]`)).join("\n"));
    } else if (m.role === "assistant") {
      s.turns++;
      const text = assistantText(m);
      if (text) {
        lastText = text;
        s.decisions.push(oneLine(text, 240));
      }
      for (const call of m.content.filter((p): p is ToolCallPart => p.type === "tool_call")) {
        noteFiles(s, call);
        const r = results.get(call.id);
        const outcome = !r ? "no result" : r.isError ? `failed: ${r.gist}` : r.gist ? `ok: ${r.gist}` : "ok";
        s.work.push(`${call.name}(${oneLine(argsText(call), 120)}) → ${outcome}`);
        if (r?.isError) s.problems.push(`${call.name}(${oneLine(argsText(call), 80)}) failed: ${r.gist}`);
      }
    }
  }
  if (lastText) s.next.push(lastText.length > 1500 ? `${lastText.slice(0, 1500)}…` : lastText);
  s.decisions = tail(dedupe(s.decisions), CAPS.decisions);
  s.filesRead = tail(dedupe(s.filesRead), CAPS.files);
  s.filesChanged = tail(dedupe(s.filesChanged), CAPS.files);
  s.work = capWork(s.work);
  s.problems = tail(s.problems, CAPS.problems);
  return s;
}

/** The handoff as the user message that replaces the compacted history. */
export function renderHandoff(s: HandoffSections): UserMessage {
  const list = (items: string[], empty: string) => (items.length ? items.map((i) => `- ${i}`).join("\n") : empty);
  const [task, ...later] = s.userMessages;
  const text = [
    "<handoff>",
    `Earlier parts of this session (${s.turns} assistant turns) were compacted to save context. This handoff replaces them; the most recent turns follow verbatim.`,
    "",
    "## Task (the user's original request, verbatim)",
    task ?? "(none recorded)",
    "",
    "## Constraints and instructions",
    "The project instructions (AGENTS.md / CLAUDE.md) remain in the system prompt and still apply.",
    later.length ? "Later messages from the user, verbatim and in order (they take precedence over the task where they differ):" : "No later messages from the user.",
    ...later.map((m, i) => `<user_message n="${i + 1}">\n${m}\n</user_message>`),
    "",
    ...(s.summary ? ["## Summary", s.summary, ""] : []),
    "## Decisions and findings",
    list(s.decisions, "(none recorded)"),
    "",
    "## Files touched",
    `Changed: ${s.filesChanged.length ? s.filesChanged.join(", ") : "none"}`,
    `Read: ${s.filesRead.length ? s.filesRead.join(", ") : "none"}`,
    "",
    "## Work done (tool calls, oldest first)",
    list(s.work, "(none)"),
    "",
    "## Open problems",
    list(s.problems, "(none known)"),
    "",
    "## Next steps (your own last words before the cut)",
    list(s.next, "(continue with the task)"),
    "</handoff>",
  ].join("\n");
  return { role: "user", content: [{ type: "text", text }], handoff: { turns: s.turns } };
}

/** Assistant turns a history stands for, counting the turns a handoff replaced. */
export function turnsIn(messages: readonly Message[]): number {
  let n = 0;
  for (const m of messages) n += m.role === "assistant" ? 1 : m.role === "user" ? (m.handoff?.turns ?? 0) : 0;
  return n;
}

/**
 * Replaces `messages[0..cut)` by `head` in place (the live history, so the dropped content
 * is freed) and returns how many messages were dropped.
 */
export function applyCompaction(messages: Message[], cut: number, head: Message[]): number {
  messages.splice(0, cut, ...head);
  return cut;
}

const CHANGING = new Set(["write_file", "edit_file", "apply_patch"]);

function noteFiles(s: HandoffSections, call: ToolCallPart): void {
  const args = (call.args ?? {}) as Record<string, unknown>;
  const paths = [args.path, args.file, args.file_path].filter((p): p is string => typeof p === "string");
  if (call.name === "apply_patch" && typeof args.patch === "string") {
    for (const match of args.patch.matchAll(/^\*\*\* (?:Add|Update|Delete) File: (.+)$/gm)) paths.push(match[1]!.trim());
  }
  (CHANGING.has(call.name) ? s.filesChanged : s.filesRead).push(...paths);
}

function gistOf(content: readonly { type: string; text?: string }[]): string {
  const text = content.map((p) => p.text ?? "").join("\n");
  return oneLine(text.replace(/^\[cleared to save context\] /, ""), 120);
}

const assistantText = (m: AssistantMessage) =>
  m.content
    .filter((p) => p.type === "text")
    .map((p) => (p as { text: string }).text)
    .join("")
    .trim();

const argsText = (call: ToolCallPart) => call.invalidArgs ?? JSON.stringify(call.args ?? {});
/** Drops repeats, keeping each item's newest position. */
const dedupe = (items: string[]) => [...new Set([...items].reverse())].reverse();
const tail = <T>(items: T[], n: number) => (items.length > n ? items.slice(-n) : items);

/** Keeps the newest work lines and says how many older ones were folded. */
function capWork(work: string[]): string[] {
  if (work.length <= CAPS.work) return work;
  const first = work[0]!.startsWith("… ") ? Number(/^… (\d+)/.exec(work[0]!)?.[1] ?? 0) : 0;
  const body = first ? work.slice(1) : work;
  const folded = first + body.length - (CAPS.work - 1);
  return [`… ${folded} earlier tool calls not listed`, ...body.slice(-(CAPS.work - 1))];
}

