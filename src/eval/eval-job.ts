import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { z } from "zod";
import type { Host } from "../host/host.js";
import { SessionBusy } from "../session/errors.js";
import { holdSession, type SessionHold } from "../session/lease.js";
import { type Diagnoser, runEvalTask } from "./eval-run.js";
import type { EvalStore, RunRecord } from "./eval-store.js";
import { loadAnySuite } from "./suite-formats.js";
import type { EvalTask } from "./task.js";

/** The BullMQ job name of one evaluation run (a worker takes these beside "session" jobs). */
export const EVAL_JOB_NAME = "eval-run";

/**
 * One run of a scaled-out evaluation as a queue job. The worker reads the suite folder from the
 * evaluation's row in the shared store, so every worker must see the suite at that path (a
 * shared checkout or volume), and `workspaceRoot`, when given, as well: a run continued after
 * its worker died continues in the same folder.
 */
export const EvalRunJob = z
  .object({
    evalId: z.string().min(1),
    taskId: z.string().min(1),
    model: z.string().min(1),
    attempt: z.number().int().min(0),
    workspaceRoot: z.string().optional(),
    keepWorkspaces: z.boolean().optional(),
  })
  .strict();
export type EvalRunJob = z.infer<typeof EvalRunJob>;

/** What the job returns: enough for a log line; the record itself is in the store. */
export interface EvalRunJobResult {
  taskId: string;
  model: string;
  attempt: number;
  pass: boolean;
  /** Recorded by an earlier attempt of this job (the worker died after recording, before acknowledging). */
  alreadyRecorded: boolean;
}

const digest = (job: Pick<EvalRunJob, "evalId" | "taskId" | "model" | "attempt">) =>
  createHash("sha256").update(`${job.evalId}\u0000${job.taskId}\u0000${job.model}\u0000${job.attempt}`).digest("hex");

/** The job's id: the same run is queued once however often the coordinator is restarted. */
export const evalJobId = (job: Pick<EvalRunJob, "evalId" | "taskId" | "model" | "attempt">) => `eval-${digest(job).slice(0, 32)}`;

/** The run's session id: stable, so a worker that takes over a dead worker's job finds the session to continue. */
export const evalSessionId = (job: Pick<EvalRunJob, "evalId" | "taskId" | "model" | "attempt">) => `ev${digest(job).slice(0, 16)}`;

/** The run's workspace folder under the job's root (default: the temp folder of the worker's machine). */
export function evalWorkspace(job: EvalRunJob): string {
  const slug = (s: string) => s.replace(/[^A-Za-z0-9.-]+/g, "-").slice(0, 60);
  return path.join(job.workspaceRoot ?? path.join(os.tmpdir(), "colleague-eval"), slug(job.evalId), `${slug(job.taskId)}--${slug(job.model)}--${job.attempt}`);
}

export interface EvalJobOptions {
  diagnoser?: Diagnoser;
  onLog?: (line: string) => void;
}

/**
 * Runs one queued evaluation run on this worker and records it in the store. A run whose
 * session a dead worker left behind (same session id, workspace still there) is continued from
 * the session's log, so no finished tool call runs again; a run already recorded is not run.
 */
export function evalJobHandler(host: Host, store: EvalStore, options: EvalJobOptions = {}) {
  const suites = new Map<string, EvalTask[]>();
  const tasksOf = (dir: string) => {
    const cached = suites.get(dir);
    if (cached) return cached;
    const tasks = loadAnySuite(dir).tasks;
    suites.set(dir, tasks);
    return tasks;
  };
  const recorded = (job: EvalRunJob) => store.findRun(job.evalId, job.taskId, job.model, job.attempt);

  async function run(job: EvalRunJob, signal: AbortSignal, queuedAttempt: number): Promise<EvalRunJobResult | undefined> {
    const evaluation = store.getEval(job.evalId);
    if (!evaluation) throw new Error(`no evaluation ${job.evalId} in this worker's store (workers and the coordinator need the same --store)`);
    const task = tasksOf(evaluation.suiteDir).find((t) => t.id === job.taskId);
    if (!task) throw new Error(`the suite at ${evaluation.suiteDir} has no task ${job.taskId} on this worker`);
    const workspace = evalWorkspace(job);
    let sessionId = evalSessionId(job);
    const left = host.store.getSession(sessionId);
    const resume = !!left && existsSync(workspace);
    // A session started on a machine whose workspace this one cannot see starts over, under an id of its own.
    if (left && !resume) sessionId = `${sessionId}-${queuedAttempt}`;
    if (resume) options.onLog?.(`${job.taskId} ${job.model}#${job.attempt}: continuing session ${sessionId} in ${workspace}`);
    const record = await runEvalTask(
      host,
      { evalId: job.evalId, task, model: job.model, attempt: job.attempt },
      { workspace, sessionId, resume, signal, ...(job.keepWorkspaces ? { keepWorkspaces: true } : {}), ...(options.diagnoser ? { diagnoser: options.diagnoser } : {}) },
    );
    if (!record) return undefined;
    const first = store.recordRun(record);
    return resultOf(first ? record : (recorded(job) ?? record), !first);
  }

  return async (data: unknown, signal: AbortSignal, queued: { attempt: number }): Promise<EvalRunJobResult | undefined> => {
    const job = EvalRunJob.parse(data);
    const hold = holdRun(host, job);
    try {
      // Read once the job is held: a worker that held it before may have just recorded it.
      const before = recorded(job);
      return before ? resultOf(before, true) : await run(job, signal, queued.attempt);
    } finally {
      hold.release();
    }
  };
}

const resultOf = (r: RunRecord, alreadyRecorded: boolean): EvalRunJobResult => ({ taskId: r.taskId, model: r.model, attempt: r.attempt, pass: r.pass, alreadyRecorded });

/**
 * One worker at a time runs a job. The queue hands a job on when its lock lapses, which a worker
 * stalled past its lock time causes as well as a dead one, and two workers in one workspace and
 * session would spoil the run. The lease (the sessions' lease table, keyed by the job's id) is
 * taken before the workspace is touched; while a live worker holds it, this attempt throws
 * SessionBusy and the queue retries it later, when the holder's record is there.
 */
function holdRun(host: Host, job: EvalRunJob): SessionHold {
  try {
    return holdSession(host.store, evalJobId(job));
  } catch (error) {
    if (error instanceof SessionBusy) throw new SessionBusy(`${job.taskId} ${job.model}#${job.attempt} is being run by another worker: ${error.message}`);
    throw error;
  }
}
