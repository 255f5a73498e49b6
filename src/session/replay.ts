import { type AgentEvent, type EventOf, toolResultFrom } from "../agent/events.js";
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
  /** The newest effort set while the session ran (effort_changed), if any. */
  effort?: string;
}

/**
 * Rebuilds the conversation from the log. Tool results go back in the calls' order (parallel
 * calls may have finished in any order), exactly as the live loop appended them.
 */
export function replay(events: AgentEvent[]): Replayed {
  const started = events.find((e): e is EventOf<"session_started"> => e.type === "session_started");
  if (!started) throw new Error("the session log has no session_started event");
  const messages: Message[] = [];
  let usage = emptyUsage();
  let costUsd = 0;
  let step = 0;
  let currentStep = 0;
  let calls: ToolCallPart[] = [];
  let results = new Map<string, Message>();
  let running = new Set<string>();
  let finished: EventOf<"session_finished"> | undefined;
  let effort: string | undefined;

  const flush = () => {
    for (const call of calls) {
      const result = results.get(call.id);
      if (result) messages.push(result);
    }
    calls = calls.filter((c) => !results.has(c.id));
  };

  for (const event of events) {
    switch (event.type) {
      case "user_message":
        flush();
        calls = [];
        messages.push({ role: "user", content: [{ type: "text", text: event.text }] });
        finished = undefined;
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
      case "tool_finished":
        results.set(event.callId, toolResultFrom(event));
        break;
      case "session_finished":
        finished = event;
        break;
      // issue 3: steering. Skipped calls have tool_finished events and steer / queue messages
      // are user_message events, so the conversation rebuilds as above. A stream cut by an
      // interrupt left no assistant_message: that step is simply asked again. Partial output
      // stays in the `interrupted` event, for people, not for the model.
      case "effort_changed":
        effort = event.effort;
        break;
      case "interrupted":
        break;
      default:
        break;
    }
  }
  flush();
  return {
    started,
    messages,
    step,
    usage,
    costUsd,
    unfinished: calls,
    startedCalls: new Set([...running].filter((id) => calls.some((c) => c.id === id))),
    ...(finished ? { finished } : {}),
    ...(effort ? { effort } : {}),
  };
}
