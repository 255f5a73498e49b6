import type { EventOf } from "../agent/events.js";

/** One line for a hook that refused something or failed; nothing for the others. */
export function hookLine(event: EventOf<"hook">): string | undefined {
  const what = event.decision === "deny" || event.decision === "block" ? "refused" : event.decision === "stop" ? "stopped the session" : event.decision === "error" ? "failed" : undefined;
  if (!what) return undefined;
  const command = event.command.length > 60 ? `${event.command.slice(0, 60)}…` : event.command;
  const reason = (event.reason ?? "").split("\n")[0];
  return `⚑ ${event.event} hook ${what}${reason ? `: ${reason}` : ""} (${command})`;
}
