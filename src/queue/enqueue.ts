import type { Redis } from "ioredis";
import { connectRedis } from "./redis.js";
import { DEFAULT_QUEUE_NAME, SessionJob, type SessionJobResult } from "./job.js";

export interface EnqueueOptions {
  queueName?: string;
  /** Wait until a worker finishes the session and return its result. */
  wait?: boolean;
}

/**
 * Puts a session on the queue, keyed by its session id (so asking twice queues it once).
 * Failed attempts (a worker that stopped, a lease still held elsewhere) are retried with a
 * back-off; a worker killed outright loses its job lock and BullMQ hands the job to another.
 */
export async function enqueueSession(redisUrl: string, job: SessionJob, options: EnqueueOptions = {}): Promise<{ jobId: string; result?: SessionJobResult }> {
  const data = SessionJob.parse(job);
  const { Queue, QueueEvents } = await import("bullmq");
  const connection: Redis = await connectRedis(redisUrl);
  const name = options.queueName ?? DEFAULT_QUEUE_NAME;
  const queue = new Queue(name, { connection });
  const eventsConnection = options.wait ? await connectRedis(redisUrl) : undefined;
  const events = eventsConnection ? new QueueEvents(name, { connection: eventsConnection }) : undefined;
  try {
    if (events) await events.waitUntilReady();
    const added = await queue.add("session", data, {
      jobId: data.sessionId,
      attempts: 10,
      backoff: { type: "fixed", delay: 15_000 },
      removeOnComplete: { age: 7 * 24 * 3600 },
      removeOnFail: { age: 30 * 24 * 3600 },
    });
    const jobId = added.id ?? data.sessionId;
    if (!events) return { jobId };
    const result = (await added.waitUntilFinished(events)) as SessionJobResult;
    return { jobId, result };
  } finally {
    await events?.close();
    await queue.close();
    connection.disconnect();
    eventsConnection?.disconnect();
  }
}
