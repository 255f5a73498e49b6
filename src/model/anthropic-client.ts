import type { Readable } from "node:stream";
import type { MessageCreateParamsStreaming, RawMessageStreamEvent } from "@anthropic-ai/sdk/resources/messages";
import { idleLimited, openHttp, readText, responseBody } from "./http-request.js";
import { gateKey, requestGate } from "./request-gate.js";
import { parseRetryAfter } from "./retry.js";
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

/** The request never got a response: refused, reset, DNS, TLS, or no headers in time (a ProviderStallError cause). */
export class AnthropicConnectionError extends Error {
  override name = "AnthropicConnectionError";
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
      if (frame.event === "error") throw errorOf(undefined, frame.data, res.headers);
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
  ): Promise<{ headers: Record<string, string | undefined>; body: Readable }> {
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
    const gate = requestGate();
    const key = gate ? gateKey(url, { get: (name) => headers[name.toLowerCase()] }) : "";
    if (gate) await gate.acquire(key, signal);
    let res: Awaited<ReturnType<typeof openHttp>>;
    try {
      res = await openHttp(url, { method: "POST", headers, body: JSON.stringify(params), signal, headersMs: this.options.limits.headersMs });
    } catch (error) {
      if (error instanceof DOMException && error.name === "AbortError") throw error;
      throw new AnthropicConnectionError(`cannot reach ${url.origin}`, { cause: error instanceof TypeError && error.cause ? error.cause : error });
    }
    const responseHeaders = res.headers as Record<string, string | undefined>;
    const status = res.statusCode ?? 500;
    const body = await responseBody(res, signal);
    if (status >= 200 && status < 300) return { headers: responseHeaders, body };
    if (gate && status === 429) {
      const wait = parseRetryAfter(responseHeaders);
      if (wait !== undefined) gate.backOff(key, wait);
    }
    const text = await readText(body, this.options.limits.idleMs).catch(() => "");
    throw errorOf(status, text, responseHeaders);
  }
}

/** An error body ({type: "error", error: {type, message}}) or whatever else the server sent. */
function errorOf(status: number | undefined, text: string, headers: Record<string, string | undefined>): AnthropicApiError {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const error = (parsed as { error?: { type?: unknown; message?: unknown } } | undefined)?.error;
  const type = typeof error?.type === "string" ? error.type : "error";
  const message = typeof error?.message === "string" ? error.message : text.replace(/\s+/g, " ").trim().slice(0, 500) || `HTTP ${status ?? "stream"} with no body`;
  return new AnthropicApiError(status, type, message, headers);
}

const lowerCased = (headers: Record<string, string | undefined>): Record<string, string> =>
  Object.fromEntries(Object.entries(headers).flatMap(([k, v]) => (v === undefined ? [] : [[k.toLowerCase(), v]])));
