import type { AgentEvent } from "../agent/events.js";
import type { SessionResult } from "../session/session.js";
import { EXIT } from "./errors.js";
import { Renderer, styleFor } from "./render.js";

/**
 * How a run reports, as Claude Code users know it: `text` prints only the final answer on
 * stdout (progress goes to stderr, so `> answer.md` captures the answer alone), `json` one
 * result object at the end, `stream-json` every event as a JSON line (what `--json` always was).
 * `human` is `run`'s own default: the streaming renderer on stdout.
 */
export const OUTPUT_FORMATS = ["text", "json", "stream-json"] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number] | "human";

export interface Output {
  onEvent: (event: AgentEvent) => void;
  /** Called once with the outcome: where the answer or the result object is written. */
  finish: (result: SessionResult) => void;
}

/** One JSON event per line on stdout (`--json`), or the human renderer. */
export function eventPrinter(json: boolean): (event: AgentEvent) => void {
  if (json) return (event) => process.stdout.write(`${JSON.stringify(event)}\n`);
  return new Renderer(process.stdout, styleFor(process.stdout)).render;
}

export function outputFor(format: OutputFormat): Output {
  switch (format) {
    case "human":
      return { onEvent: eventPrinter(false), finish: () => {} };
    case "stream-json":
      return { onEvent: eventPrinter(true), finish: () => {} };
    case "text": {
      const progress = new Renderer(process.stderr, styleFor(process.stderr));
      return {
        onEvent: progress.render,
        finish: (result) => {
          if (result.answer) process.stdout.write(result.answer.endsWith("\n") ? result.answer : `${result.answer}\n`);
        },
      };
    }
    case "json":
      return { onEvent: () => {}, finish: (result) => process.stdout.write(`${JSON.stringify(resultObject(result))}\n`) };
  }
}

/** The `--output-format json` object: Claude Code's field names, plus colleague's status and usage. */
export function resultObject(result: SessionResult) {
  const subtype =
    result.status === "completed" ? "success" : result.status === "max_steps" ? "error_max_turns" : result.status === "budget" ? "error_budget" : "error_during_execution";
  return {
    type: "result",
    subtype,
    is_error: result.status !== "completed",
    result: result.answer ?? "",
    session_id: result.sessionId,
    num_turns: result.steps,
    duration_ms: result.durationMs,
    total_cost_usd: result.costUsd,
    usage: result.usage,
    status: result.status,
    ...(result.error ? { error: result.error } : {}),
  };
}

export function exitCodeFor(result: SessionResult): number {
  switch (result.status) {
    case "completed":
      return EXIT.ok;
    case "max_steps":
    case "budget":
      return EXIT.limit;
    case "aborted":
    case "interrupted":
    case "stopped":
      return EXIT.interrupted;
    default:
      return EXIT.failed;
  }
}
