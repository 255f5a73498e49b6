import type { Message, ModelInfo, ToolSpec, WireApi } from "../model/types.js";
import { loadVendor } from "../vendor/load.js";

/**
 * Token accounting. Exact counts come from the provider's usage after each request; between
 * requests (and for messages not yet sent) we estimate: OpenAI text with the o200k tokenizer
 * once it is loaded, everything else at about four characters a token. Counts are cached per
 * message object, so a step costs only the messages that are new since the last one.
 */

/** What an image costs, roughly, on every API (a ~1,000×1,000 picture). */
const IMAGE_TOKENS = 1_600;
/** Per-message framing overhead (role markers, block headers). */
const MESSAGE_OVERHEAD = 4;

export type TextCounter = (text: string) => number;

export const estimateText: TextCounter = (text) => Math.ceil(text.length / 4);

let o200k: TextCounter | undefined;

/**
 * Loads the o200k tokenizer (OpenAI's GPT-4o / GPT-5 encoding) once; later counters for the
 * OpenAI API use it. Texts above 200 KB are estimated instead: tokenizing them costs more
 * than the precision is worth, and they are cleared soon anyway.
 */
export async function loadO200k(): Promise<TextCounter> {
  if (o200k) return o200k;
  const { Tiktoken, o200kRanks: ranks } = await loadVendor.tiktoken();
  const encoder = new Tiktoken(ranks);
  o200k = (text) => (text.length > 200_000 ? estimateText(text) : encoder.encode(text, [], []).length);
  return o200k;
}

/** The best text counter available now for `api`. */
export function textCounterFor(api: WireApi): TextCounter {
  return api === "openai" && o200k ? o200k : estimateText;
}

/** Counts message tokens, remembering each message's count (messages are never mutated). */
export class MessageTokens {
  private readonly cache = new WeakMap<Message, number>();

  constructor(private readonly countText: TextCounter = estimateText) {}

  of(message: Message): number {
    let n = this.cache.get(message);
    if (n === undefined) {
      n = MESSAGE_OVERHEAD + partsTokens(message, this.countText);
      this.cache.set(message, n);
    }
    return n;
  }

  sum(messages: readonly Message[], from = 0, to = messages.length): number {
    let total = 0;
    for (let i = from; i < to; i++) total += this.of(messages[i]!);
    return total;
  }
}

function partsTokens(message: Message, count: TextCounter): number {
  let n = 0;
  for (const part of message.content) {
    switch (part.type) {
      case "text":
        n += count(part.text);
        break;
      case "image":
        n += IMAGE_TOKENS;
        break;
      case "thinking":
        // Replayed reasoning is sent (and counted) as its provider's block.
        n += part.replay ? estimateText(JSON.stringify(part.replay.data)) : count(part.text);
        break;
      case "compaction":
        n += part.replay ? estimateText(JSON.stringify(part.replay.data)) : count(part.text);
        break;
      case "tool_call":
        n += count(part.name) + count(part.invalidArgs ?? JSON.stringify(part.args ?? {}));
        break;
    }
  }
  return n;
}

/** Tokens of the fixed prefix: system prompt and tool schemas. */
export function prefixTokens(system: string, tools: readonly ToolSpec[], count: TextCounter = estimateText): number {
  return count(system) + count(JSON.stringify(tools));
}

/** The window a session may fill: the model's (already the 1M one when long context is on). */
export const windowOf = (info: ModelInfo): number => info.contextWindow;

/** Prompt tokens a provider reported for one request (cached and uncached). */
export const promptTokens = (u: { input: number; cacheRead: number; cacheWrite: number }): number =>
  u.input + u.cacheRead + u.cacheWrite;
