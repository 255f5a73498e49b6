import type { ModelError } from "./types.js";

/**
 * Limits on how long a provider may stay silent: before its response headers (connect
 * included), and between two reads of its stream. Without them a server that accepts the
 * connection and never answers, or that sends headers and then stalls, holds a session
 * forever; with them the request is given up and retried like a dropped stream.
 */
export interface StallLimits {
  /** From sending the request to the response headers, ms. */
  headersMs: number;
  /** Between two chunks of the response body while the reader waits for one, ms. */
  idleMs: number;
}

/**
 * Anthropic answers with headers at once and pings while it thinks, so silence for most of a
 * minute means the stream is lost.
 */
export const HOSTED_STALL_LIMITS: StallLimits = { headersMs: 30_000, idleMs: 45_000 };

/**
 * OpenAI's Responses stream sends nothing while a model reasons without a summary, which at
 * high effort lasts minutes: the idle limit is Codex CLI's (300 s), the headers limit stays short.
 */
export const OPENAI_STALL_LIMITS: StallLimits = { headersMs: 30_000, idleMs: 300_000 };

/**
 * Local servers may load a model before their first byte (Ollama sends its headers with the
 * first token) and process a long prompt on a CPU before the next: give them longer.
 */
export const LOCAL_STALL_LIMITS: StallLimits = { headersMs: 120_000, idleMs: 120_000 };

/** The provider options that override the limits (`timeoutMs` is the headers limit). */
export function stallLimits(options: { timeoutMs?: number; idleTimeoutMs?: number }, defaults: StallLimits): StallLimits {
  return { headersMs: options.timeoutMs ?? defaults.headersMs, idleMs: options.idleTimeoutMs ?? defaults.idleMs };
}

/**
 * What http-request.ts throws when a limit passes; the adapters report it with the config key
 * that sets the limit (stallFailure).
 */
export class ProviderStallError extends Error {
  override name = "ProviderStallError";
  readonly code = "ESTALLED";

  constructor(
    readonly phase: "headers" | "idle",
    readonly limitMs: number,
  ) {
    super(phase === "headers" ? `no response headers within ${seconds(limitMs)}` : `no data for ${seconds(limitMs)}`);
  }
}

const seconds = (ms: number): string => (ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`);

/**
 * A stall found anywhere along `error`'s cause chain, as a retryable connection error whose
 * message names the config key (`providers.<provider>.…`) that sets the limit.
 */
export function stallFailure(error: unknown, baseURL: string, provider: string): ModelError | undefined {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 6; e = e.cause, depth++) {
    if (!(e instanceof ProviderStallError)) continue;
    const key = e.phase === "headers" ? "timeoutMs" : "idleTimeoutMs";
    const message =
      e.phase === "headers"
        ? `${baseURL} sent no response headers within ${seconds(e.limitMs)}`
        : `stream from ${baseURL} stalled: no data for ${seconds(e.limitMs)}`;
    return { kind: "connection", message: `${message}; providers.${provider}.${key} sets the limit`, retryable: true };
  }
  return undefined;
}
