import type { Redis } from "ioredis";
import { DEFAULT_QUEUE_NAME } from "../queue/job.js";
import { connectRedis } from "../queue/redis.js";
import { diagnoseRun } from "./diagnose.js";
import { EVAL_JOB_NAME, type EvalRunJob, evalJobId } from "./eval-job.js";
import type { EvalStore, RunRecord } from "./eval-store.js";
import { type EvalOutcome, type EvalOptions, jobKey, planEval } from "./runner.js";

export interface QueuedEvalOptions extends Pick<EvalOptions, "store" | "suiteDir" | "models" | "k" | "evalId" | "only" | "signal" | "onRun" | "keepWorkspaces"> {
  /** The store must be the workers' (PostgreSQL): they record the runs there, and this waits on it. */
  store: EvalStore;
  redisUrl: string;
  queueName?: string;
  /** Where the workers put the runs' workspaces (a folder every worker sees; default: each worker's temp folder). */
  workspaceRoot?: string;
  /** How often the store is read for new runs. */
  pollMs?: number;
}

/**
 * Attempts per run job: a worker that dies or stops hands the job on; a run that errors is
 * recorded, not retried. The back-off doubles from 2 s, so the attempts span the minute after
 * which a dead worker's session lease on another machine counts as stale (src/session/lease.ts).
 */
const JOB_ATTEMPTS = 10;
/** How often (in polls) the queue is asked about runs that no worker can finish. */
const FAILED_CHECK_EVERY = 10;

/**
 * `colleague eval run <suite> --queue redis://…`: each run becomes a job that `colleague worker`
 * processes anywhere; the workers record the runs in the shared store, and this coordinator
 * waits on the store, reporting each run as it lands. Jobs are keyed by evaluation, task,
 * model and attempt, so a coordinator restarted with the same evaluation id queues nothing
 * twice and waits for what is still missing. Stopped (signal), it stops waiting: the queued
 * runs go on, and a rerun with the id picks up their results.
 */
export async function runEvalOnQueue(options: QueuedEvalOptions): Promise<EvalOutcome> {
  const { store } = options;
  const { evalId, jobs, todo } = planEval(options);
  const { Queue } = await import("bullmq");
  const connection: Redis = await connectRedis(options.redisUrl);
  const queue = new Queue(options.queueName ?? DEFAULT_QUEUE_NAME, { connection });
  try {
    const data = todo.map(
      (run): EvalRunJob => ({
        evalId,
        taskId: run.task.id,
        model: run.model,
        attempt: run.attempt,
        ...(options.workspaceRoot ? { workspaceRoot: options.workspaceRoot } : {}),
        ...(options.keepWorkspaces ? { keepWorkspaces: true } : {}),
      }),
    );
    // A job of an earlier coordinator that failed for good is tried again, as a rerun of a local evaluation retries nothing recorded.
    for (const job of data) {
      const left = await queue.getJob(evalJobId(job));
      if (left && (await left.getState()) === "failed") await left.retry("failed");
    }
    await queue.addBulk(
      data.map((job) => ({
        name: EVAL_JOB_NAME,
        data: job,
        opts: { jobId: evalJobId(job), attempts: JOB_ATTEMPTS, backoff: { type: "exponential", delay: 2_000 }, removeOnComplete: { age: 7 * 24 * 3600 }, removeOnFail: { age: 30 * 24 * 3600 } },
      })),
    );
    const waiting = new Map(data.map((job) => [jobKey(job), job]));
    let ran = 0;
    for (let poll = 0; waiting.size && !options.signal?.aborted; poll++) {
      for (const run of store.runs(evalId)) {
        if (!waiting.delete(jobKey(run))) continue;
        ran++;
        options.onRun?.(run);
      }
      if (waiting.size && poll % FAILED_CHECK_EVERY === FAILED_CHECK_EVERY - 1) {
        for (const job of [...waiting.values()]) {
          const queued = await queue.getJob(evalJobId(job));
          if (!queued || (await queued.getState()) !== "failed") continue;
          // No worker could finish it (each attempt died or errored before recording): a failed run, with the queue's reason.
          const record = failedRun(job, queued.failedReason || "the queue gave up on this run");
          if (store.recordRun(record)) {
            waiting.delete(jobKey(job));
            ran++;
            options.onRun?.(record);
          }
        }
      }
      if (waiting.size) await pause(options.pollMs ?? 500, options.signal);
    }
    return { evalId, ran, skipped: jobs.length - todo.length, interrupted: waiting.size > 0, runs: store.runs(evalId) };
  } finally {
    await queue.close();
    connection.disconnect();
  }
}

function failedRun(job: EvalRunJob, reason: string): RunRecord {
  const error = `no worker finished this run: ${reason}`;
  const diagnosis = diagnoseRun({ status: "error", reasons: [error], error }, []);
  return { evalId: job.evalId, taskId: job.taskId, model: job.model, attempt: job.attempt, pass: false, reasons: [error], status: "error", steps: 0, inputTokens: 0, outputTokens: 0, costUsd: 0, durationMs: 0, ...diagnosis, finishedAt: new Date().toISOString() };
}

const pause = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
