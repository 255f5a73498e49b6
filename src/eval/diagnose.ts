import type { AgentEvent, EventOf } from "../agent/events.js";

/** Why a failed run failed: one of a few causes that point at different fixes. */
export const CAUSES = [
  "environment",
  "timeout",
  "lost_task_after_compaction",
  "tool_misuse",
  "gave_up_early",
  "claimed_success_without_evidence",
  "wrong_result",
] as const;
export type Cause = (typeof CAUSES)[number];

export const CAUSE_LABELS: Record<Cause, string> = {
  environment: "environment (missing tool, network, provider)",
  timeout: "timeout or step/budget limit",
  lost_task_after_compaction: "lost the task after compaction",
  tool_misuse: "tool misuse",
  gave_up_early: "gave up early",
  claimed_success_without_evidence: "claimed success without evidence",
  wrong_result: "wrong result (none of the above)",
};

export interface Diagnosis {
  cause: Cause;
  /** Lines from the session log that show it, `#seq type: detail`. */
  evidence: string[];
}

export interface FailedRun {
  status: string;
  /** The run hit the task's wall-clock limit. */
  timedOut?: boolean;
  /** The checker's reasons. */
  reasons: string[];
  /** Why the run could not start or crashed, when it did. */
  error?: string;
}

const ENVIRONMENT = /command not found|not installed|ENOENT|EACCES|No such file or directory: '?\/usr|cannot connect|ECONNREFUSED|network|docker|permission denied by the sandbox|sandbox unavailable/i;
const GIVING_UP = /\b(I (?:can(?:'|no)t|am unable to|was unable to|could not|couldn't)|unable to (?:complete|finish|fix)|giving up|I'll stop here|beyond what I can)\b/i;
const CLAIMS = /\b(done|fixed|completed|implemented|all tests pass(?:ed)?|tests (?:now )?pass|works now|successfully)\b/i;
const VERIFYING = /\b(test|pytest|vitest|jest|npm|node|python3?|bash|sh|make|cargo|go|java|run)\b/;
const TOOL_ERRORS_FOR_MISUSE = 3;

/**
 * Offline rules over a failed run's event log, checked in order: the first that matches is the
 * cause (an environment failure explains a timeout, a timeout explains giving up, …). Pure: the
 * same log always gets the same diagnosis.
 */
export function diagnoseRun(run: FailedRun, events: AgentEvent[]): Diagnosis {
  const line = (e: AgentEvent, detail: string) => `#${e.seq} ${e.type}: ${clip(detail)}`;
  const toolErrors = events.filter((e): e is EventOf<"tool_finished"> => e.type === "tool_finished" && e.isError);
  const finished = events.find((e): e is EventOf<"session_finished"> => e.type === "session_finished");
  const modelErrors = events.filter((e): e is EventOf<"model_error"> => e.type === "model_error");

  // Environment: the run never started, the provider failed, or a tool found the machine lacking.
  if (run.error && !finished) return { cause: "environment", evidence: [`run: ${clip(run.error)}`] };
  const envToolErrors = toolErrors.filter((e) => ENVIRONMENT.test(textOf(e)));
  if (modelErrors.length && (run.status === "error" || !finished)) return { cause: "environment", evidence: modelErrors.slice(0, 3).map((e) => line(e, `${e.error.kind}: ${e.error.message}`)) };
  if (envToolErrors.length && envToolErrors.length === toolErrors.length) return { cause: "environment", evidence: envToolErrors.slice(0, 3).map((e) => line(e, `${e.name}: ${textOf(e)}`)) };

  if (run.timedOut || ["max_steps", "budget"].includes(run.status)) {
    const last = events.filter((e) => e.type === "step_finished").at(-1);
    return {
      cause: "timeout",
      evidence: [finished ? line(finished, `status ${finished.status} after ${finished.steps} steps`) : `run: stopped at the time limit (${run.status})`, ...(last ? [line(last, "last finished step")] : [])],
    };
  }

  // Lost the task after compaction: compacted, then no change to the workspace afterwards.
  const compaction = events.findLast((e): e is EventOf<"context_compacted"> => e.type === "context_compacted");
  if (compaction) {
    const after = events.filter((e) => e.seq > compaction.seq);
    const editsAfter = after.filter((e) => e.type === "tool_finished" && !e.isError && /write|edit|patch|shell/.test(e.name));
    if (!editsAfter.length)
      return {
        cause: "lost_task_after_compaction",
        evidence: [line(compaction, `compacted ${compaction.dropped} messages (${compaction.tokensBefore} → ${compaction.tokensAfter} tokens)`), `${after.length} events after it, no successful edit or command`],
      };
  }

  if (toolErrors.length >= TOOL_ERRORS_FOR_MISUSE) return { cause: "tool_misuse", evidence: toolErrors.slice(0, 4).map((e) => line(e, `${e.name}: ${textOf(e)}`)) };

  const answer = finished?.answer ?? lastAssistantText(events);
  const toolCalls = events.filter((e) => e.type === "tool_started");
  if (finished && (GIVING_UP.test(answer) || toolCalls.length === 0)) {
    const quote = answer.split("\n").find((l) => GIVING_UP.test(l)) ?? answer.split("\n")[0] ?? "";
    return { cause: "gave_up_early", evidence: [line(finished, `ended after ${finished.steps} steps and ${toolCalls.length} tool calls`), `answer: ${clip(quote)}`] };
  }

  if (CLAIMS.test(answer)) {
    const lastEdit = events.findLast((e) => e.type === "tool_finished" && /write|edit|patch/.test(e.name));
    const verified = events.some(
      (e) => e.type === "tool_started" && (!lastEdit || e.seq > lastEdit.seq) && /shell|bash|run/.test(e.name) && VERIFYING.test(JSON.stringify(e.args ?? "")),
    );
    if (!verified) {
      const claim = answer.split("\n").find((l) => CLAIMS.test(l)) ?? answer;
      return {
        cause: "claimed_success_without_evidence",
        evidence: [`answer: ${clip(claim)}`, lastEdit ? `${line(lastEdit, "last edit")}, no test or command run after it` : "no command was run to check the work", ...run.reasons.slice(0, 2).map((r) => `checker: ${clip(r)}`)],
      };
    }
  }
  return { cause: "wrong_result", evidence: run.reasons.slice(0, 3).map((r) => `checker: ${clip(r)}`) };
}

function textOf(e: EventOf<"tool_finished">): string {
  return e.content.map((p) => (p.type === "text" ? p.text : "")).join(" ");
}

function lastAssistantText(events: AgentEvent[]): string {
  const last = events.findLast((e): e is EventOf<"assistant_message"> => e.type === "assistant_message");
  return last ? last.message.content.map((p) => (p.type === "text" ? p.text : "")).join("") : "";
}

function clip(text: string, max = 160): string {
  const one = text.replace(/\s+/g, " ").trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}
