import { z } from "zod";
import type { AssistantMessage, ToolResultMessage, Usage, UserPart } from "../model/types.js";
import { teamEventBodies } from "./team-events.js";

/**
 * The one event union. Every event is appended to the store before anyone acts on it,
 * streamed to subscribers, printed by `--json`, rendered by UIs and replayed on resume.
 * Ephemeral events (deltas, live tool output) are streamed but not stored; they repeat the
 * `seq` of the newest stored event.
 */

const isObject = (v: unknown): boolean => typeof v === "object" && v !== null;

const UsageSchema = z.object({
  input: z.number(),
  output: z.number(),
  cacheRead: z.number(),
  cacheWrite: z.number(),
  reasoning: z.number(),
}) satisfies z.ZodType<Usage>;

const ErrorInfo = z.object({ kind: z.string(), message: z.string(), status: z.number().optional() });

// "interrupted": the user interrupted the run (inbox) and no next message came (issue 3).
// "stopped": its process ended it early (SIGHUP, SIGTERM, output closed); resume continues it.
export const SessionStatus = z.enum(["running", "completed", "max_steps", "budget", "error", "aborted", "refused", "interrupted", "stopped"]);
export type SessionStatus = z.infer<typeof SessionStatus>;

const bodies = [
  z.object({
    type: z.literal("session_started"),
    task: z.string(),
    model: z.string(),
    cwd: z.string(),
    /** The exact system prompt, so a resumed session sends byte-identical prefixes. */
    system: z.string(),
    tools: z.array(z.string()),
    effort: z.string().optional(),
    maxSteps: z.number().optional(),
    budgetUsd: z.number().optional(),
    budgetTokens: z.number().optional(),
    /** How this session is guarded (set by the host): the permission mode and the sandbox backend in use. */
    permissionMode: z.string().optional(),
    sandbox: z.string().optional(),
    /** A subagent's session: the session and `task` call that started it. */
    parent: z.object({ sessionId: z.string(), callId: z.string(), subagent: z.string().optional() }).optional(),
  }),
  z.object({ type: z.literal("session_resumed"), step: z.number(), interruptedCalls: z.array(z.string()) }),
  z.object({
    type: z.literal("user_message"),
    text: z.string(),
    /** task: the first message; steer / queue: from the inbox (later issues); continue: resume nudges; hook: context a user hook added */
    kind: z.enum(["task", "steer", "queue", "continue", "hook"]),
  }),
  // effortReason: why `auto` effort chose this step's effort (issue 3).
  z.object({ type: z.literal("step_started"), step: z.number(), effort: z.string().optional(), effortReason: z.string().optional() }),
  z.object({ type: z.literal("text_delta"), delta: z.string() }),
  z.object({ type: z.literal("thinking_delta"), delta: z.string() }),
  z.object({ type: z.literal("tool_call_delta"), callId: z.string(), name: z.string().optional(), delta: z.string() }),
  z.object({ type: z.literal("model_retry"), attempt: z.number(), delayMs: z.number(), error: ErrorInfo }),
  z.object({
    type: z.literal("assistant_message"),
    message: z.custom<AssistantMessage>(isObject),
    costUsd: z.number(),
  }),
  z.object({
    type: z.literal("tool_started"),
    callId: z.string(),
    name: z.string(),
    args: z.unknown(),
  }),
  z.object({ type: z.literal("tool_output"), callId: z.string(), chunk: z.string() }),
  z.object({
    type: z.literal("tool_finished"),
    callId: z.string(),
    name: z.string(),
    content: z.custom<UserPart[]>(Array.isArray),
    isError: z.boolean(),
    details: z.record(z.string(), z.unknown()).optional(),
    durationMs: z.number(),
  }),
  z.object({
    type: z.literal("step_finished"),
    step: z.number(),
    /** Totals for the session so far. */
    usage: UsageSchema,
    costUsd: z.number(),
  }),
  z.object({ type: z.literal("model_error"), error: ErrorInfo }),
  // The context engine (issue 4): one `context` per model request, and one `context_compacted`
  // per compaction, holding the handoff so that a resume rebuilds the compacted history.
  z.object({
    type: z.literal("context"),
    /** Prompt tokens of the request (from the provider's usage; estimated when it reports none). */
    used: z.number(),
    window: z.number(),
    /** Prompt tokens read from the provider's cache, and their share of `used`. */
    cached: z.number(),
    cacheHitRatio: z.number(),
    estimated: z.boolean(),
    messages: z.number(),
    /** Call ids whose results were replaced by placeholders before this request. */
    cleared: z.array(z.string()),
    compacted: z.boolean(),
  }),
  z.object({
    type: z.literal("context_compacted"),
    reason: z.enum(["auto", "manual", "native"]),
    /** Messages replaced at the start of the history. */
    dropped: z.number(),
    /** The handoff text that replaces them (native: the user's messages pinned after the compaction turn). */
    handoff: z.string().optional(),
    /** Its structured sections, carried into the next compaction. */
    sections: z.record(z.string(), z.unknown()).optional(),
    /** A provider compaction item that follows the handoff, sent back unchanged. */
    native: z.object({ api: z.string(), text: z.string(), data: z.record(z.string(), z.unknown()) }).optional(),
    tokensBefore: z.number(),
    tokensAfter: z.number(),
    /** What the compaction call itself cost (OpenAI /responses/compact, a summary by the model); in the session totals. */
    usage: UsageSchema.optional(),
    costUsd: z.number().optional(),
  }),
  // Live steering (issue 3, src/agent/inbox.ts): the stream was cut (interrupt or urgent steer);
  // what it had produced so far, and the calls killed or skipped, are kept here.
  z.object({
    type: z.literal("interrupted"),
    step: z.number(),
    reason: z.enum(["interrupt", "urgent_steer"]),
    partialText: z.string().optional(),
    partialThinking: z.string().optional(),
    killedCalls: z.array(z.string()),
  }),
  z.object({ type: z.literal("effort_changed"), effort: z.string() }),
  // The model switched between steps (inbox.setModel): `to` answers from the next request on.
  z.object({ type: z.literal("model_changed"), from: z.string(), to: z.string() }),
  z.object({
    type: z.literal("session_finished"),
    status: SessionStatus,
    answer: z.string().optional(),
    error: z.string().optional(),
    steps: z.number(),
    usage: UsageSchema,
    costUsd: z.number(),
    durationMs: z.number(),
  }),
  // Policy events (issue 6): every permission, monitor, tier and honesty decision is recorded.
  z.object({
    type: z.literal("permission_decision"),
    callId: z.string(),
    name: z.string(),
    decision: z.enum(["allow", "deny"]),
    /** mode: the permission mode decided; rule: a config rule; approval: the user answered; grant: an earlier "always"; workspace: a path outside the workspace; monitor: a misuse monitor blocked it */
    via: z.enum(["mode", "rule", "approval", "grant", "workspace", "monitor", "hook"]),
    rule: z.string().optional(),
    answer: z.enum(["once", "session", "deny"]).optional(),
    reason: z.string(),
  }),
  z.object({
    /** A call waits for a person's answer (its permission_decision follows). */
    type: z.literal("approval_requested"),
    callId: z.string(),
    name: z.string(),
    summary: z.string(),
    reason: z.string(),
    /** The command, or a unified diff of the edit. */
    preview: z.string().optional(),
    /** "always" is not on offer (a monitor or a missing sandbox asked). */
    onceOnly: z.boolean().optional(),
  }),
  z.object({
    type: z.literal("monitor_verdict"),
    stage: z.enum(["input", "tool_call", "tool_result", "output"]),
    category: z.string(),
    action: z.enum(["log", "warn", "ask", "block"]),
    /** rule, classifier or judge: which stage of the cascade decided */
    source: z.enum(["rule", "classifier", "judge"]),
    score: z.number(),
    reason: z.string(),
    callId: z.string().optional(),
    /** Verdicts of this category in this session so far, this one included. */
    count: z.number(),
  }),
  // What the monitors' model judge cost: in the session's totals, live and after a resume.
  z.object({
    type: z.literal("monitor_judged"),
    stage: z.enum(["input", "tool_call", "tool_result", "output"]),
    model: z.string(),
    usage: UsageSchema,
    costUsd: z.number(),
  }),
  z.object({
    type: z.literal("tier_use"),
    profile: z.string(),
    category: z.string(),
    target: z.string(),
    callId: z.string().optional(),
  }),
  z.object({
    type: z.literal("honesty_check"),
    result: z.enum(["ok", "retry", "flagged"]),
    discrepancies: z.array(z.string()),
  }),
  // A snapshot of the workspace before a call that may change it (src/checkpoints/): rewind goes back to one.
  z.object({
    type: z.literal("checkpoint"),
    step: z.number(),
    callId: z.string(),
    tool: z.string(),
    /** The shadow repository's commit; absent when the snapshot failed (then `error` says why). */
    commit: z.string().optional(),
    /** False when nothing changed since the previous snapshot (the same commit again). */
    changed: z.boolean().optional(),
    error: z.string().optional(),
  }),
  // A user hook ran (src/hooks/): what it was asked, what it answered, and what came of it.
  z.object({
    type: z.literal("hook"),
    /** The hook event (Claude Code's names: PreToolUse, Stop, …). */
    event: z.string(),
    matcher: z.string().optional(),
    command: z.string(),
    /** none: it said nothing; allow / ask / deny: a tool call's permission; block: refused a prompt or a stop; context: added context; stop: ended the session; error: it failed (nothing was blocked) */
    decision: z.enum(["none", "allow", "ask", "deny", "block", "context", "stop", "error"]),
    reason: z.string().optional(),
    exitCode: z.number().nullable(),
    durationMs: z.number(),
    /** The start of what it printed (stdout, then stderr). */
    output: z.string().optional(),
    callId: z.string().optional(),
    /** The file that configured it. */
    source: z.string(),
  }),
  // Team events (src/team/): added for agent teams; a team session interleaves several agents' events.
  ...teamEventBodies,
] as const;

export const AgentEventBody = z.discriminatedUnion("type", bodies);
export type AgentEventBody = z.infer<typeof AgentEventBody>;

const Envelope = z.object({
  /** Per-session sequence number of stored events, from 1. */
  seq: z.number(),
  sessionId: z.string(),
  /** "main" for a solo agent; teammates get their own ids. */
  agentId: z.string(),
  /** ISO 8601 */
  time: z.string(),
});

export const AgentEvent = z.intersection(Envelope, AgentEventBody);
export type AgentEvent = z.infer<typeof Envelope> & AgentEventBody;
export type AgentEventType = AgentEventBody["type"];
export type EventOf<T extends AgentEventType> = Extract<AgentEvent, { type: T }>;

const ephemeral: ReadonlySet<AgentEventType> = new Set(["text_delta", "thinking_delta", "tool_call_delta", "tool_output"]);

/** Ephemeral events are streamed live but never stored or replayed. */
export const isEphemeral = (type: AgentEventType): boolean => ephemeral.has(type);

/** The tool result a `tool_finished` event stands for. */
export function toolResultFrom(event: EventOf<"tool_finished">): ToolResultMessage {
  return { role: "tool", callId: event.callId, name: event.name, content: event.content, isError: event.isError };
}
