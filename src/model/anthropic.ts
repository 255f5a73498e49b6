import type { MessageCreateParamsStreaming } from "@anthropic-ai/sdk/resources/messages";
import { AnthropicApiError, AnthropicClient, DEFAULT_ANTHROPIC_URL } from "./anthropic-client.js";
import { buildParams, requestHeaders } from "./anthropic-request.js";
import { AnthropicStreamState } from "./anthropic-stream.js";
import { ProviderConnectionError } from "./provider-post.js";
import { ConfigError, type ModelFactory, type ProviderOptions } from "./resolve.js";
import { abortedError, errorFromStatus, parseRetryAfter, withRetries } from "./retry.js";
import { HOSTED_STALL_LIMITS, stallFailure, stallLimits } from "./stall.js";
import type { ModelError, ModelEvent, ModelInfo, ModelRequest } from "./types.js";

/**
 * The Anthropic Messages API adapter. The wire is anthropic-client.ts; retries, request mapping
 * (anthropic-request.ts) and event folding (anthropic-stream.ts) are here and beside it.
 * resolve.ts imports this file lazily, so none of it loads for another provider.
 */

export const createModel: ModelFactory = (id, info, options) => {
  if (!options.apiKey) {
    throw new ConfigError(
      "ANTHROPIC_API_KEY is not set: export it, or put it in your user config, ~/.colleague/config.json: {\"providers\": {\"anthropic\": {\"apiKey\": \"…\"}}}",
    );
  }
  const client = new AnthropicClient({
    apiKey: options.apiKey,
    // The configured URL (the config reads ANTHROPIC_BASE_URL: config/models.ts), else the public API.
    baseURL: options.baseURL ?? DEFAULT_ANTHROPIC_URL,
    limits: stallLimits(options, HOSTED_STALL_LIMITS),
    ...(options.headers ? { headers: options.headers } : {}),
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
    const counted = await call.client.countTokens(params, request.signal, headers);
    return counted.input_tokens;
  } catch {
    return undefined;
  }
}

interface Call {
  id: string;
  info: ModelInfo;
  options: ProviderOptions;
  client: AnthropicClient;
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
    for await (const event of call.client.stream(params, signal, headers)) {
      yield* state.handle(event);
      if (state.finished) return;
    }
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
 * What the client (anthropic-client.ts) and its transport throw:
 * - HTTP error status: AnthropicApiError with status, headers and the body's type and message;
 * - `event: error` mid-stream: AnthropicApiError with no status, `type` = the body's error type;
 * - refused / DNS / TLS / no headers in time: ProviderConnectionError, the cause carrying the
 *   code (ECONNREFUSED…) or our ProviderStallError;
 * - connection cut mid-body: an error with code ECONNRESET; a stall mid-body: ProviderStallError;
 * - data that is not JSON: the bare SyntaxError from JSON.parse;
 * - abort: a DOMException named AbortError (the caller checks the signal first).
 */
export function toModelError(error: unknown, baseURL: string): ModelError {
  if (error instanceof DOMException && error.name === "AbortError") return abortedError();
  const stalled = stallFailure(error, baseURL, "anthropic");
  if (stalled) return stalled;
  if (error instanceof ProviderConnectionError) {
    return { kind: "connection", message: `cannot reach ${baseURL}: ${networkReason(error)}`, retryable: true };
  }
  if (error instanceof AnthropicApiError) return apiError(error);
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

function apiError(error: AnthropicApiError): ModelError {
  const { type, apiMessage: text } = error;
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
