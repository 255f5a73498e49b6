import type { Redis } from "ioredis";
import type { RequestGate } from "../model/request-gate.js";
import { sleep } from "../model/retry.js";

export interface RateLimitSettings {
  /** Requests per window per provider key, over all workers; 0: no rate, only the shared back-off after a 429. */
  requests: number;
  windowMs: number;
  /** Where the keys live in Redis (one prefix per queue, so two deployments on one Redis stay apart). */
  prefix?: string;
}

/**
 * A sliding window in a sorted set: the start times of the requests of the last window. One
 * script checks and records a request atomically, with Redis's clock (the workers' clocks may
 * differ). A back-off key set after a 429 holds every caller until it expires. Returns how many
 * milliseconds to wait; 0 means go (and the request is counted).
 */
const ACQUIRE = `
local backoff = redis.call('PTTL', KEYS[2])
if backoff > 0 then return backoff end
local limit = tonumber(ARGV[2])
if limit <= 0 then return 0 end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = tonumber(ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) >= limit then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return math.max(1, tonumber(oldest[2]) + window - now)
end
redis.call('ZADD', KEYS[1], now, ARGV[3])
redis.call('PEXPIRE', KEYS[1], window)
return 0
`;

/** Extends the back-off, never shortens it: a later, shorter retry-after does not release the others early. */
const BACK_OFF = `
local left = redis.call('PTTL', KEYS[1])
if left < tonumber(ARGV[1]) then redis.call('SET', KEYS[1], '1', 'PX', ARGV[1]) end
return 0
`;

/** A wait is taken in slices, so a back-off another worker lifts or a freed slot is seen soon. */
const MAX_SLICE_MS = 1_000;

/** The request gate shared by every worker on one Redis: a provider's limit is the account's, not the process's. */
export class RedisRateLimiter implements RequestGate {
  private counter = 0;
  private failed = false;

  constructor(
    private readonly redis: Redis,
    private readonly settings: RateLimitSettings,
    private readonly onNotice?: (line: string) => void,
  ) {}

  private keys(key: string): [string, string] {
    const prefix = this.settings.prefix ?? "colleague:rate";
    return [`${prefix}:${key}:window`, `${prefix}:${key}:backoff`];
  }

  async acquire(key: string, signal?: AbortSignal): Promise<void> {
    const [window, backoff] = this.keys(key);
    for (;;) {
      if (signal?.aborted) return;
      let wait: number;
      try {
        const member = `${process.pid}-${Date.now()}-${this.counter++}`;
        wait = Number(await this.redis.eval(ACQUIRE, 2, window, backoff, this.settings.windowMs, this.settings.requests, member));
      } catch (error) {
        this.notice(`the shared rate limit is not reachable (${(error as Error).message}); requests go without it`);
        return;
      }
      if (wait <= 0) return;
      // A little jitter, so the waiting workers do not all ask again at the same millisecond.
      await sleep(Math.min(wait, MAX_SLICE_MS) + Math.floor(Math.random() * 20), signal);
    }
  }

  backOff(key: string, ms: number): void {
    if (ms <= 0) return;
    this.redis.eval(BACK_OFF, 1, this.keys(key)[1], Math.ceil(ms)).catch((error: Error) => this.notice(`could not share a back-off: ${error.message}`));
  }

  private notice(line: string): void {
    if (this.failed) return;
    this.failed = true;
    this.onNotice?.(line);
  }
}
