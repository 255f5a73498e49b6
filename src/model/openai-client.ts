import { idleLimited, readText } from "./http-request.js";
import { errorBody, lowerCased, postJson } from "./provider-post.js";
import { serverSentEvents } from "./sse.js";
import type { StallLimits } from "./stall.js";

/**
 * The OpenAI Responses API over colleague's own HTTP transport and SSE reader, as
 * anthropic-client.ts does for Anthropic: no SDK (~180 KB) and no undici at run time. It keeps
 * the SDK's reading of a stream: `[DONE]` ends it, an event that is not JSON throws SyntaxError,
 * and any event with an `error` field is an error without a status.
 */

/** The API answered with an error: an HTTP status with its body's `error`, or an event with an `error` field (no status). */
export class OpenAIApiError extends Error {
  override name = "OpenAIApiError";
  readonly code: string | undefined;
  readonly type: string | undefined;
  /** The body's `error.message`, or the body itself when it had none. */
  readonly detail: string;

  constructor(
    readonly status: number | undefined,
    body: unknown,
    fallback: string,
    readonly headers: Record<string, string | undefined>,
  ) {
    // `{"error": {"message", "code", "type"}}` as OpenAI sends it, or `{"error": "…"}` as Ollama does.
    const error = (typeof body === "object" && body !== null ? body : {}) as { code?: unknown; type?: unknown; message?: unknown };
    const detail = typeof body === "string" ? body : typeof error.message === "string" ? error.message : fallback;
    super(`${status ?? "stream"} ${detail}`);
    this.code = typeof error.code === "string" ? error.code : undefined;
    this.type = typeof error.type === "string" ? error.type : undefined;
    this.detail = detail;
  }
}

export interface OpenAIClientOptions {
  apiKey: string;
  baseURL: string;
  headers?: Record<string, string>;
}

const USER_AGENT = `colleague (node ${process.versions.node})`;

export class OpenAIClient {
  constructor(private readonly options: OpenAIClientOptions) {}

  /** POST `path` with a streaming body: each event's JSON in order. */
  async *stream(path: string, params: object, signal: AbortSignal | undefined, limits: StallLimits): AsyncGenerator<unknown> {
    const response = await this.post(path, params, signal, "text/event-stream", limits);
    for await (const frame of serverSentEvents(idleLimited(response.body, limits.idleMs))) {
      if (frame.data.startsWith("[DONE]")) return;
      const data = JSON.parse(frame.data) as { error?: unknown } | null;
      if (data?.error) throw new OpenAIApiError(undefined, data.error, frame.data, response.headers);
      yield data;
    }
  }

  /** POST `path` and the JSON answer. `limits` undefined: no headers or idle limit (a call that runs a model before it answers). */
  async json(path: string, params: object, signal: AbortSignal | undefined, limits?: StallLimits): Promise<unknown> {
    const response = await this.post(path, params, signal, "application/json", limits);
    return JSON.parse(await readText(response.body, limits?.idleMs));
  }

  private async post(path: string, params: object, signal: AbortSignal | undefined, accept: string, limits: StallLimits | undefined) {
    const url = new URL(`${this.options.baseURL.replace(/\/+$/, "")}${path}`);
    const headers = lowerCased({
      accept,
      "content-type": "application/json",
      "user-agent": USER_AGENT,
      ...this.options.headers,
      authorization: `Bearer ${this.options.apiKey}`,
    });
    const response = await postJson(url, headers, params, signal, limits);
    if (response.status >= 200 && response.status < 300) return response;
    const { json, text } = await errorBody(response, limits?.idleMs);
    throw new OpenAIApiError(response.status, (json as { error?: unknown } | undefined)?.error, text || `HTTP ${response.status} with no body`, response.headers);
  }
}
