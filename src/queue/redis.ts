import type { Redis } from "ioredis";
import { QueueUnavailable } from "./errors.js";

export const isRedisUrl = (location: string): boolean => /^rediss?:\/\//i.test(location);

/** How long the first connection may take before the queue counts as unreachable. */
const CONNECT_TIMEOUT_MS = 10_000;

/**
 * A Redis connection for BullMQ and the shared rate limit. `maxRetriesPerRequest: null` is what
 * BullMQ's blocking commands need (a worker waits on the queue indefinitely). The first
 * connection must succeed (a wrong URL is one line, not endless retries); later drops are
 * reconnected by ioredis. ioredis loads here, on first use: a colleague that never scales out
 * never loads it.
 */
export async function connectRedis(url: string): Promise<Redis> {
  const { Redis } = await import("ioredis");
  const redis = new Redis(url, { maxRetriesPerRequest: null, lazyConnect: true, connectTimeout: CONNECT_TIMEOUT_MS });
  // Reported through connect() below, or by BullMQ's own handlers later; never an unhandled 'error'.
  let cause: Error | undefined;
  redis.on("error", (error: Error) => {
    cause ??= error;
  });
  try {
    await redis.connect();
  } catch (error) {
    redis.disconnect();
    throw new QueueUnavailable(`cannot reach the queue ${url.replace(/\/\/[^@/]*@/, "//***@")}: ${(cause ?? (error as Error)).message}`);
  }
  return redis;
}
