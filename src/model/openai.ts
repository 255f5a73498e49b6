import OpenAI from "openai";
import type { ResponseStreamEvent } from "openai/resources/responses/responses";
import { createProviderFetch, httpFetch } from "./http-fetch.js";
import { buildCompactParams, buildResponsesParams } from "./openai-request.js";
import { errorFromThrown, ResponsesStreamTranslator, usageFrom } from "./openai-stream.js";
import { ConfigError, type ModelFactory } from "./resolve.js";
import { withRetries } from "./retry.js";
import { OPENAI_STALL_LIMITS, stallLimits } from "./stall.js";
import type { CompactResult, ModelError, ModelEvent, ModelInfo, ModelRequest } from "./types.js";

export { openaiEffort, toResponsesInput } from "./openai-request.js";

const defaultBaseURL = "https://api.openai.com/v1";
const COMPACT_TIMEOUT_MS = 600_000;

/**
 * The OpenAI Responses API adapter. Stateless: `store: false`, with encrypted reasoning items
 * carried in our messages and sent back unchanged. Retries are ours (`withRetries`), so the
 * SDK's own are off; failures become `error` events, never exceptions.
 */
export const createModel: ModelFactory = (id, info, options) => {
  if (!options.apiKey) {
    throw new ConfigError("OPENAI_API_KEY is not set: export it, or put it in your user config, ~/.colleague/config.json: {\"providers\": {\"openai\": {\"apiKey\": \"…\"}}}");
  }
  // Explicit base URL: without one the SDK would read OPENAI_BASE_URL behind the config's back.
  const baseURL = options.baseURL ?? defaultBaseURL;
  const limits = stallLimits(options, OPENAI_STALL_LIMITS);
  const client = new OpenAI({
    apiKey: options.apiKey,
    baseURL,
    maxRetries: 0,
    // Failures reach the user as error events; the SDK's console logging would duplicate them.
    logLevel: "off",
    fetch: createProviderFetch(limits), // node:http, not undici: saves ~200 ms per CLI run (see http-fetch.ts)
    ...(options.headers ? { defaultHeaders: options.headers } : {}),
    // Only a backstop: our fetch gives up on missing headers first, with a clearer message.
    timeout: limits.headersMs + 5_000,
  });
  return {
    id,
    info,
    stream: (request) => withRetries(() => attempt(client, baseURL, id, info, request), options.retry, request.signal),
    // The compact endpoint runs a whole model call before it answers: no headers limit of
    // seconds there, only the SDK's own (10 minutes).
    compact: (request) => compact(client.withOptions({ fetch: httpFetch, timeout: COMPACT_TIMEOUT_MS }), baseURL, info, request),
  };
};

/**
 * POST /responses/compact: the history comes back as the user messages plus one encrypted
 * `compaction` item, which is kept whole and sent back unchanged in later requests. (The
 * user messages are not needed: the context engine's handoff carries them verbatim.)
 */
async function compact(client: OpenAI, baseURL: string, info: ModelInfo, request: ModelRequest): Promise<CompactResult> {
  try {
    const response = await client.responses.compact(buildCompactParams(info, request), { signal: request.signal });
    const item = response.output.find((o) => (o as { type: string }).type === "compaction");
    if (!item) return { error: { kind: "malformed", message: "openai /responses/compact returned no compaction item", retryable: false } };
    const data = item as unknown as Record<string, unknown>;
    return { part: { type: "compaction", text: "", replay: { api: "openai", data } }, usage: usageFrom(response.usage) };
  } catch (error) {
    return { error: errorFromThrown(error, baseURL, request.signal) };
  }
}

/** One HTTP request and its stream; ends with exactly one `done` or `error`, never throws. */
async function* attempt(
  client: OpenAI,
  baseURL: string,
  id: string,
  info: ModelInfo,
  request: ModelRequest,
): AsyncGenerator<ModelEvent> {
  const translator = new ResponsesStreamTranslator(id);
  let events: AsyncIterator<ResponseStreamEvent>;
  try {
    const stream = await client.responses.create(buildResponsesParams(info, request), { signal: request.signal });
    events = stream[Symbol.asyncIterator]();
  } catch (error) {
    yield { type: "error", error: errorFromThrown(error, baseURL, request.signal) };
    return;
  }
  try {
    for (;;) {
      const next = await nextEvent(events, baseURL, request.signal);
      if ("error" in next) {
        yield { type: "error", error: next.error };
        return;
      }
      if (next.done) break;
      for (const event of translator.translate(next.value)) {
        yield event;
        if (event.type === "done" || event.type === "error") return;
      }
    }
  } finally {
    // Ends the HTTP request if we stop early (a terminal event, or the consumer broke off).
    await events.return?.().catch(() => undefined);
  }
  // The SDK ends the iterator quietly when the request is aborted, and so does a server that
  // closes the stream cleanly but too early: only the signal tells the two apart.
  yield {
    type: "error",
    error: request.signal?.aborted
      ? errorFromThrown(undefined, baseURL, request.signal)
      : { kind: "connection", message: `openai stream from ${baseURL} ended before response.completed`, retryable: true },
  };
}

type Next = IteratorResult<ResponseStreamEvent> | { error: ModelError };

/** Only the SDK's iteration is guarded: what it throws is a network or protocol failure. */
async function nextEvent(events: AsyncIterator<ResponseStreamEvent>, baseURL: string, signal?: AbortSignal): Promise<Next> {
  try {
    return await events.next();
  } catch (error) {
    return { error: errorFromThrown(error, baseURL, signal) };
  }
}
