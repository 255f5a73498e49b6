import type { Redis } from "ioredis";

export const isRedisUrl = (location: string): boolean => /^rediss?:\/\//i.test(location);

/**
 * A Redis connection for BullMQ and the shared rate limit. `maxRetriesPerRequest: null` is what
 * BullMQ's blocking commands need (a worker waits on the queue indefinitely). ioredis loads
 * here, on first use: a colleague that never scales out never loads it.
 */
export async function connectRedis(url: string): Promise<Redis> {
  const { Redis } = await import("ioredis");
  return new Redis(url, { maxRetriesPerRequest: null, lazyConnect: false });
}
