import type { ModelError, ModelErrorKind, ModelEvent } from "./types.js";

/** How adapters retry: on 429 / 529 / 5xx, on a stream cut or stalled mid-response, on a malformed frame. */
export interface RetryPolicy {
  maxRetries: number;
  baseDelayMs: number;
  /** Ceiling of our own backoff (not of a wait the provider asked for). */
  maxDelayMs: number;
  /**
   * The longest `retry-after` we wait out (default DEFAULT_MAX_RETRY_AFTER_MS). A provider that
   * asks for more fails the request with a line saying so, rather than being retried early
   * (which it would refuse again) or waited on for an unbounded time.
   */
  maxRetryAfterMs?: number;
}

export const DEFAULT_MAX_RETRY_AFTER_MS = 120_000;

export const defaultRetryPolicy: RetryPolicy = { maxRetries: 4, baseDelayMs: 500, maxDelayMs: 30_000, maxRetryAfterMs: DEFAULT_MAX_RETRY_AFTER_MS };

/** Environment override, so tests and CI can make retries instant: COLLEAGUE_RETRY_BASE_MS. */
export function retryPolicyFromEnv(env: NodeJS.ProcessEnv = process.env): RetryPolicy {
  const base = Number(env.COLLEAGUE_RETRY_BASE_MS);
  const max = Number(env.COLLEAGUE_MAX_RETRIES);
  return {
    ...defaultRetryPolicy,
    ...(Number.isFinite(base) && env.COLLEAGUE_RETRY_BASE_MS ? { baseDelayMs: base } : {}),
    ...(Number.isFinite(max) && env.COLLEAGUE_MAX_RETRIES ? { maxRetries: max } : {}),
  };
}

/** Exponential backoff with half jitter, unless the provider said how long to wait (then exactly that). */
export function retryDelayMs(attempt: number, policy: RetryPolicy, error: ModelError, random = Math.random): number {
  if (error.retryAfterMs !== undefined) return Math.ceil(error.retryAfterMs);
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** Why a provider's `retry-after` is not waited out, or undefined when it is within the maximum. */
export function retryAfterBeyondMax(error: ModelError, policy: RetryPolicy): string | undefined {
  const max = policy.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS;
  if (error.retryAfterMs === undefined || error.retryAfterMs <= max) return undefined;
  return (
    `the provider asked to wait ${formatSeconds(error.retryAfterMs)} before retrying, longer than maxRetryAfterMs ` +
    `(${formatSeconds(max)}): not retried (raise providers.<name>.maxRetryAfterMs to wait it out)`
  );
}

const formatSeconds = (ms: number): string => `${Number((ms / 1000).toFixed(ms < 10_000 ? 1 : 0))} s`;

/** `retry-after` is seconds or an HTTP date; `retry-after-ms` (OpenAI, Anthropic) is milliseconds. */
export function parseRetryAfter(headers: Headers | Record<string, string | undefined> | undefined): number | undefined {
  if (!headers) return undefined;
  // Not `instanceof Headers`: reading the global loads undici (~40 ms) in a process that never used it.
  const get = (name: string): string | null | undefined =>
    typeof headers.get === "function" ? (headers as Headers).get(name) : (headers as Record<string, string | undefined>)[name] ?? (headers as Record<string, string | undefined>)[name.toLowerCase()];
  const ms = get("retry-after-ms");
  if (ms && Number.isFinite(Number(ms))) return Math.max(0, Number(ms));
  const value = get("retry-after");
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** Classifies an HTTP status into a ModelError. */
export function errorFromStatus(status: number, message: string, retryAfterMs?: number): ModelError {
  let kind: ModelErrorKind = "bad_request";
  if (status === 401 || status === 403) kind = "auth";
  else if (status === 429) kind = "rate_limit";
  else if (status === 529) kind = "overloaded";
  else if (status >= 500) kind = "server";
  else if (status === 408 || status === 409) kind = "connection";
  const retryable = kind === "rate_limit" || kind === "overloaded" || kind === "server" || kind === "connection";
  return { kind, message, status, retryable, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
}

export const abortedError = (): ModelError => ({ kind: "aborted", message: "aborted", retryable: false });

/** Resolves after `ms`, or early when `signal` aborts (also used by the team runtime). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}

/**
 * Runs `attempt` until it ends with `done`, a non-retryable error, or the retries run out.
 * Each attempt must end with exactly one `done` or `error` event and must not throw.
 * Between attempts a `retry` event tells the consumer to drop partial output.
 */
export async function* withRetries(
  attempt: () => AsyncIterable<ModelEvent>,
  policy: RetryPolicy,
  signal?: AbortSignal,
): AsyncGenerator<ModelEvent> {
  for (let n = 1; ; n++) {
    let failure: ModelError | undefined;
    for await (const event of attempt()) {
      if (event.type === "error") {
        failure = event.error;
        break;
      }
      yield event;
      if (event.type === "done") return;
    }
    if (!failure) failure = { kind: "malformed", message: "model stream ended without a result", retryable: false };
    if (signal?.aborted) {
      yield { type: "error", error: abortedError() };
      return;
    }
    if (!failure.retryable || n > policy.maxRetries) {
      const suffix = failure.retryable ? ` (gave up after ${n} attempt${n === 1 ? "" : "s"})` : "";
      yield { type: "error", error: { ...failure, message: failure.message + suffix } };
      return;
    }
    const tooLong = retryAfterBeyondMax(failure, policy);
    if (tooLong) {
      yield { type: "error", error: { ...failure, retryable: false, message: `${failure.message}; ${tooLong}` } };
      return;
    }
    const delayMs = retryDelayMs(n, policy, failure);
    yield { type: "retry", attempt: n, delayMs, error: failure };
    await sleep(delayMs, signal);
    if (signal?.aborted) {
      yield { type: "error", error: abortedError() };
      return;
    }
  }
}
