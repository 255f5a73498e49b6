import type {
  ChatCompletionAssistantMessageParam,
  ChatCompletionChunk,
  ChatCompletionContentPart,
  ChatCompletionCreateParamsStreaming,
  ChatCompletionFunctionTool,
  ChatCompletionMessageFunctionToolCall,
  ChatCompletionMessageParam,
  ChatCompletionToolMessageParam,
  ChatCompletionUserMessageParam,
} from "openai/resources/chat/completions";
import { z } from "zod";
import { ChunkAccumulator } from "./compatible-stream.js";
import { OpenAIApiError, OpenAIClient } from "./openai-client.js";
import { ProviderConnectionError } from "./provider-post.js";
import { ConfigError, type ModelFactory, type ProviderOptions } from "./resolve.js";
import { abortedError, errorFromStatus, parseRetryAfter, withRetries } from "./retry.js";
import { LOCAL_STALL_LIMITS, type StallLimits, stallFailure, stallLimits } from "./stall.js";
import {
  type AssistantMessage,
  type Effort,
  emptyUsage,
  type Message,
  type ModelError,
  type ModelEvent,
  type ModelInfo,
  type ModelRequest,
  type ToolResultMessage,
  type ToolSpec,
  type UserPart,
} from "./types.js";

/**
 * The `compatible` adapter: OpenAI Chat Completions as spoken by Ollama, llama.cpp server,
 * vLLM, SGLang and LM Studio.
 *
 * The base URL is used exactly as given, and the SDK appends `/chat/completions` to it, so
 * it must include the API prefix: `http://127.0.0.1:11434/v1` (Ollama), `http://127.0.0.1:8080/v1`
 * (llama.cpp), `http://127.0.0.1:8000/v1` (vLLM). We do not guess a missing `/v1`: some
 * gateways mount the API elsewhere, and a guess would hide the mistake behind a 404.
 */

/**
 * Vendor quirks, all in one place (from `compat` in the config). Defaults suit a plain
 * OpenAI-style server; unknown keys are rejected so a typo does not silently do nothing.
 */
export const CompatOptions = z.strictObject({
  /**
   * How to switch thinking on or off for an effort: Ollama `think: bool`; vLLM / SGLang with
   * Qwen-style templates `chat_template_kwargs: {enable_thinking}`; llama.cpp / LM Studio
   * `reasoning_effort`; or "none" to send nothing.
   */
  thinking: z.enum(["none", "ollama-think", "chat-template-kwargs", "reasoning-effort"]).default("none"),
  /** Newer OpenAI-shaped servers want `max_completion_tokens`; most local ones `max_tokens`. */
  maxTokensField: z.enum(["max_tokens", "max_completion_tokens"]).default("max_tokens"),
  /** Ask for usage in the stream (`stream_options.include_usage`); old servers reject the field. */
  usageInStream: z.boolean().default(true),
  /** Send `tool_choice: "auto"` with tools (vLLM before auto became its default needs it). */
  toolChoiceAuto: z.boolean().default(false),
});
export type CompatOptions = z.infer<typeof CompatOptions>;

export function parseCompatOptions(raw: Record<string, unknown> | undefined): CompatOptions {
  const parsed = CompatOptions.safeParse(raw ?? {});
  if (parsed.success) return parsed.data;
  throw new ConfigError(`invalid "compat" options for the compatible adapter: ${z.prettifyError(parsed.error)}`);
}

export const createModel: ModelFactory = (id, info, options) => {
  const baseURL = options.baseURL;
  if (!baseURL) {
    throw new ConfigError(
      `no base URL for "${id}": write compatible:${info.name}@http://127.0.0.1:11434/v1, ` +
        `or set COMPATIBLE_BASE_URL, or "baseURL" in colleague.json`,
    );
  }
  const compat = parseCompatOptions(options.compat);
  const client = createClient(baseURL, options);
  const limits = stallLimits(options, LOCAL_STALL_LIMITS);
  return {
    id,
    info,
    stream(request: ModelRequest): AsyncIterable<ModelEvent> {
      const body = buildRequestBody(info, request, compat);
      const context: AttemptContext = { client, body, id, baseURL, limits, signal: request.signal };
      return withRetries(() => runAttempt(context), options.retry, request.signal);
    },
  };
};

function createClient(baseURL: string, options: ProviderOptions): OpenAIClient {
  // Local servers ignore the key, but some proxies in front of them want one; OPENAI_API_KEY must
  // never leak to a third-party server, so the placeholder is ours.
  return new OpenAIClient({ apiKey: options.apiKey ?? "not-needed", baseURL, ...(options.headers ? { headers: options.headers } : {}) });
}

// ---------------------------------------------------------------------------------------------
// Request

/** The body of one streaming request; extra vendor fields ride along (the SDK sends them as-is). */
export function buildRequestBody(info: ModelInfo, request: ModelRequest, compat: CompatOptions): ChatCompletionCreateParamsStreaming {
  const body: ChatCompletionCreateParamsStreaming = {
    model: info.name,
    messages: toChatMessages(request.system, request.messages),
    stream: true,
  };
  if (compat.usageInStream) body.stream_options = { include_usage: true };
  if (request.tools.length > 0) {
    body.tools = request.tools.map(toChatTool);
    if (compat.toolChoiceAuto) body.tool_choice = "auto";
  }
  // Only when asked: a default taken from the catalog can exceed a local server's context
  // and make vLLM reject the request.
  const maxTokens = request.maxOutputTokens === undefined ? {} : { [compat.maxTokensField]: request.maxOutputTokens };
  return { ...body, ...maxTokens, ...thinkingFields(compat, request.effort) };
}

/**
 * The vendor field that switches thinking for an effort. Low means off for the on/off switches;
 * `reasoning_effort` is graded, so it gets the level itself (`max` → `high`, the top level the
 * servers accept). No effort: send nothing and let the server's default stand.
 */
export function thinkingFields(compat: CompatOptions, effort: Effort | undefined): Record<string, unknown> {
  if (!effort) return {};
  const on = effort !== "low";
  switch (compat.thinking) {
    case "none":
      return {};
    case "ollama-think":
      return { think: on };
    case "chat-template-kwargs":
      return { chat_template_kwargs: { enable_thinking: on } };
    case "reasoning-effort":
      return { reasoning_effort: effort === "max" ? "high" : effort };
  }
}

export function toChatTool(tool: ToolSpec): ChatCompletionFunctionTool {
  return { type: "function", function: { name: tool.name, description: tool.description, parameters: tool.parameters } };
}

export function toChatMessages(system: string, messages: Message[]): ChatCompletionMessageParam[] {
  const out: ChatCompletionMessageParam[] = system ? [{ role: "system", content: system }] : [];
  for (const message of messages) {
    if (message.role === "user") out.push(toUserMessage(message.content));
    else if (message.role === "assistant") out.push(toAssistantMessage(message));
    else out.push(toToolMessage(message));
  }
  return out;
}

/** Plain string when there is no image: several local servers accept nothing else. */
function toUserMessage(parts: UserPart[]): ChatCompletionUserMessageParam {
  if (parts.every((p) => p.type === "text")) return { role: "user", content: joinText(parts) };
  const content: ChatCompletionContentPart[] = parts.map((p) =>
    p.type === "text"
      ? { type: "text", text: p.text }
      : { type: "image_url", image_url: { url: `data:${p.mediaType};base64,${p.data}` } },
  );
  return { role: "user", content };
}

/**
 * Thinking parts are dropped: this API has no field to send reasoning back. Arguments go back
 * as the JSON of the parsed args (`{}` for invalid ones): servers such as Ollama parse them
 * while rendering the template and would reject the whole request over the model's bad JSON.
 */
function toAssistantMessage(message: AssistantMessage): ChatCompletionAssistantMessageParam {
  const text = message.content.flatMap((p) => (p.type === "text" ? [p.text] : [])).join("");
  const calls: ChatCompletionMessageFunctionToolCall[] = message.content.flatMap((p) =>
    p.type === "tool_call"
      ? [{ id: p.id, type: "function" as const, function: { name: p.name, arguments: JSON.stringify(p.args ?? {}) } }]
      : [],
  );
  // An empty turn stays in the history as "" so turn counting (and scripted fakes) line up.
  if (calls.length === 0) return { role: "assistant", content: text };
  return { role: "assistant", content: text || null, tool_calls: calls };
}

/** Tool messages carry text only on this API; an image is named so the model knows it was there. */
function toToolMessage(message: ToolResultMessage): ChatCompletionToolMessageParam {
  const text = message.content
    .map((p) => (p.type === "text" ? p.text : `[${p.mediaType} image omitted: not supported in tool results here]`))
    .join("\n");
  return { role: "tool", tool_call_id: message.callId, content: text };
}

const joinText = (parts: UserPart[]): string => parts.flatMap((p) => (p.type === "text" ? [p.text] : [])).join("\n");

// ---------------------------------------------------------------------------------------------
// One attempt: request, stream, and errors as data

interface AttemptContext {
  client: OpenAIClient;
  limits: StallLimits;
  body: ChatCompletionCreateParamsStreaming;
  id: string;
  baseURL: string;
  signal: AbortSignal | undefined;
}

/** One HTTP request and its stream; ends with exactly one `done` or `error`, never throws. */
async function* runAttempt(ctx: AttemptContext): AsyncGenerator<ModelEvent> {
  const acc = new ChunkAccumulator();
  try {
    const chunks = ctx.client.stream("/chat/completions", ctx.body, ctx.signal, ctx.limits) as AsyncIterable<ChatCompletionChunk>;
    for await (const chunk of chunks) yield* acc.push(chunk);
  } catch (error) {
    yield { type: "error", error: classifyError(error, ctx) };
    return;
  }
  // An abort that raced the last read ends the stream quietly.
  if (ctx.signal?.aborted) {
    yield { type: "error", error: abortedError() };
    return;
  }
  if (!acc.finishReason) {
    yield { type: "error", error: connectionError(`stream from ${ctx.baseURL} ended before the model finished`) };
    return;
  }
  const message: AssistantMessage = {
    role: "assistant",
    content: acc.content(),
    model: ctx.id,
    api: "compatible",
    stopReason: acc.stopReason(),
    usage: acc.usage ?? emptyUsage(), // a server asked not to (usageInStream: false) sends none
    ...(acc.responseId ? { responseId: acc.responseId } : {}),
  };
  yield { type: "done", message };
}

const connectionError = (message: string): ModelError => ({ kind: "connection", message, retryable: true });

/**
 * How the client (openai-client.ts) and its transport fail:
 * - refused / DNS: ProviderConnectionError, its cause with `code`;
 * - HTTP error status: OpenAIApiError with `status`, the body's `error` (object or string), headers;
 * - `data: {"error": …}` inside the stream: OpenAIApiError with no status;
 * - connection cut mid-stream: an error with code ECONNRESET;
 * - unparsable frame: the SyntaxError of JSON.parse;
 * - a stall (stall.ts): our ProviderStallError somewhere down the cause chain;
 * - abort: a DOMException named AbortError.
 */
export function classifyError(error: unknown, ctx: Pick<AttemptContext, "baseURL" | "signal">): ModelError {
  const { baseURL } = ctx;
  if (ctx.signal?.aborted || (error instanceof DOMException && error.name === "AbortError")) return abortedError();
  const stalled = stallFailure(error, baseURL, "compatible");
  if (stalled) return stalled;
  if (error instanceof ProviderConnectionError) {
    const code = errorCode(error) ?? "no connection";
    return connectionError(`cannot reach ${baseURL} (${code}): is the server running?`);
  }
  if (error instanceof OpenAIApiError) {
    if (error.status === undefined) return { kind: "server", message: `${baseURL} stream error: ${error.detail}`, retryable: true };
    return errorFromStatus(error.status, `${baseURL} ${error.status}: ${error.detail}`, parseRetryAfter(error.headers));
  }
  if (error instanceof SyntaxError) {
    // One garbled chunk says nothing about the next attempt: retried like a dropped stream.
    return { kind: "malformed", message: `${baseURL} sent a chunk that is not JSON: ${error.message}`, retryable: true };
  }
  const code = errorCode(error);
  if (code) return connectionError(`stream from ${baseURL} was cut (${code}: ${describe(error)})`);
  return { kind: "malformed", message: `unexpected failure reading ${baseURL}: ${describe(error)}`, retryable: false };
}

/** The first system / undici error code along the `cause` chain (ECONNREFUSED, UND_ERR_SOCKET…). */
function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current && typeof current === "object"; depth++) {
    if ("code" in current && typeof current.code === "string") return current.code;
    current = "cause" in current ? current.cause : undefined;
  }
  return undefined;
}

function describe(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : "";
  return error instanceof Error ? error.message + cause : String(error);
}
