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

export const SessionStatus = z.enum(["running", "completed", "max_steps", "budget", "error", "aborted", "refused"]);
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
  }),
  z.object({ type: z.literal("session_resumed"), step: z.number(), interruptedCalls: z.array(z.string()) }),
  z.object({
    type: z.literal("user_message"),
    text: z.string(),
    /** task: the first message; steer / queue: from the inbox (later issues); continue: resume nudges */
    kind: z.enum(["task", "steer", "queue", "continue"]),
  }),
  z.object({ type: z.literal("step_started"), step: z.number(), effort: z.string().optional() }),
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
