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
export const COMPACTION_BETA = "compact-2026-01-12";
export const CONTEXT_EDITING_BETA = "context-management-2025-06-27";
/** The beta each version of Anthropic's computer tool needs. */
export const COMPUTER_USE_BETAS: Record<string, string> = {
  computer_20251124: "computer-use-2025-11-24",
  computer_20250124: "computer-use-2025-01-24",
};

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
  if (request.tools.length > 0) params.tools = toTools(request.tools, info);
  if (reasoning.thinking) params.thinking = reasoning.thinking;
  if (reasoning.outputConfig) params.output_config = reasoning.outputConfig;
  const contextManagement = contextEdits(request.context);
  // Beta field (context editing, compaction): not in the stable SDK types, sent as is.
  if (contextManagement) Object.assign(params, { context_management: contextManagement });
  return params;
}

/**
 * Server-side context management: clear old tool results (`clear_tool_uses_20250919`) and
 * compact (`compact_20260112`), as the context engine asks. The values depend only on the
 * session's settings, so they are identical on every request (the cache key stays stable).
 */
export function contextEdits(context: ModelRequest["context"]): { edits: Record<string, unknown>[] } | undefined {
  if (!context) return undefined;
  const edits: Record<string, unknown>[] = [];
  if (context.clearToolUses) {
    edits.push({
      type: "clear_tool_uses_20250919",
      trigger: { type: "input_tokens", value: context.clearToolUses.triggerTokens },
      keep: { type: "tool_uses", value: context.clearToolUses.keep },
    });
  }
  if (context.compactAtTokens) {
    edits.push({
      type: "compact_20260112",
      trigger: { type: "input_tokens", value: context.compactAtTokens },
      ...(context.compactInstructions ? { instructions: context.compactInstructions } : {}),
    });
  }
  return edits.length ? { edits } : undefined;
}

/**
 * Request-level headers: the 1M-context beta (when configured and the model has it) and the
 * context-management betas (when the request uses them) join any betas the user configured.
 */
export function requestHeaders(
  info: ModelInfo,
  longContext: boolean | undefined,
  configured?: Record<string, string>,
  context?: ModelRequest["context"],
  tools?: ModelRequest["tools"],
): Record<string, string> {
  const betas: string[] = [];
  if (longContext && info.longContext) betas.push(LONG_CONTEXT_BETA);
  const computer = nativeComputer(info);
  if (computer && tools?.some((t) => t.native?.kind === "computer")) betas.push(COMPUTER_USE_BETAS[computer]!);
  if (context?.clearToolUses) betas.push(CONTEXT_EDITING_BETA);
  if (context?.compactAtTokens) betas.push(COMPACTION_BETA);
  if (betas.length === 0) return {};
  const existing = Object.entries(configured ?? {}).find(([k]) => k.toLowerCase() === "anthropic-beta")?.[1];
  return { "anthropic-beta": [...(existing ? [existing] : []), ...betas].join(",") };
}

/** The Anthropic computer tool version the model takes, if any. */
function nativeComputer(info: ModelInfo): string | undefined {
  const form = info.capabilities.computerUse;
  return form && COMPUTER_USE_BETAS[form] ? form : undefined;
}

function toTools(tools: ModelRequest["tools"], info: ModelInfo): Tool[] {
  const computer = nativeComputer(info);
  return tools.map((t, i) => {
    // One breakpoint after the last tool caches the whole tool list (the prefix is tools → system → messages).
    const cache = i === tools.length - 1 ? { cache_control: EPHEMERAL } : {};
    if (computer && t.native?.kind === "computer") {
      // Anthropic's own computer tool: the model knows its actions, which are the function tool's arguments.
      const native = {
        type: computer,
        name: t.name,
        display_width_px: t.native.display.width,
        display_height_px: t.native.display.height,
        ...(computer === "computer_20251124" ? { enable_zoom: true } : {}),
        ...cache,
      };
      return native as unknown as Tool;
    }
    return { name: t.name, description: t.description, input_schema: t.parameters as Tool["input_schema"], ...cache };
  });
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
 * Cache breakpoints in the conversation (tools and system hold the other two of the four):
 * one on the newest block, so the whole conversation so far is written to the cache, and one
 * where the previous request ended (the user turn before the newest assistant turn), so this
 * request reads exactly the prefix the previous one wrote. Thinking blocks may not carry
 * cache_control, and replayed blocks (compaction) must not be altered, so they are skipped.
 */
function markNewestBlock(turns: Turn[]): void {
  markLastBlock(turns.at(-1));
  if (turns.at(-1)?.role === "user" && turns.at(-2)?.role === "assistant") markLastBlock(turns.at(-3));
}

function markLastBlock(turn: Turn | undefined): void {
  const content = turn?.content ?? [];
  for (let i = content.length - 1; i >= 0; i--) {
    const block = content[i]!;
    if (block.type === "thinking" || block.type === "redacted_thinking" || (block.type as string) === "compaction") continue;
    content[i] = { ...block, cache_control: EPHEMERAL } as ContentBlockParam;
    return;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
