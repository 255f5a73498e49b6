import type { AgentEvent } from "../agent/events.js";
import { toMarkdown } from "../team/workflows/review-md.js";
import { reviewFindings } from "../team/workflows/review.js";
import { toSarif } from "../team/workflows/sarif.js";
import { badRequest } from "./errors.js";

/**
 * A review session's report rendered from its log, for a client to download: the same SARIF
 * and markdown that `colleague review` writes to its output folder, at any point of the run
 * (a review still running gives the findings so far).
 */
export function reviewReport(events: AgentEvent[], format: "sarif" | "md", version: string): string {
  const started = events.find((e): e is Extract<AgentEvent, { type: "team_started" }> => e.type === "team_started");
  if (started?.kind !== "review") throw badRequest(`session ${events[0]?.sessionId ?? ""} is not a review`);
  const options = (started.options ?? {}) as { root?: string; focus?: string[] };
  const root = options.root ?? started.cwd;
  const findings = reviewFindings(events);
  if (format === "sarif") return `${JSON.stringify(toSarif(findings, { root, version }), null, 2)}\n`;
  const tasks = new Map<string, string>();
  for (const e of events) if (e.type === "task_updated") tasks.set(e.taskId, e.status);
  const done = [...tasks.values()].filter((s) => s === "completed").length;
  const reviewers = new Set(events.filter((e) => e.type === "teammate_spawned").map((e) => e.agentId)).size;
  return toMarkdown(findings, { path: root, focus: options.focus ?? [], reviewers, tasks: `${done} of ${tasks.size} completed` });
}
