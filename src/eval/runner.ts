import { randomBytes } from "node:crypto";
import type { Host } from "../host/host.js";
import { type Diagnoser, runEvalTask } from "./eval-run.js";
import type { EvalStore, RunRecord } from "./eval-store.js";
import { loadAnySuite } from "./suite-formats.js";
import type { EvalTask } from "./task.js";

export { SCRIPTED } from "./eval-run.js";

export interface EvalOptions {
  host: Host;
  store: EvalStore;
  suiteDir: string;
  models: string[];
  /** Attempts per task and model (pass@k). */
  k?: number;
  concurrency?: number;
  /** Continue this evaluation (runs already recorded are skipped) or start it under this id. */
  evalId?: string;
  /** Stops the evaluation: no new run starts, runs in flight are cut and not recorded. */
  signal?: AbortSignal;
  /** Where runs' workspaces go (default: the temp folder); each is removed after its run unless `keepWorkspaces`. */
  root?: string;
  keepWorkspaces?: boolean;
  /** A second opinion on a failed run's cause (a model); the offline rules decide when it gives none. */
  diagnoser?: Diagnoser;
  onRun?: (run: RunRecord) => void;
  /** Only the tasks whose id contains one of these. */
  only?: string[];
}

export interface EvalOutcome {
  evalId: string;
  /** Runs done by this call. */
  ran: number;
  /** Runs found already recorded (an evaluation that resumed). */
  skipped: number;
  interrupted: boolean;
  runs: RunRecord[];
}

export interface PlannedRun {
  task: EvalTask;
  model: string;
  attempt: number;
}

export function newEvalId(): string {
  return `eval-${new Date().toISOString().replace(/[-:]/g, "").replace(/\..*/, "")}-${randomBytes(2).toString("hex")}`;
}

/**
 * Runs every task of a suite with every model, k times each, `concurrency` at a time, each run
 * in a fresh copy of its task's workspace, through the host (so guarded), checked by the task's
 * checker and recorded once finished. Rerun with the same evalId, it skips what was recorded.
 */
export async function runEval(options: EvalOptions): Promise<EvalOutcome> {
  const { store } = options;
  const { evalId, jobs, todo } = planEval(options);
  let ran = 0;
  let next = 0;
  const worker = async () => {
    while (next < todo.length && !options.signal?.aborted) {
      const job = todo[next++]!;
      const record = await runEvalTask(options.host, { evalId, ...job }, options);
      if (!record || options.signal?.aborted) continue;
      store.recordRun(record);
      ran++;
      options.onRun?.(record);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency ?? 1, todo.length)) }, worker));
  return { evalId, ran, skipped: jobs.length - todo.length, interrupted: !!options.signal?.aborted && ran < todo.length, runs: store.runs(evalId) };
}

export interface EvalPlan {
  evalId: string;
  /** Every run of the evaluation. */
  jobs: PlannedRun[];
  /** The runs not recorded yet. */
  todo: PlannedRun[];
}

/**
 * The evaluation's runs (every task of the suite with every model, k times), creating its row
 * when it is new; a resumed evaluation keeps the suite, models and k it started with.
 */
export function planEval(options: Pick<EvalOptions, "store" | "suiteDir" | "models" | "k" | "evalId" | "only">): EvalPlan {
  const { store } = options;
  const evalId = options.evalId ?? newEvalId();
  const existing = store.getEval(evalId);
  const suite = loadAnySuite(existing?.suiteDir ?? options.suiteDir);
  const models = existing?.models ?? options.models;
  const k = existing?.k ?? options.k ?? 1;
  if (!existing) store.createEval({ id: evalId, suite: suite.name, suiteDir: suite.dir, models, k, createdAt: new Date().toISOString() });
  const done = new Set(store.runs(evalId).map((r) => jobKey(r)));
  const tasks = options.only?.length ? suite.tasks.filter((t) => options.only!.some((o) => t.id.includes(o))) : suite.tasks;
  const jobs: PlannedRun[] = [];
  for (const task of tasks) for (const model of models) for (let attempt = 0; attempt < k; attempt++) jobs.push({ task, model, attempt });
  const todo = jobs.filter((j) => !done.has(jobKey({ taskId: j.task.id, model: j.model, attempt: j.attempt })));
  return { evalId, jobs, todo };
}

export function jobKey(r: { taskId: string; model: string; attempt: number }): string {
  return `${r.taskId}\u0000${r.model}\u0000${r.attempt}`;
}
