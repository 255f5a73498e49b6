import Anthropic, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from "@anthropic-ai/sdk";
import type { MessageCreateParamsStreaming } from "@anthropic-ai/sdk/resources/messages";
import { buildParams, requestHeaders } from "./anthropic-request.js";
import { AnthropicStreamState } from "./anthropic-stream.js";
import { createProviderFetch } from "./http-fetch.js";
import { ConfigError, type ModelFactory, type ProviderOptions } from "./resolve.js";
import { abortedError, errorFromStatus, parseRetryAfter, withRetries } from "./retry.js";
import { HOSTED_STALL_LIMITS, stallFailure, stallLimits } from "./stall.js";
import type { ModelError, ModelEvent, ModelInfo, ModelRequest } from "./types.js";

/**
 * The Anthropic Messages API adapter. The SDK does the HTTP and SSE framing; retries,
 * request mapping (anthropic-request.ts) and event folding (anthropic-stream.ts) are ours.
 * resolve.ts imports this file lazily, so the SDK loads only when an Anthropic model is used.
 */

export const createModel: ModelFactory = (id, info, options) => {
  if (!options.apiKey) {
    throw new ConfigError(
      "ANTHROPIC_API_KEY is not set: export it, or put it in your user config, ~/.colleague/config.json: {\"providers\": {\"anthropic\": {\"apiKey\": \"…\"}}}",
    );
  }
  const limits = stallLimits(options, HOSTED_STALL_LIMITS);
  const client = new Anthropic({
    apiKey: options.apiKey,
    baseURL: options.baseURL, // undefined: the SDK falls back to ANTHROPIC_BASE_URL, then the public API
    maxRetries: 0, // retries are ours (withRetries), so every retry is visible as an event
    logLevel: "off", // the SDK would print malformed frames to the console; we report them as data
    fetch: createProviderFetch(limits), // node:http, not undici: saves ~200 ms per CLI run (see http-fetch.ts)
    ...(options.headers ? { defaultHeaders: options.headers } : {}),
    // Only a backstop: our fetch gives up on missing headers first, with a clearer message.
    timeout: limits.headersMs + 5_000,
  });
  const call = { id, info, options, client };
  return {
    id,
    info,
    stream: (request) => withRetries(() => attempt(call, request), options.retry, request.signal),
    countTokens: (request) => countTokens(call, request),
  };
};

/** POST /v1/messages/count_tokens (free): the context engine checks its estimate before compacting. */
async function countTokens(call: Call, request: ModelRequest): Promise<number | undefined> {
  try {
    const { model, messages, system, tools, thinking } = buildParams(request, call.info);
    const params = { model, messages, ...(system ? { system } : {}), ...(tools ? { tools } : {}), ...(thinking ? { thinking } : {}) };
    const headers = requestHeaders(call.info, call.options.longContext, call.options.headers, undefined, request.tools);
    const counted = await call.client.messages.countTokens(params, { signal: request.signal, headers });
    return counted.input_tokens;
  } catch {
    return undefined;
  }
}

interface Call {
  id: string;
  info: ModelInfo;
  options: ProviderOptions;
  client: Anthropic;
}

/** One HTTP request. Ends with exactly one `done` or `error`; never throws. */
async function* attempt(call: Call, request: ModelRequest): AsyncGenerator<ModelEvent> {
  const signal = request.signal;
  if (signal?.aborted) {
    yield { type: "error", error: abortedError() };
    return;
  }
  const state = new AnthropicStreamState(call.id);
  try {
    const params: MessageCreateParamsStreaming = buildParams(request, call.info);
    const headers = requestHeaders(call.info, call.options.longContext, call.options.headers, request.context, request.tools);
    const stream = await call.client.messages.create(params, { signal, headers });
    for await (const event of stream) {
      yield* state.handle(event);
      if (state.finished) return;
    }
    // The SDK ends iteration quietly both on abort and when the server closes early.
    yield { type: "error", error: signal?.aborted ? abortedError() : endedEarly() };
  } catch (error) {
    yield { type: "error", error: signal?.aborted ? abortedError() : toModelError(error, call.client.baseURL) };
  }
}

const endedEarly = (): ModelError => ({
  kind: "connection",
  message: "anthropic stream ended before message_stop",
  retryable: true,
});

/** SSE `error` events carry only an error type; give each the HTTP status it stands for. */
const STATUS_OF_TYPE: Record<string, number> = {
  invalid_request_error: 400,
  authentication_error: 401,
  billing_error: 402,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  timeout_error: 504,
  overloaded_error: 529,
};

/**
 * What SDK 1.14 throws, found by experiment:
 * - HTTP error status: an APIError subclass with status, headers and the parsed body;
 * - `event: error` mid-stream: a plain APIError with no status, `type` = the body's error type;
 * - refused / DNS / TLS: APIConnectionError, the code (ECONNREFUSED…) two causes down;
 * - connection cut mid-body: undici's TypeError "terminated", cause SocketError "other side closed";
 * - data that is not JSON: the bare SyntaxError from JSON.parse;
 * - a stall (stall.ts): our ProviderStallError somewhere down the cause chain;
 * - abort mid-body: nothing at all, iteration just ends (handled by the caller).
 */
export function toModelError(error: unknown, baseURL: string): ModelError {
  if (error instanceof APIUserAbortError) return abortedError();
  const stalled = stallFailure(error, baseURL, "anthropic");
  if (stalled) return stalled;
  if (error instanceof APIConnectionTimeoutError) {
    return { kind: "connection", message: `request to ${baseURL} timed out`, retryable: true };
  }
  if (error instanceof APIConnectionError) {
    return { kind: "connection", message: `cannot reach ${baseURL}: ${networkReason(error)}`, retryable: true };
  }
  if (error instanceof APIError) return apiError(error);
  // One garbled frame (a proxy or a flaky link) says nothing about the next attempt: retry it.
  if (error instanceof SyntaxError) {
    return {
      kind: "malformed",
      message: `anthropic sent a stream event whose data is not valid JSON (${error.message})`,
      retryable: true,
    };
  }
  if (isNetworkFailure(error)) {
    return { kind: "connection", message: `connection to ${baseURL} dropped mid-stream: ${networkReason(error)}`, retryable: true };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { kind: "malformed", message: `anthropic stream failed: ${message}`, retryable: false };
}

function apiError(error: APIError): ModelError {
  const type = error.type ?? "error";
  const text = error.apiMessage ?? error.message;
  if (error.status === undefined) {
    const status = STATUS_OF_TYPE[type] ?? 500;
    const mapped = errorFromStatus(status, `anthropic stream ${type}: ${text}`);
    // No HTTP status was actually returned: keep `status` for real responses only.
    const { status: _dropped, ...rest } = mapped;
    return rest;
  }
  return errorFromStatus(error.status, `anthropic ${error.status} ${type}: ${text}`, parseRetryAfter(error.headers));
}

/** The innermost cause says most: its code (ECONNREFUSED…) or, for undici's socket errors, its message. */
function networkReason(error: unknown): string {
  let reason = error instanceof Error ? error.message : String(error);
  for (let e = causeOf(error), depth = 0; e instanceof Error && depth < 6; e = causeOf(e), depth++) {
    const code = (e as { code?: unknown }).code;
    reason = typeof code === "string" && /^E[A-Z]+$/.test(code) ? code : e.message;
  }
  return reason;
}

const causeOf = (e: unknown): unknown => (e instanceof Error ? e.cause : undefined);

function isNetworkFailure(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 6; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && /^(E[A-Z]+|UND_ERR.*)$/.test(code)) return true;
    if (e.message === "terminated" || e.message === "fetch failed") return true;
  }
  return false;
}
