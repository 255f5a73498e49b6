import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import os from "node:os";
import type { Host } from "../host/host.js";
import type { SessionResult } from "../session/session.js";
import { type Diagnosis, diagnoseRun, type FailedRun } from "./diagnose.js";
import type { EvalStore, RunRecord } from "./eval-store.js";
import { missingNeeds } from "./needs.js";
import { runTaskThen } from "./run-task.js";
import { loadAnySuite } from "./suite-formats.js";
import { type EvalTask, prepareTask } from "./task.js";
import { diffSinceBaseline, recordBaseline } from "./workspace-diff.js";

/** `scripted` plays each task's own solution.json. */
export const SCRIPTED = "scripted";

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
  diagnoser?: (run: FailedRun, events: ReturnType<Host["store"]["events"]>, rules: Diagnosis) => Promise<Diagnosis | undefined>;
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

interface Job {
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
  const evalId = options.evalId ?? newEvalId();
  const existing = store.getEval(evalId);
  const suite = loadAnySuite(existing?.suiteDir ?? options.suiteDir);
  const models = existing?.models ?? options.models;
  const k = existing?.k ?? options.k ?? 1;
  if (!existing) store.createEval({ id: evalId, suite: suite.name, suiteDir: suite.dir, models, k, createdAt: new Date().toISOString() });
  const done = new Set(store.runs(evalId).map((r) => jobKey(r)));
  const tasks = options.only?.length ? suite.tasks.filter((t) => options.only!.some((o) => t.id.includes(o))) : suite.tasks;
  const jobs: Job[] = [];
  for (const task of tasks) for (const model of models) for (let attempt = 0; attempt < k; attempt++) jobs.push({ task, model, attempt });
  const todo = jobs.filter((j) => !done.has(jobKey({ taskId: j.task.id, model: j.model, attempt: j.attempt })));
  let ran = 0;
  let next = 0;
  const worker = async () => {
    while (next < todo.length && !options.signal?.aborted) {
      const job = todo[next++]!;
      const record = await runJob(options, evalId, job);
      if (!record || options.signal?.aborted) continue;
      store.recordRun(record);
      ran++;
      options.onRun?.(record);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency ?? 1, todo.length)) }, worker));
  return { evalId, ran, skipped: jobs.length - todo.length, interrupted: !!options.signal?.aborted && ran < todo.length, runs: store.runs(evalId) };
}

function jobKey(r: { taskId: string; model: string; attempt: number }): string {
  return `${r.taskId}\u0000${r.model}\u0000${r.attempt}`;
}

/** One run; undefined when the evaluation was stopped while it ran (it is then not recorded). */
async function runJob(options: EvalOptions, evalId: string, job: Job): Promise<RunRecord | undefined> {
  const base = { evalId, taskId: job.task.id, model: job.model, attempt: job.attempt };
  const started = performance.now();
  const failed = (error: string, status = "error"): RunRecord => {
    const diagnosis = diagnoseRun({ status, reasons: [error], error }, []);
    return { ...base, pass: false, reasons: [error], status, steps: 0, inputTokens: 0, outputTokens: 0, costUsd: 0, durationMs: performance.now() - started, ...diagnosis, finishedAt: new Date().toISOString() };
  };
  const missing = missingNeeds(job.task.spec.needs, options.host.env);
  if (missing.length) return failed(`this machine lacks what the task needs: ${missing.join(", ")}`, "unavailable");
  // The agent's tools run on this machine; a Terminal-Bench task expects them inside its container.
  if (job.task.format === "terminal-bench")
    return failed("Terminal-Bench tasks need the agent's tools to run inside the task's container, which this version cannot do yet; the checker (docker compose + run-tests.sh) is ready", "unavailable");
  let prepared: Awaited<ReturnType<typeof prepareTask>> | undefined;
  try {
    prepared = await prepareTask(job.task, options.root ?? os.tmpdir());
    const baseline = recordBaseline(prepared.workspace);
    let patch: string | undefined;
    const run = await runTaskThen(
      options.host,
      prepared,
      { ...(job.model === SCRIPTED ? {} : { model: job.model }), ...(options.signal ? { handles: { signal: options.signal } } : {}) },
      async () => {
        if (baseline) patch = diffSinceBaseline(prepared!.workspace);
      },
    );
    if (options.signal?.aborted) return undefined;
    const s: SessionResult = run.session;
    const record: RunRecord = {
      ...base,
      pass: run.check.pass,
      reasons: run.check.reasons,
      status: s.status,
      steps: s.steps,
      inputTokens: s.usage.input + s.usage.cacheRead + s.usage.cacheWrite,
      outputTokens: s.usage.output,
      costUsd: s.costUsd,
      durationMs: performance.now() - started,
      sessionId: s.sessionId,
      ...(patch !== undefined ? { patch } : {}),
      ...(s.answer ? { answer: s.answer } : {}),
      finishedAt: new Date().toISOString(),
    };
    if (!record.pass) {
      const failedRun: FailedRun = { status: s.status, timedOut: run.timedOut, reasons: run.check.reasons, ...(s.error ? { error: s.error } : {}) };
      const events = options.host.store.events(s.sessionId);
      const rules = diagnoseRun(failedRun, events);
      const diagnosis = (options.diagnoser ? await options.diagnoser(failedRun, events, rules).catch(() => undefined) : undefined) ?? rules;
      record.cause = diagnosis.cause;
      record.evidence = diagnosis.evidence;
    }
    return record;
  } catch (error) {
    if (options.signal?.aborted) return undefined;
    return failed((error as Error).message);
  } finally {
    await prepared?.close();
    if (prepared && !options.keepWorkspaces) rmSync(prepared.workspace, { recursive: true, force: true });
  }
}
