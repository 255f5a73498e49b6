import { OpenAIApiError } from "./openai-client.js";
import { computerArgsFromOpenAI } from "./openai-computer.js";
import type {
  Response,
  ResponseOutputItem,
  ResponseStreamEvent,
  ResponseUsage,
} from "openai/resources/responses/responses";
import { ProviderConnectionError } from "./provider-post.js";
import { abortedError, errorFromStatus, parseRetryAfter } from "./retry.js";
import { stallFailure } from "./stall.js";
import type { AssistantPart, ModelError, ModelEvent, StopReason, ToolCallPart, Usage } from "./types.js";

/**
 * Turns the events of one Responses API stream into ModelEvents. Deltas are forwarded as they
 * arrive, for display; the final message is built from the finished items
 * (`response.output_item.done`), which are authoritative, and keeps their output order.
 */
export class ResponsesStreamTranslator {
  /** Finished parts by output_index, so parts keep output order whatever order items finish in. */
  private readonly finished = new Map<number, AssistantPart[]>();
  /** Argument deltas name the item id ("fc_…"); our events name the call id. */
  private readonly callIdByItemId = new Map<string, string>();
  private sawRefusal = false;

  constructor(private readonly modelId: string) {}

  /** The ModelEvents for one provider event; a `done` or `error` among them ends the stream. */
  translate(event: ResponseStreamEvent): ModelEvent[] {
    switch (event.type) {
      case "response.output_text.delta":
      case "response.refusal.delta":
        return [{ type: "text_delta", delta: event.delta }];
      case "response.reasoning_summary_text.delta":
        return [{ type: "thinking_delta", delta: event.delta }];
      case "response.reasoning_summary_part.added":
        // The final thinking text joins summary parts with a blank line; so do the deltas.
        return event.summary_index > 0 ? [{ type: "thinking_delta", delta: "\n\n" }] : [];
      case "response.output_item.added":
        return this.itemAdded(event.item);
      case "response.function_call_arguments.delta": {
        const id = this.callIdByItemId.get(event.item_id) ?? event.item_id;
        return [{ type: "tool_call_delta", id, delta: event.delta }];
      }
      case "response.output_item.done":
        this.finished.set(event.output_index, this.partsFrom(event.item));
        return [];
      case "response.completed":
        return [this.done(event.response, this.completedStopReason())];
      case "response.incomplete":
        return [this.done(event.response, incompleteStopReason(event.response))];
      case "response.failed":
        return [{ type: "error", error: failedError(event.response) }];
      case "error":
        return [{ type: "error", error: errorFromCode(event.code, `openai error event ${event.code ?? ""}: ${event.message}`) }];
      default:
        return [];
    }
  }

  private itemAdded(item: ResponseOutputItem): ModelEvent[] {
    if (item.type === "computer_call") return [{ type: "tool_call_start", id: item.call_id, name: "computer" }];
    if (item.type !== "function_call") return [];
    if (item.id) this.callIdByItemId.set(item.id, item.call_id);
    return [{ type: "tool_call_start", id: item.call_id, name: item.name }];
  }

  private partsFrom(item: ResponseOutputItem): AssistantPart[] {
    switch (item.type) {
      case "reasoning":
        // Kept whole: the item (id, summary, encrypted_content) goes back unchanged next turn.
        return [
          {
            type: "thinking",
            text: item.summary.map((s) => s.text).join("\n\n"),
            replay: { api: "openai", data: item as unknown as Record<string, unknown> },
          },
        ];
      case "message":
        return item.content.map((c) => {
          if (c.type === "output_text") return { type: "text", text: c.text };
          this.sawRefusal = true;
          return { type: "text", text: c.refusal };
        });
      case "function_call":
        return [toolCallPart(item.call_id, item.name, item.arguments)];
      case "computer_call":
        // OpenAI's computer tool: its action becomes the `computer` tool's arguments; the item goes back unchanged.
        return [
          {
            type: "tool_call",
            id: item.call_id,
            name: "computer",
            args: computerArgsFromOpenAI(item.action as unknown as Record<string, unknown>),
            replay: { api: "openai", data: item as unknown as Record<string, unknown> },
          },
        ];
      case "compaction":
        // Server-side compaction: kept whole, sent back unchanged.
        return [{ type: "compaction", text: "", replay: { api: "openai", data: item as unknown as Record<string, unknown> } }];
      default:
        // Hosted tools (web search, code interpreter…) are never requested by colleague.
        return [];
    }
  }

  private parts(response: Response): AssistantPart[] {
    // Fall back to the response's own output for any item whose `.done` event we did not see.
    response.output?.forEach((item, index) => {
      if (!this.finished.has(index)) this.finished.set(index, this.partsFrom(item));
    });
    return [...this.finished.entries()].sort(([a], [b]) => a - b).flatMap(([, parts]) => parts);
  }

  private completedStopReason(): StopReason | undefined {
    return this.sawRefusal ? "refusal" : undefined;
  }

  private done(response: Response, stopReason: StopReason | undefined): ModelEvent {
    const content = this.parts(response);
    const hasCalls = content.some((p) => p.type === "tool_call");
    return {
      type: "done",
      message: {
        role: "assistant",
        content,
        model: this.modelId,
        api: "openai",
        stopReason: stopReason ?? (hasCalls ? "tool_use" : "end"),
        usage: usageFrom(response.usage),
        responseId: response.id,
      },
    };
  }
}

function toolCallPart(id: string, name: string, argsText: string): ToolCallPart {
  if (!argsText.trim()) return { type: "tool_call", id, name, args: {} };
  try {
    return { type: "tool_call", id, name, args: JSON.parse(argsText) };
  } catch {
    return { type: "tool_call", id, name, args: {}, invalidArgs: argsText };
  }
}

function incompleteStopReason(response: Response): StopReason {
  return response.incomplete_details?.reason === "content_filter" ? "refusal" : "max_tokens";
}

/** OpenAI counts cached tokens inside input_tokens; our `input` is the uncached rest. */
export function usageFrom(usage: ResponseUsage | null | undefined): Usage {
  const cached = usage?.input_tokens_details?.cached_tokens ?? 0;
  return {
    input: (usage?.input_tokens ?? 0) - cached,
    output: usage?.output_tokens ?? 0,
    cacheRead: cached,
    cacheWrite: 0,
    reasoning: usage?.output_tokens_details?.reasoning_tokens ?? 0,
  };
}

function failedError(response: Response): ModelError {
  const code = response.error?.code ?? null;
  const message = response.error?.message ?? "no error details";
  return errorFromCode(code, `openai response.failed ${code ?? ""}: ${message}`);
}

const rateLimitCodes = new Set(["rate_limit_exceeded", "rate_limit_error", "too_many_requests"]);
const serverCodes = new Set(["server_error", "internal_error", "server_overloaded", "overloaded"]);

/** In-stream failures carry an error code, not an HTTP status: server and rate-limit codes are worth a retry. */
export function errorFromCode(code: string | null | undefined, message: string): ModelError {
  if (code && rateLimitCodes.has(code)) return { kind: "rate_limit", message, retryable: true };
  if (code && serverCodes.has(code)) return { kind: "server", message, retryable: true };
  return { kind: "bad_request", message, retryable: false };
}

/**
 * Classifies what the client (openai-client.ts) and its transport threw: an unreachable host is a
 * ProviderConnectionError whose cause carries the system code; no headers or no data in time is a
 * ProviderStallError down the chain; a connection cut mid-stream is an error with code
 * ECONNRESET; an event that is not JSON is a bare SyntaxError; an abort is a DOMException named
 * AbortError (callers check the signal too).
 */
export function errorFromThrown(error: unknown, baseURL: string, signal?: AbortSignal): ModelError {
  if (signal?.aborted || (error instanceof DOMException && error.name === "AbortError")) return abortedError();
  const stalled = stallFailure(error, baseURL, "openai");
  if (stalled) return stalled;
  if (error instanceof ProviderConnectionError) {
    return { kind: "connection", message: `openai: cannot connect to ${baseURL}: ${rootCause(error.cause)}`, retryable: true };
  }
  if (error instanceof OpenAIApiError) return errorFromApiError(error);
  if (error instanceof SyntaxError) {
    // One garbled frame says nothing about the next attempt: retried like a dropped stream.
    return { kind: "malformed", message: `openai sent an event that is not valid JSON: ${error.message}`, retryable: true };
  }
  return { kind: "connection", message: `openai stream from ${baseURL} was cut: ${rootCause(error)}`, retryable: true };
}

function errorFromApiError(error: OpenAIApiError): ModelError {
  const code = error.code ?? error.type ?? "error";
  // No status: an event with an `error` field. The API nests its details (`{type: "error", error:
  // {type, code, message}}`, unlike the documented flat shape, which the translator reads).
  if (error.status === undefined) return errorFromCode(error.code, `openai stream error ${code}: ${error.detail}`);
  return errorFromStatus(error.status, `openai ${error.status} ${code}: ${error.detail}`, parseRetryAfter(error.headers));
}

/** The innermost message ("connect ECONNREFUSED 127.0.0.1:9"), which is the useful one. */
function rootCause(error: unknown): string {
  const messages: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current instanceof Error && depth < 5; depth++) {
    messages.push(current.message);
    current = current.cause;
  }
  return messages.slice(-2).join(": ") || String(error);
}
