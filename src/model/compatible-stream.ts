import { randomBytes } from "node:crypto";
import type { ChatCompletionChunk } from "openai/resources/chat/completions";
import { type AssistantPart, emptyUsage, type ModelEvent, type StopReason, type ToolCallPart, type Usage } from "./types.js";

/**
 * Folds Chat Completions stream chunks into ModelEvents and, at the end, one assistant
 * message's parts. Pure (no I/O), so the quirks of each local server are tested directly.
 *
 * Servers differ in small ways the accumulator tolerates, without asking which server it is:
 * thinking arrives as `reasoning_content` (DeepSeek, vLLM, llama.cpp) or `reasoning` (Ollama,
 * vLLM ≥ 0.10); tool calls arrive piecewise by `index` (OpenAI, vLLM, llama.cpp) or whole in one
 * delta (Ollama), sometimes with arguments already parsed into an object, sometimes without an
 * id; usage comes in its own chunk with empty `choices` (OpenAI) or on the finish chunk (llama.cpp).
 */

/** A delta as local servers actually send it: the SDK type plus the fields they add or bend. */
interface LooseDelta {
  content?: string | null;
  reasoning_content?: string | null;
  reasoning?: string | null;
  tool_calls?: LooseToolCallDelta[] | null;
}

interface LooseToolCallDelta {
  index?: number;
  id?: string | null;
  function?: { name?: string | null; arguments?: string | Record<string, unknown> | null } | null;
}

interface ToolSlot {
  index: number | undefined;
  id: string;
  name: string;
  argsText: string;
  started: boolean;
}

/** Usage as Chat Completions servers report it; the detail objects are optional everywhere. */
export function usageFromChunk(usage: ChatCompletionChunk["usage"]): Usage | undefined {
  if (!usage) return undefined;
  const cached = usage.prompt_tokens_details?.cached_tokens ?? 0;
  return {
    ...emptyUsage(),
    input: Math.max(0, (usage.prompt_tokens ?? 0) - cached),
    output: usage.completion_tokens ?? 0,
    cacheRead: cached,
    reasoning: usage.completion_tokens_details?.reasoning_tokens ?? 0,
  };
}

export function stopReasonFrom(finish: string, hasToolCalls: boolean): StopReason {
  switch (finish) {
    case "tool_calls":
    case "function_call":
      return "tool_use";
    case "length":
      return "max_tokens";
    case "content_filter":
      return "refusal";
    default:
      // Some servers say "stop" after emitting tool calls; the calls are what matter.
      return hasToolCalls ? "tool_use" : "end";
  }
}

/** Tool call ids must be unique within a session (the loop keys durability on them). */
const generatedCallId = (n: number): string => `call_${n}_${randomBytes(4).toString("hex")}`;

export class ChunkAccumulator {
  private readonly parts: AssistantPart[] = [];
  private readonly slots: ToolSlot[] = [];
  finishReason: string | undefined;
  usage: Usage | undefined;
  responseId: string | undefined;

  /** Events for one chunk, in the order the model produced them. */
  push(chunk: ChatCompletionChunk): ModelEvent[] {
    if (chunk.id && !this.responseId) this.responseId = chunk.id;
    const usage = usageFromChunk(chunk.usage);
    if (usage) this.usage = usage;
    const choice = chunk.choices?.[0];
    if (!choice) return [];
    const events: ModelEvent[] = [];
    const delta = (choice.delta ?? {}) as LooseDelta;
    const thinking = delta.reasoning_content ?? delta.reasoning;
    if (thinking) events.push(this.appendProse("thinking", thinking));
    if (delta.content) events.push(this.appendProse("text", delta.content));
    for (const call of delta.tool_calls ?? []) events.push(...this.applyToolDelta(call));
    if (choice.finish_reason) this.finishReason = choice.finish_reason;
    return events;
  }

  /** The assistant content: prose in arrival order, then the tool calls. */
  content(): AssistantPart[] {
    return [...this.parts, ...this.slots.map(toolCallPart)];
  }

  stopReason(): StopReason {
    return stopReasonFrom(this.finishReason ?? "stop", this.slots.length > 0);
  }

  private appendProse(type: "text" | "thinking", delta: string): ModelEvent {
    const last = this.parts.at(-1);
    if (last?.type === type) last.text += delta;
    else this.parts.push(type === "text" ? { type: "text", text: delta } : { type: "thinking", text: delta });
    return type === "text" ? { type: "text_delta", delta } : { type: "thinking_delta", delta };
  }

  private applyToolDelta(call: LooseToolCallDelta): ModelEvent[] {
    const slot = this.slotFor(call);
    const events: ModelEvent[] = [];
    if (call.function?.name && !slot.name) slot.name = call.function.name;
    const args = call.function?.arguments;
    // Ollama (and some llama.cpp builds) send arguments already parsed.
    const piece = typeof args === "string" ? args : args ? JSON.stringify(args) : "";
    slot.argsText += piece;
    if (!slot.started && slot.name) {
      slot.started = true;
      events.push({ type: "tool_call_start", id: slot.id, name: slot.name });
      if (slot.argsText) events.push({ type: "tool_call_delta", id: slot.id, delta: slot.argsText });
    } else if (slot.started && piece) {
      events.push({ type: "tool_call_delta", id: slot.id, delta: piece });
    }
    return events;
  }

  /**
   * Which call a delta continues: the call with its id; else, when the server numbers calls,
   * the latest call at that index unless the delta brings a new id (some servers send every
   * call at index 0); else, without an index, the latest call unless the delta names a new one.
   */
  private slotFor(call: LooseToolCallDelta): ToolSlot {
    const byId = call.id ? this.slots.find((s) => s.id === call.id) : undefined;
    if (byId) return byId;
    const previous =
      call.index === undefined ? this.slots.at(-1) : this.slots.findLast((s) => s.index === call.index);
    const startsNew = Boolean(call.id) || (call.index === undefined && Boolean(call.function?.name));
    if (previous && !startsNew) return previous;
    const slot: ToolSlot = {
      index: call.index,
      id: call.id || generatedCallId(this.slots.length),
      name: "",
      argsText: "",
      started: false,
    };
    this.slots.push(slot);
    return slot;
  }
}

function toolCallPart(slot: ToolSlot): ToolCallPart {
  const base = { type: "tool_call" as const, id: slot.id, name: slot.name };
  if (!slot.argsText.trim()) return { ...base, args: {} };
  try {
    return { ...base, args: JSON.parse(slot.argsText) as unknown };
  } catch {
    return { ...base, args: {}, invalidArgs: slot.argsText };
  }
}
