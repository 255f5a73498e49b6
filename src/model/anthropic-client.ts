import type { MessageCreateParamsStreaming, RawMessageStreamEvent } from "@anthropic-ai/sdk/resources/messages";
import { idleLimited, readText } from "./http-request.js";
import { errorBody, lowerCased, type ProviderResponse, postJson } from "./provider-post.js";
import { serverSentEvents } from "./sse.js";
import type { StallLimits } from "./stall.js";

/**
 * The Messages API over colleague's own HTTP transport (http-request.ts) and SSE reader (sse.ts).
 * What the SDK did for us was this much: the headers, the URL, the frames, the error body. Doing
 * it here spares every run the SDK's ~600 KB of JavaScript and the undici start-up its `Headers`
 * caused (~90 ms of `hello`; bench/README.md). The SDK stays as types for the request and events.
 */

export const ANTHROPIC_VERSION = "2023-06-01";
export const DEFAULT_ANTHROPIC_URL = "https://api.anthropic.com";
const USER_AGENT = `colleague (node ${process.versions.node})`;

/** The API answered with an error: an HTTP status with its body, or an `error` event mid-stream (no status). */
export class AnthropicApiError extends Error {
  override name = "AnthropicApiError";

  constructor(
    /** Undefined for an `error` event inside a 200 stream. */
    readonly status: number | undefined,
    /** The body's error type (`overloaded_error`…), or "error" when the body had none. */
    readonly type: string,
    readonly apiMessage: string,
    readonly headers: Record<string, string | undefined>,
  ) {
    super(`${status ?? "stream"} ${type}: ${apiMessage}`);
  }
}

export interface AnthropicClientOptions {
  apiKey: string;
  baseURL: string;
  /** Sent with every request (the user's `providers.anthropic.headers`); per-request headers win. */
  headers?: Record<string, string>;
  limits: StallLimits;
}

export class AnthropicClient {
  readonly baseURL: string;

  constructor(private readonly options: AnthropicClientOptions) {
    this.baseURL = options.baseURL;
  }

  /** POST /v1/messages with `stream: true`: the raw events in order (pings and nameless frames left out). */
  async *stream(params: MessageCreateParamsStreaming, signal?: AbortSignal, headers?: Record<string, string>): AsyncGenerator<RawMessageStreamEvent> {
    const res = await this.post("/v1/messages", params, signal, headers, "text/event-stream");
    for await (const frame of serverSentEvents(idleLimited(res.body, this.options.limits.idleMs))) {
      if (frame.event === null || frame.event === "ping") continue;
      if (frame.event === "error") throw errorOf(undefined, parsedOrUndefined(frame.data), frame.data, res.headers);
      if (!frame.data) continue;
      // A frame that is not JSON throws SyntaxError: the adapter retries it like a dropped stream.
      yield JSON.parse(frame.data) as RawMessageStreamEvent;
    }
  }

  /** POST /v1/messages/count_tokens. */
  async countTokens(params: object, signal?: AbortSignal, headers?: Record<string, string>): Promise<{ input_tokens: number }> {
    const res = await this.post("/v1/messages/count_tokens", params, signal, headers, "application/json");
    return JSON.parse(await readText(res.body, this.options.limits.idleMs)) as { input_tokens: number };
  }

  private async post(
    path: string,
    params: object,
    signal: AbortSignal | undefined,
    extra: Record<string, string> | undefined,
    accept: string,
  ): Promise<ProviderResponse> {
    const url = new URL(`${this.baseURL.replace(/\/+$/, "")}${path}`);
    const headers = lowerCased({
      accept,
      "content-type": "application/json",
      "anthropic-version": ANTHROPIC_VERSION,
      "user-agent": USER_AGENT,
      ...this.options.headers,
      ...extra,
      "x-api-key": this.options.apiKey,
    });
    const response = await postJson(url, headers, params, signal, this.options.limits);
    if (response.status >= 200 && response.status < 300) return response;
    const { json, text } = await errorBody(response, this.options.limits.idleMs);
    throw errorOf(response.status, json, text, response.headers);
  }
}

/** An error body ({type: "error", error: {type, message}}) or whatever else the server sent. */
function errorOf(status: number | undefined, json: unknown, text: string, headers: Record<string, string | undefined>): AnthropicApiError {
  const error = (json as { error?: { type?: unknown; message?: unknown } } | undefined)?.error;
  const type = typeof error?.type === "string" ? error.type : "error";
  const message = typeof error?.message === "string" ? error.message : text || `HTTP ${status ?? "stream"} with no body`;
  return new AnthropicApiError(status, type, message, headers);
}

const parsedOrUndefined = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};
