import type { AgentEvent } from "../agent/events.js";
import type { SessionResult } from "../session/session.js";
import { EXIT } from "./errors.js";
import { Renderer, styleFor } from "./render.js";

/** One JSON event per line on stdout (`--json`), or the human renderer. */
export function eventPrinter(json: boolean): (event: AgentEvent) => void {
  if (json) return (event) => process.stdout.write(`${JSON.stringify(event)}\n`);
  return new Renderer(process.stdout, styleFor(process.stdout)).render;
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
      return EXIT.interrupted;
    default:
      return EXIT.failed;
  }
}
