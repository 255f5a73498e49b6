import type { Response, ResponseStreamEvent } from "openai/resources/responses/responses";
import { OpenAIClient } from "./openai-client.js";
import { buildCompactParams, buildResponsesParams } from "./openai-request.js";
import { errorFromThrown, ResponsesStreamTranslator, usageFrom } from "./openai-stream.js";
import { ConfigError, type ModelFactory } from "./resolve.js";
import { withRetries } from "./retry.js";
import { OPENAI_STALL_LIMITS, type StallLimits, stallLimits } from "./stall.js";
import type { CompactResult, ModelError, ModelEvent, ModelInfo, ModelRequest } from "./types.js";

export { openaiEffort, toResponsesInput } from "./openai-request.js";

const defaultBaseURL = "https://api.openai.com/v1";
/** The compact endpoint runs a whole model call before it answers: minutes, not the stream's limits. */
const COMPACT_LIMITS: StallLimits = { headersMs: 600_000, idleMs: 600_000 };

/**
 * The OpenAI Responses API adapter. Stateless: `store: false`, with encrypted reasoning items
 * carried in our messages and sent back unchanged. The wire is openai-client.ts; retries are ours
 * (`withRetries`); failures become `error` events, never exceptions.
 */
export const createModel: ModelFactory = (id, info, options) => {
  if (!options.apiKey) {
    throw new ConfigError("OPENAI_API_KEY is not set: export it, or put it in your user config, ~/.colleague/config.json: {\"providers\": {\"openai\": {\"apiKey\": \"…\"}}}");
  }
  // The configured URL (the config reads OPENAI_BASE_URL: config/models.ts), else the public API.
  const baseURL = options.baseURL ?? defaultBaseURL;
  const limits = stallLimits(options, OPENAI_STALL_LIMITS);
  const client = new OpenAIClient({ apiKey: options.apiKey, baseURL, ...(options.headers ? { headers: options.headers } : {}) });
  const call: Call = { client, baseURL, id, info, limits };
  return {
    id,
    info,
    stream: (request) => withRetries(() => attempt(call, request), options.retry, request.signal),
    compact: (request) => compact(call, request),
  };
};

interface Call {
  client: OpenAIClient;
  baseURL: string;
  id: string;
  info: ModelInfo;
  limits: StallLimits;
}

/**
 * POST /responses/compact: the history comes back as the user messages plus one encrypted
 * `compaction` item, which is kept whole and sent back unchanged in later requests. (The
 * user messages are not needed: the context engine's handoff carries them verbatim.)
 */
async function compact({ client, baseURL, info }: Call, request: ModelRequest): Promise<CompactResult> {
  try {
    const response = (await client.json("/responses/compact", buildCompactParams(info, request), request.signal, COMPACT_LIMITS)) as Response;
    const item = response.output.find((o) => (o as { type: string }).type === "compaction");
    if (!item) return { error: { kind: "malformed", message: "openai /responses/compact returned no compaction item", retryable: false } };
    const data = item as unknown as Record<string, unknown>;
    return { part: { type: "compaction", text: "", replay: { api: "openai", data } }, usage: usageFrom(response.usage) };
  } catch (error) {
    return { error: errorFromThrown(error, baseURL, request.signal) };
  }
}

/** One HTTP request and its stream; ends with exactly one `done` or `error`, never throws. */
async function* attempt({ client, baseURL, id, info, limits }: Call, request: ModelRequest): AsyncGenerator<ModelEvent> {
  const translator = new ResponsesStreamTranslator(id);
  // The request goes out with the first `next()`: a failure to connect comes back from it.
  const events = client.stream("/responses", buildResponsesParams(info, request), request.signal, limits) as AsyncGenerator<ResponseStreamEvent>;
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
    await events.return(undefined).catch(() => undefined);
  }
  // A server that closes the stream cleanly but too early ends it quietly; so would an abort
  // that raced the last read: only the signal tells the two apart.
  yield {
    type: "error",
    error: request.signal?.aborted
      ? errorFromThrown(undefined, baseURL, request.signal)
      : { kind: "connection", message: `openai stream from ${baseURL} ended before response.completed`, retryable: true },
  };
}

type Next = IteratorResult<ResponseStreamEvent> | { error: ModelError };

/** Only the iteration is guarded: what it throws is a network or protocol failure. */
async function nextEvent(events: AsyncIterator<ResponseStreamEvent>, baseURL: string, signal?: AbortSignal): Promise<Next> {
  try {
    return await events.next();
  } catch (error) {
    return { error: errorFromThrown(error, baseURL, signal) };
  }
}
