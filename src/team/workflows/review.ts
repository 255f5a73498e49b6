import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { AgentEvent } from "../../agent/events.js";
import { ConfigError } from "../../model/resolve.js";
import { Team, type TeamEnvironment } from "../team.js";
import { type MergedFinding, mergeFindings } from "./findings.js";
import { toMarkdown } from "./review-md.js";
import { toSarif } from "./sarif.js";
import { collectFiles, type Slice, sliceFiles } from "./slices.js";

export const FOCUSES = ["correctness", "security", "performance", "tests"] as const;

export interface ReviewOptions extends TeamEnvironment {
  /** The session id (default: a new one). */
  sessionId?: string;
  /** The folder to review (also the reviewers' workspace). */
  root: string;
  /** Number of reviewers. */
  size: number;
  focus: string[];
  teammateModels: string[];
  /** Where review.md and review.sarif go. */
  outDir: string;
  maxStepsPerAgent?: number;
  budgetUsd?: number;
}

export interface ReviewerPlan {
  name: string;
  focus: string[];
  tasks: { focus: string; slice: Slice }[];
}

/**
 * Who reviews what. Reviewer i gets focus i (mod the focus list); the reviewers sharing a
 * focus split the code base between them by directory and size. With fewer reviewers than
 * focuses, a reviewer takes several focuses, each over the whole code base.
 */
export function planReview(root: string, size: number, focus: string[]): ReviewerPlan[] {
  const files = collectFiles(root);
  const reviewers: ReviewerPlan[] = Array.from({ length: size }, (_, i) => ({ name: `reviewer-${i + 1}`, focus: [], tasks: [] }));
  focus.forEach((f, j) => {
    const owners = size >= focus.length ? reviewers.filter((_, i) => i % focus.length === j) : [reviewers[j % size]!];
    const slices = sliceFiles(files, owners.length);
    if (slices.length === 1) slices[0]!.label = "the whole code base";
    slices.forEach((slice, s) => {
      const owner = owners[s]!;
      if (!owner.focus.includes(f)) owner.focus.push(f);
      owner.tasks.push({ focus: f, slice });
    });
  });
  return reviewers.filter((r) => r.tasks.length);
}

/** Starts a review team: the workflow leads (plans, creates the tasks, spawns the reviewers). */
export async function startReview(options: ReviewOptions): Promise<Team> {
  const { root, size, focus, teammateModels, outDir, maxStepsPerAgent, budgetUsd, ...env } = options;
  const plan = planReview(root, size, focus);
  const team = await Team.start({
    ...env,
    kind: "review",
    task: `Review ${root} (focus: ${focus.join(", ")})`,
    cwd: root,
    size: Math.max(1, plan.length),
    teammateModels,
    ...(maxStepsPerAgent ? { maxStepsPerAgent } : {}),
    ...(budgetUsd ? { budgetUsd } : {}),
    options: { root, focus, outDir, size },
  });
  for (const reviewer of plan) {
    const ids: string[] = [];
    for (const { focus: f, slice } of reviewer.tasks) {
      const list = slice.files.map((file) => `- ${file.path} (${file.bytes} bytes)`).join("\n");
      const r = team.board.create("lead", {
        title: `Review ${slice.label} for ${f}`,
        description: `Focus: ${f}. Files:\n${list}`,
        owner: reviewer.name,
      });
      if (r.ok) ids.push(r.task.id);
    }
    const task =
      `Review this code base with your focus: ${reviewer.focus.join(", ")}. Your tasks: ${ids.join(", ")} ` +
      "(list_tasks shows their files). For each: claim it, read its files, report_finding for each real problem, then complete_task.";
    const spawned = await team.spawn({ name: reviewer.name, role: reviewer.focus.join(", "), task, toolset: "reviewer", ownTask: true });
    if (!spawned.ok) {
      await team.finish({ status: "error", error: spawned.text });
      throw new ConfigError(spawned.text);
    }
  }
  return team;
}

/** Findings of a review session, from its log, merged. */
export function reviewFindings(events: AgentEvent[]): MergedFinding[] {
  return mergeFindings(events.flatMap((e) => (e.type === "finding_reported" ? [{ finding: e.finding, by: e.agentId }] : [])));
}

/** Writes review.md and review.sarif for a review session; returns their paths. */
export function writeReview(events: AgentEvent[], version: string): { markdown: string; sarif: string; findings: MergedFinding[] } {
  const started = events.find((e): e is Extract<AgentEvent, { type: "team_started" }> => e.type === "team_started");
  if (started?.kind !== "review") throw new Error("not a review session");
  const o = started.options as { root: string; focus: string[]; outDir: string; size: number };
  const findings = reviewFindings(events);
  const tasks = new Map<string, string>();
  for (const e of events) if (e.type === "task_updated") tasks.set(e.taskId, e.status);
  const done = [...tasks.values()].filter((s) => s === "completed").length;
  mkdirSync(o.outDir, { recursive: true });
  const markdown = path.join(o.outDir, "review.md");
  const sarif = path.join(o.outDir, "review.sarif");
  const reviewers = new Set(events.filter((e) => e.type === "teammate_spawned").map((e) => e.agentId)).size;
  writeFileSync(markdown, toMarkdown(findings, { path: o.root, focus: o.focus, reviewers, tasks: `${done} of ${tasks.size} completed` }));
  writeFileSync(sarif, `${JSON.stringify(toSarif(findings, { root: o.root, version }), null, 2)}\n`);
  return { markdown, sarif, findings };
}
