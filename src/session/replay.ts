import { type AgentEvent, type EventOf, toolResultFrom } from "../agent/events.js";
import { applyClearing } from "../context/clearing.js";
import { type HandoffSections, renderHandoff } from "../context/compaction.js";
import { COMPACT_COMMAND, compactionMessage, lastNativeCompaction, pinnedPosition, renderPinned } from "../context/engine.js";
import { addUsage, emptyUsage, type Message, type ToolCallPart, type Usage } from "../model/types.js";

/** A session's state rebuilt from its event log. */
export interface Replayed {
  started: EventOf<"session_started">;
  messages: Message[];
  /** The newest step whose model answer is in the log. */
  step: number;
  usage: Usage;
  costUsd: number;
  /** Calls of the newest assistant message without a finished result, in call order. */
  unfinished: ToolCallPart[];
  /** Of those, the ones that had started running when the session stopped. */
  startedCalls: Set<string>;
  finished?: EventOf<"session_finished">;
  /** seq of the newest event in the log. */
  lastSeq: number;
  /** The newest compaction's handoff, carried into the next one. */
  handoff?: HandoffSections;
  /** The newest effort set while the session ran (effort_changed), if any. */
  effort?: string;
  /** The model the session last switched to (model_changed), if it ever did. */
  model?: string;
}

/**
 * Rebuilds the conversation from the log. Tool results go back in the calls' order (parallel
 * calls may have finished in any order), exactly as the live loop appended them.
 */
export function replay(events: Iterable<AgentEvent>): Replayed {
  // One pass over an iterable: a long log is streamed from the store, never held whole.
  let started: EventOf<"session_started"> | undefined;
  let lastSeq = 0;
  const messages: Message[] = [];
  let usage = emptyUsage();
  let costUsd = 0;
  let step = 0;
  let currentStep = 0;
  let calls: ToolCallPart[] = [];
  let results = new Map<string, Message>();
  let running = new Set<string>();
  let finished: EventOf<"session_finished"> | undefined;
  let handoff: HandoffSections | undefined;
  let effort: string | undefined;
  let model: string | undefined;

  const flush = () => {
    for (const call of calls) {
      const result = results.get(call.id);
      if (result) messages.push(result);
    }
    calls = calls.filter((c) => !results.has(c.id));
  };

  for (const event of events) {
    lastSeq = event.seq;
    switch (event.type) {
      case "session_started":
        started ??= event;
        break;
      case "user_message":
        flush();
        calls = [];
        finished = undefined;
        // `/compact` is a command to the context engine, never a message to the model.
        if (event.kind !== "task" && event.text.trim() === COMPACT_COMMAND) break;
        messages.push({ role: "user", content: [{ type: "text", text: event.text }] });
        break;
      case "assistant_message":
        flush();
        messages.push(event.message);
        usage = addUsage(usage, event.message.usage);
        costUsd += event.costUsd;
        step = currentStep;
        calls = event.message.content.filter((p): p is ToolCallPart => p.type === "tool_call");
        results = new Map();
        running = new Set();
        break;
      case "step_started":
        currentStep = event.step;
        break;
      case "tool_started":
        running.add(event.callId);
        break;
      case "tool_finished": {
        results.set(event.callId, toolResultFrom(event));
        // What a tool spent on models (a subagent's session) is in the totals too.
        const charge = chargeOf(event.details);
        if (charge) {
          usage = addUsage(usage, charge.usage);
          costUsd += charge.costUsd;
        }
        break;
      }
      case "session_finished":
        finished = event;
        break;
      // The context engine's edits, applied where they happened so that the rebuilt history
      // is the one the model last saw.
      case "context":
        flush();
        applyClearing(messages, event.cleared);
        break;
      case "monitor_judged":
        usage = addUsage(usage, event.usage);
        costUsd += event.costUsd;
        break;
      case "context_compacted":
        flush();
        handoff = compactedHistory(messages, event) ?? handoff;
        if (event.usage) usage = addUsage(usage, event.usage);
        costUsd += event.costUsd ?? 0;
        break;
      // issue 3: steering. Skipped calls have tool_finished events and steer / queue messages
      // are user_message events, so the conversation rebuilds as above. A stream cut by an
      // interrupt left no assistant_message: that step is simply asked again. Partial output
      // stays in the `interrupted` event, for people, not for the model.
      case "effort_changed":
        effort = event.effort;
        break;
      case "model_changed":
        model = event.to;
        break;
      case "interrupted":
        break;
      default:
        break;
    }
  }
  flush();
  if (!started) throw new Error("the session log has no session_started event");
  return {
    started,
    lastSeq,
    messages,
    step,
    usage,
    costUsd,
    unfinished: calls,
    startedCalls: new Set([...running].filter((id) => calls.some((c) => c.id === id))),
    ...(finished ? { finished } : {}),
    ...(handoff ? { handoff } : {}),
    ...(effort ? { effort } : {}),
    ...(model ? { model } : {}),
  };
}

/** The model spend a tool result carries in `details.charge`, when it is well formed. */
export function chargeOf(details: Record<string, unknown> | undefined): { usage: Usage; costUsd: number } | undefined {
  const charge = details?.charge as { usage?: Partial<Usage>; costUsd?: unknown } | undefined;
  if (!charge || typeof charge !== "object" || typeof charge.costUsd !== "number" || !charge.usage) return undefined;
  const n = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : 0);
  const u = charge.usage;
  return {
    usage: { input: n(u.input), output: n(u.output), cacheRead: n(u.cacheRead), cacheWrite: n(u.cacheWrite), reasoning: n(u.reasoning) },
    costUsd: charge.costUsd,
  };
}

/** Redoes a compaction on the rebuilt history; returns its handoff sections, if it has any. */
function compactedHistory(messages: Message[], event: EventOf<"context_compacted">): HandoffSections | undefined {
  const sections = event.sections as HandoffSections | undefined;
  if (event.reason === "native") {
    const at = lastNativeCompaction(messages);
    if (at > 1) messages.splice(1, at - 1);
    if (sections) messages.splice(pinnedPosition(messages, 1), 0, renderPinned(sections.userMessages));
    return sections;
  }
  const head: Message[] = [];
  if (sections) head.push(renderHandoff(sections));
  else if (event.handoff) head.push({ role: "user", content: [{ type: "text", text: event.handoff }] });
  if (event.native) {
    const api = event.native.api as "anthropic" | "openai";
    head.push(compactionMessage({ type: "compaction", text: event.native.text, replay: { api, data: event.native.data } }, ""));
  }
  messages.splice(0, event.dropped, ...head);
  return sections;
}
