import { existsSync, readFileSync, realpathSync } from "node:fs";
import path from "node:path";
import type { AgentEvent } from "../agent/events.js";
import type { MergedFinding } from "../team/workflows/findings.js";
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

/** A finding with the lines it points at, read from the reviewed folder (never outside it). */
export interface FindingWithExcerpt {
  finding: MergedFinding;
  excerpt?: string;
}

export function findingsWithExcerpts(events: AgentEvent[]): FindingWithExcerpt[] {
  const started = events.find((e): e is Extract<AgentEvent, { type: "team_started" }> => e.type === "team_started");
  if (started?.kind !== "review") throw badRequest(`session ${events[0]?.sessionId ?? ""} is not a review`);
  const root = realpathOrSelf(String((started.options as { root?: string } | undefined)?.root ?? started.cwd));
  return reviewFindings(events).map((finding) => {
    const file = realpathOrSelf(path.resolve(root, finding.file));
    if (!file.startsWith(`${root}${path.sep}`) || !existsSync(file)) return { finding };
    const lines = readFileSync(file, "utf8").split("\n");
    const from = Math.max(1, finding.startLine - 2);
    const to = Math.min(lines.length, finding.endLine + 2, from + 40);
    const excerpt = lines
      .slice(from - 1, to)
      .map((line, i) => `${String(from + i).padStart(4)}  ${line}`)
      .join("\n");
    return { finding, excerpt };
  });
}

function realpathOrSelf(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
}
