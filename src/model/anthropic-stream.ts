import type {
  MessageDeltaUsage,
  RawContentBlockDeltaEvent,
  RawContentBlockStartEvent,
  RawMessageStreamEvent,
  Usage as WireUsage,
} from "@anthropic-ai/sdk/resources/messages";
import type { AssistantMessage, AssistantPart, ModelEvent, StopReason, Usage } from "./types.js";

/**
 * Folds the raw Messages SSE events of one response into ModelEvents and, at message_stop,
 * the final AssistantMessage. Types only from the SDK: this file costs nothing to load.
 */

type Block =
  | { kind: "text"; text: string }
  | { kind: "thinking"; thinking: string; signature: string }
  | { kind: "redacted"; data: Record<string, unknown> }
  | { kind: "tool"; id: string; name: string; json: string; initial: unknown }
  /** A server-side compaction: the block as started, with its content and encrypted content as streamed. */
  | { kind: "compaction"; data: Record<string, unknown> }
  | { kind: "other" };

const STOP_REASONS: Record<string, StopReason> = {
  end_turn: "end",
  stop_sequence: "end",
  tool_use: "tool_use",
  max_tokens: "max_tokens",
  pause_turn: "pause",
  refusal: "refusal",
  model_context_window_exceeded: "context_exceeded",
  // Server-side compaction with pause_after_compaction: the turn must be continued, like pause_turn.
  compaction: "pause",
};

export function mapStopReason(reason: string | null | undefined): StopReason {
  return (reason && STOP_REASONS[reason]) || "end";
}

export class AnthropicStreamState {
  private readonly blocks = new Map<number, Block>();
  private responseId: string | undefined;
  private stopReason: string | null = null;
  private usage: Usage = { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, reasoning: 0 };
  /** True once message_stop arrived and `done` was emitted. */
  finished = false;

  constructor(private readonly modelId: string) {}

  /** Handles one raw event; returns the ModelEvents it produces (a `done` at message_stop). */
  handle(event: RawMessageStreamEvent): ModelEvent[] {
    switch (event.type) {
      case "message_start":
        this.responseId = event.message.id;
        this.takeUsage(event.message.usage);
        return [];
      case "content_block_start":
        return this.startBlock(event);
      case "content_block_delta":
        return this.applyDelta(event);
      case "message_delta":
        this.stopReason = event.delta.stop_reason ?? this.stopReason;
        this.takeUsage(event.usage);
        return [];
      case "message_stop":
        this.finished = true;
        return [{ type: "done", message: this.message() }];
      default:
        // content_block_stop needs no work: blocks are finalised when the message is built.
        return [];
    }
  }

  private startBlock(event: RawContentBlockStartEvent): ModelEvent[] {
    const b = event.content_block;
    switch (b.type) {
      case "text":
        this.blocks.set(event.index, { kind: "text", text: b.text ?? "" });
        return b.text ? [{ type: "text_delta", delta: b.text }] : [];
      case "thinking":
        this.blocks.set(event.index, { kind: "thinking", thinking: b.thinking ?? "", signature: b.signature ?? "" });
        return b.thinking ? [{ type: "thinking_delta", delta: b.thinking }] : [];
      case "redacted_thinking":
        this.blocks.set(event.index, { kind: "redacted", data: { ...b } });
        return [];
      case "tool_use":
        this.blocks.set(event.index, { kind: "tool", id: b.id, name: b.name, json: "", initial: b.input });
        return [{ type: "tool_call_start", id: b.id, name: b.name }];
      default:
        // Beta block types arrive untyped in the stable SDK's union.
        if ((b as { type: string }).type === "compaction") {
          this.blocks.set(event.index, { kind: "compaction", data: { ...(b as object) } });
          return [];
        }
        // Server tools and other block kinds are not ours to run; ignore them.
        this.blocks.set(event.index, { kind: "other" });
        return [];
    }
  }

  private applyDelta(event: RawContentBlockDeltaEvent): ModelEvent[] {
    const block = this.blocks.get(event.index);
    const d = event.delta;
    if (!block) return [];
    if (d.type === "text_delta" && block.kind === "text") {
      block.text += d.text;
      return d.text ? [{ type: "text_delta", delta: d.text }] : [];
    }
    if (d.type === "thinking_delta" && block.kind === "thinking") {
      block.thinking += d.thinking;
      return d.thinking ? [{ type: "thinking_delta", delta: d.thinking }] : [];
    }
    if (d.type === "signature_delta" && block.kind === "thinking") {
      block.signature += d.signature;
      return [];
    }
    if (d.type === "input_json_delta" && block.kind === "tool") {
      block.json += d.partial_json;
      return d.partial_json ? [{ type: "tool_call_delta", id: block.id, delta: d.partial_json }] : [];
    }
    const raw = d as { type: string; content?: string | null; encrypted_content?: string | null };
    if (raw.type === "compaction_delta" && block.kind === "compaction") {
      // One delta carries the whole summary; concatenate anyway, in case it is ever split.
      for (const key of ["content", "encrypted_content"] as const) {
        const piece = raw[key];
        if (typeof piece === "string") block.data[key] = `${typeof block.data[key] === "string" ? block.data[key] : ""}${piece}`;
        else if (piece === null && block.data[key] === undefined) block.data[key] = null;
      }
      return [];
    }
    return []; // citations_delta and future kinds
  }

  /** message_start carries the input side; message_delta carries cumulative counts: the newest value wins. */
  private takeUsage(u: Partial<WireUsage> | MessageDeltaUsage | null | undefined): void {
    if (!u) return;
    // With server-side compaction the request ran in iterations; billing is their sum.
    const iterations = (u as { iterations?: Partial<WireUsage>[] | null }).iterations;
    if (Array.isArray(iterations) && iterations.length > 0) {
      const sum = (key: "input_tokens" | "output_tokens" | "cache_read_input_tokens" | "cache_creation_input_tokens") =>
        iterations.reduce((n, it) => n + (typeof it[key] === "number" ? (it[key] as number) : 0), 0);
      this.usage = {
        input: sum("input_tokens"),
        cacheRead: sum("cache_read_input_tokens"),
        cacheWrite: sum("cache_creation_input_tokens"),
        output: sum("output_tokens"),
        reasoning: 0,
      };
      return;
    }
    const pick = (value: number | null | undefined, previous: number) => (typeof value === "number" ? value : previous);
    this.usage = {
      input: pick(u.input_tokens, this.usage.input),
      cacheRead: pick(u.cache_read_input_tokens, this.usage.cacheRead),
      cacheWrite: pick(u.cache_creation_input_tokens, this.usage.cacheWrite),
      output: pick(u.output_tokens, this.usage.output),
      reasoning: 0,
    };
  }

  private message(): AssistantMessage {
    const indexes = [...this.blocks.keys()].sort((a, b) => a - b);
    const content = indexes.map((i) => toPart(this.blocks.get(i)!)).filter((p): p is AssistantPart => p !== undefined);
    return {
      role: "assistant",
      content,
      model: this.modelId,
      api: "anthropic",
      stopReason: mapStopReason(this.stopReason),
      usage: this.usage,
      ...(this.responseId ? { responseId: this.responseId } : {}),
    };
  }
}

function toPart(block: Block): AssistantPart | undefined {
  switch (block.kind) {
    case "text":
      return block.text ? { type: "text", text: block.text } : undefined;
    case "thinking": {
      const data = { type: "thinking", thinking: block.thinking, signature: block.signature };
      return { type: "thinking", text: block.thinking, replay: { api: "anthropic", data } };
    }
    case "redacted":
      return { type: "thinking", text: "", replay: { api: "anthropic", data: block.data } };
    case "tool":
      return { type: "tool_call", id: block.id, name: block.name, ...parseArgs(block.json, block.initial) };
    case "compaction": {
      const content = block.data.content;
      return { type: "compaction", text: typeof content === "string" ? content : "", replay: { api: "anthropic", data: block.data } };
    }
    case "other":
      return undefined;
  }
}

/** Tool input arrives as JSON text in pieces; it is parsed once, at the end of the block. */
export function parseArgs(json: string, initial?: unknown): { args: unknown; invalidArgs?: string } {
  if (!json.trim()) return { args: isRecord(initial) ? initial : {} };
  try {
    const args: unknown = JSON.parse(json);
    if (isRecord(args)) return { args };
  } catch {
    // fall through: report the raw text so the model can be told what was wrong
  }
  return { args: {}, invalidArgs: json };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
