import os from "node:os";
import type { Redis } from "ioredis";
import type { Host } from "../host/host.js";
import { setRequestGate } from "../model/request-gate.js";
import { StopRequest } from "../session/stop-request.js";
import type { SessionResult } from "../session/session.js";
import { DEFAULT_QUEUE_NAME, SessionJob, type SessionJobResult } from "./job.js";
import { type RateLimitSettings, RedisRateLimiter } from "./rate-limit.js";
import { connectRedis } from "./redis.js";

export interface WorkerOptions {
  redisUrl: string;
  /** The host every session runs through: its store (PostgreSQL, shared by all workers), guard and config. */
  host: Host;
  queueName?: string;
  /** Sessions this process runs at once. */
  concurrency?: number;
  /**
   * How long a job's lock lasts without renewal: a worker killed outright loses its job to
   * another worker this long after its last renewal (BullMQ's stalled-job check).
   */
  lockMs?: number;
  /** The shared per-provider rate limit (always: the back-off after a 429 is shared). */
  rateLimit?: RateLimitSettings;
  onNotice?: (line: string) => void;
  /** One line per job taken and finished. */
  onLog?: (line: string) => void;
  /**
   * Jobs of other kinds, by BullMQ job name (a session job is named "session"). A handler that
   * returns after `signal` aborted (the worker is stopping) has its job handed back to the queue.
   */
  handlers?: Record<string, JobHandler>;
}

export type JobHandler = (data: unknown, signal: AbortSignal, job: { id: string; attempt: number }) => Promise<unknown>;

export interface RunningWorker {
  /** Stops taking jobs; sessions running here stop (resumable) and their jobs go back on the queue. */
  close(): Promise<void>;
  /** Resolves when the worker has stopped. */
  closed: Promise<void>;
}

/** Statuses a session does not leave without a follow-up: its job is done, whoever ran it. */
const FINAL = new Set(["completed", "max_steps", "budget", "refused"]);

/**
 * `colleague worker`: takes session jobs off the queue and runs each through the host, so the
 * host's guard applies to every one (permissions, sandbox, monitors, audit). A job whose session
 * is already in the store was started by a worker that died: this one resumes it from the log,
 * and the session's lease (in the store) keeps two workers from running it at once.
 */
export async function startWorker(options: WorkerOptions): Promise<RunningWorker> {
  const { Worker } = await import("bullmq");
  const connection: Redis = await connectRedis(options.redisUrl);
  const limiterConnection: Redis = await connectRedis(options.redisUrl);
  const queueName = options.queueName ?? DEFAULT_QUEUE_NAME;
  setRequestGate(new RedisRateLimiter(limiterConnection, { requests: 0, windowMs: 60_000, prefix: `colleague:rate:${queueName}`, ...options.rateLimit }, options.onNotice));
  const stopping = new AbortController();
  const lockDuration = options.lockMs ?? 30_000;

  const worker = new Worker(
    queueName,
    async (job) => {
      const handler = job.name === "session" ? undefined : options.handlers?.[job.name];
      if (handler) {
        options.onLog?.(`job ${job.id}: ${job.name} (attempt ${job.attemptsMade + 1})`);
        const result = await handler(job.data, stopping.signal, { id: job.id ?? "", attempt: job.attemptsMade + 1 });
        if (stopping.signal.aborted) throw new Error(`worker ${os.hostname()}:${process.pid} stopped; the job goes back on the queue`);
        options.onLog?.(`job ${job.id}: ${job.name} done`);
        return result;
      }
      const request = SessionJob.parse(job.data);
      options.onLog?.(`job ${job.id}: session ${request.sessionId} (attempt ${job.attemptsMade + 1})`);
      const result = await runJob(options.host, request, stopping.signal);
      if (stopping.signal.aborted && result.status === "stopped") {
        // Thrown, so BullMQ puts the job back: another worker resumes the session.
        throw new Error(`worker ${os.hostname()}:${process.pid} stopped; the session continues on another worker`);
      }
      options.onLog?.(`job ${job.id}: session ${request.sessionId} ${result.status}${result.resumed ? " (resumed)" : ""}`);
      return result;
    },
    {
      connection,
      concurrency: options.concurrency ?? 1,
      lockDuration,
      // The check that hands a dead worker's jobs to the living runs this often; a job may stall
      // a few times (each time its worker died) before it counts as failed.
      stalledInterval: Math.max(1_000, Math.floor(lockDuration / 2)),
      maxStalledCount: 5,
    },
  );
  worker.on("error", (error) => options.onNotice?.(`queue: ${error.message}`));
  worker.on("failed", (job, error) => options.onLog?.(`job ${job?.id}: ${error.message}`));
  await worker.waitUntilReady();

  let closing: Promise<void> | undefined;
  let resolveClosed: () => void = () => {};
  const closed = new Promise<void>((resolve) => {
    resolveClosed = resolve;
  });
  return {
    closed,
    close: () => {
      closing ??= (async () => {
        stopping.abort(new StopRequest("SIGTERM"));
        await worker.close();
        setRequestGate(undefined);
        connection.disconnect();
        limiterConnection.disconnect();
        resolveClosed();
      })();
      return closing;
    },
  };
}

/** Starts the job's session, or resumes it when a worker before this one started it. */
async function runJob(host: Host, request: SessionJob, signal: AbortSignal): Promise<SessionJobResult> {
  const row = host.store.getSession(request.sessionId);
  const guard = {
    ...(request.permissionMode ? { permissionMode: request.permissionMode } : {}),
    ...(request.sandbox ? { sandbox: request.sandbox } : {}),
  };
  if (row && FINAL.has(row.status)) {
    return { sessionId: row.id, status: row.status, steps: row.steps, costUsd: row.costUsd, resumed: false };
  }
  const handles = { signal };
  if (row) return outcome(await host.resumeSession(row.id, guard, handles), true);
  const { sessionId, task, cwd, model, effort, maxSteps, budgetUsd, budgetTokens, name } = request;
  const settings = { sessionId, task, cwd, model, effort, maxSteps, budgetUsd, budgetTokens, name };
  const defined = Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined)) as typeof settings;
  return outcome(await host.startSession({ ...defined, ...guard }, handles), false);
}

function outcome(result: SessionResult, resumed: boolean): SessionJobResult {
  return {
    sessionId: result.sessionId,
    status: result.status,
    steps: result.steps,
    costUsd: result.costUsd,
    ...(result.answer !== undefined ? { answer: result.answer } : {}),
    ...(result.error !== undefined ? { error: result.error } : {}),
    resumed,
  };
}
