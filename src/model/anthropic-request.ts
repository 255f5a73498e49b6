import type {
  ContentBlockParam,
  ImageBlockParam,
  MessageCreateParamsStreaming,
  MessageParam,
  OutputConfig,
  TextBlockParam,
  ThinkingConfigParam,
  Tool,
  ToolResultBlockParam,
} from "@anthropic-ai/sdk/resources/messages";
import type {
  AssistantMessage,
  Effort,
  ModelInfo,
  ModelRequest,
  ToolResultMessage,
  UserMessage,
  UserPart,
} from "./types.js";

/**
 * ModelRequest → Messages API params. Pure: no SDK runtime, no I/O, so it is cheap to
 * import and easy to test. The SDK is only imported (as types) for the param shapes.
 */

export const LONG_CONTEXT_BETA = "context-1m-2025-08-07";

const EPHEMERAL = { type: "ephemeral" } as const;
/** Default answer room when the request names none; the API allows more, but long turns stall UIs. */
const DEFAULT_MAX_TOKENS = 32_000;
/** Anthropic's smallest accepted thinking budget. */
const MIN_BUDGET = 1024;
const BUDGETS: Record<Effort, number | undefined> = { low: undefined, medium: 4096, high: 16_384, max: 32_000 };

type ImageMediaType = "image/jpeg" | "image/png" | "image/gif" | "image/webp";
type Role = "user" | "assistant";
interface Turn {
  role: Role;
  content: ContentBlockParam[];
}

export function buildParams(request: ModelRequest, info: ModelInfo): MessageCreateParamsStreaming {
  const requested = request.maxOutputTokens ?? Math.min(info.maxOutput, DEFAULT_MAX_TOKENS);
  const reasoning = thinkingParams(info, request.effort, requested);
  const params: MessageCreateParamsStreaming = {
    model: info.name,
    max_tokens: reasoning.maxTokens,
    messages: toMessages(request.messages),
    stream: true,
  };
  if (request.system) params.system = [{ type: "text", text: request.system, cache_control: EPHEMERAL }];
  if (request.tools.length > 0) params.tools = toTools(request.tools);
  if (reasoning.thinking) params.thinking = reasoning.thinking;
  if (reasoning.outputConfig) params.output_config = reasoning.outputConfig;
  return params;
}

/** Request-level headers: the 1M-context beta joins any betas the user configured. */
export function requestHeaders(info: ModelInfo, longContext: boolean | undefined, configured?: Record<string, string>): Record<string, string> {
  if (!longContext || !info.longContext) return {};
  const existing = Object.entries(configured ?? {}).find(([k]) => k.toLowerCase() === "anthropic-beta")?.[1];
  const betas = existing ? `${existing},${LONG_CONTEXT_BETA}` : LONG_CONTEXT_BETA;
  return { "anthropic-beta": betas };
}

function toTools(tools: ModelRequest["tools"]): Tool[] {
  return tools.map((t, i) => ({
    name: t.name,
    description: t.description,
    input_schema: t.parameters as Tool["input_schema"],
    // One breakpoint after the last tool caches the whole tool list (the prefix is tools → system → messages).
    ...(i === tools.length - 1 ? { cache_control: EPHEMERAL } : {}),
  }));
}

// ── thinking and effort ────────────────────────────────────────────────────────────────

interface Reasoning {
  thinking?: ThinkingConfigParam;
  outputConfig?: OutputConfig;
  maxTokens: number;
}

export function thinkingParams(info: ModelInfo, effort: Effort | undefined, maxTokens: number): Reasoning {
  if (info.capabilities.reasoning === "adaptive") {
    const level = effort === "max" && !info.capabilities.efforts?.includes("max") ? "high" : effort;
    // "high" is the API default: omitting it keeps the request byte-identical to an unset effort.
    const outputConfig = level && level !== "high" ? { effort: level } : undefined;
    return { thinking: { type: "adaptive" }, maxTokens, ...(outputConfig ? { outputConfig } : {}) };
  }
  if (info.capabilities.reasoning !== "budget" || !effort) return { maxTokens };
  const wanted = BUDGETS[effort];
  if (!wanted) return { maxTokens };
  // budget_tokens must stay below max_tokens: give the answer the room that was asked for on top.
  const max = maxTokens > wanted ? maxTokens : Math.min(info.maxOutput, wanted + maxTokens);
  const budget = Math.min(wanted, max - MIN_BUDGET);
  if (budget < MIN_BUDGET) return { maxTokens };
  return { thinking: { type: "enabled", budget_tokens: budget }, maxTokens: max };
}

// ── messages ───────────────────────────────────────────────────────────────────────────

/** Maps messages, merges consecutive same-role turns (the API needs alternation) and marks the cache breakpoint. */
export function toMessages(messages: ModelRequest["messages"]): MessageParam[] {
  const turns: Turn[] = [];
  for (const message of messages) {
    const turn = toTurn(message);
    if (turn.content.length === 0) continue; // the API rejects empty turns
    const last = turns.at(-1);
    if (last && last.role === turn.role) last.content.push(...turn.content);
    else turns.push(turn);
  }
  markNewestBlock(turns);
  return turns;
}

function toTurn(message: ModelRequest["messages"][number]): Turn {
  switch (message.role) {
    case "user":
      return { role: "user", content: userBlocks(message) };
    case "assistant":
      return { role: "assistant", content: assistantBlocks(message) };
    case "tool":
      return { role: "user", content: [toolResultBlock(message)] };
  }
}

function userBlocks(message: UserMessage): ContentBlockParam[] {
  return partsToBlocks(message.content);
}

function partsToBlocks(parts: UserPart[]): Array<TextBlockParam | ImageBlockParam> {
  const blocks: Array<TextBlockParam | ImageBlockParam> = [];
  for (const part of parts) {
    if (part.type === "text") {
      if (part.text) blocks.push({ type: "text", text: part.text });
    } else {
      const source = { type: "base64", media_type: part.mediaType as ImageMediaType, data: part.data } as const;
      blocks.push({ type: "image", source });
    }
  }
  return blocks;
}

function toolResultBlock(message: ToolResultMessage): ToolResultBlockParam {
  const content = partsToBlocks(message.content);
  return {
    type: "tool_result",
    tool_use_id: message.callId,
    ...(content.length > 0 ? { content } : {}),
    ...(message.isError ? { is_error: true } : {}),
  };
}

function assistantBlocks(message: AssistantMessage): ContentBlockParam[] {
  const blocks: ContentBlockParam[] = [];
  for (const part of message.content) {
    if (part.type === "text") {
      if (part.text) blocks.push({ type: "text", text: part.text });
    } else if (part.type === "thinking") {
      // Signed thinking goes back byte-for-byte; another API's reasoning means nothing here.
      if (part.replay?.api === "anthropic") blocks.push(part.replay.data as unknown as ContentBlockParam);
    } else if (part.type === "compaction") {
      // A compaction block goes back unchanged (the server ignores what precedes it); another
      // API's compaction is only readable text here.
      if (part.replay?.api === "anthropic") blocks.push(part.replay.data as unknown as ContentBlockParam);
      else if (part.text) blocks.push({ type: "text", text: part.text });
    } else {
      const input = isRecord(part.args) ? part.args : {};
      blocks.push({ type: "tool_use", id: part.id, name: part.name, input });
    }
  }
  return blocks;
}

/**
 * Puts the third breakpoint on the newest block that may carry one, so the whole conversation
 * so far is cached for the next step. Thinking blocks may not carry cache_control, and replayed
 * blocks must not be altered, so they are skipped.
 */
function markNewestBlock(turns: Turn[]): void {
  const content = turns.at(-1)?.content ?? [];
  for (let i = content.length - 1; i >= 0; i--) {
    const block = content[i]!;
    if (block.type === "thinking" || block.type === "redacted_thinking") continue;
    content[i] = { ...block, cache_control: EPHEMERAL } as ContentBlockParam;
    return;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
