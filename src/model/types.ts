/**
 * The provider-neutral message format and the model streaming contract.
 * Every adapter (anthropic, openai, compatible, scripted) speaks exactly this.
 */

/** The wire APIs colleague speaks. Adapters are per wire API, not per vendor. */
export type WireApi = "anthropic" | "openai" | "compatible" | "scripted";

export interface TextPart {
  type: "text";
  text: string;
}

export interface ImagePart {
  type: "image";
  /** e.g. "image/png" */
  mediaType: string;
  /** base64, no data: prefix */
  data: string;
}

/**
 * Model reasoning. `text` is what a person may read (thinking or its summary; "" when
 * redacted or encrypted). `replay` is the provider's own block, kept byte-for-byte so it can
 * be sent back unchanged: an Anthropic `thinking` / `redacted_thinking` block (with its
 * signature), or an OpenAI `reasoning` item (with its encrypted_content). Adapters replay it
 * only to the API that produced it.
 */
export interface ThinkingPart {
  type: "thinking";
  text: string;
  replay?: { api: WireApi; data: Record<string, unknown> };
}

export interface ToolCallPart {
  type: "tool_call";
  /** The provider's call id (Anthropic tool_use id, OpenAI call_id). */
  id: string;
  name: string;
  /** Parsed arguments; `{}` when the model sent none. */
  args: unknown;
  /** Set when the model's argument text was not valid JSON: the raw text, for the error. */
  invalidArgs?: string;
  /**
   * A provider's own call item when it is not a plain function call (an OpenAI `computer_call`),
   * sent back unchanged to the API that made it.
   */
  replay?: { api: WireApi; data: Record<string, unknown> };
}

/**
 * A provider's compacted history: an Anthropic `compaction` block or an OpenAI `compaction`
 * item (from /responses/compact). `text` is the readable summary where there is one ("" when
 * encrypted); `replay` is the provider's own object, sent back byte-for-byte to the API that
 * made it. Other APIs receive `text` as plain text (the context engine issue).
 */
export interface CompactionPart {
  type: "compaction";
  text: string;
  replay?: { api: WireApi; data: Record<string, unknown> };
}

export type UserPart = TextPart | ImagePart;
export type AssistantPart = TextPart | ThinkingPart | ToolCallPart | CompactionPart;

export interface UserMessage {
  role: "user";
  content: UserPart[];
  /**
   * Set on the structured handoff that replaces compacted history: how many assistant turns
   * it stands for (so a scripted model keeps its place in a scenario after compaction).
   */
  handoff?: { turns: number };
}

export type StopReason =
  | "end" // the model finished its turn
  | "tool_use" // the model wants tool results
  | "max_tokens"
  | "refusal"
  | "pause" // provider paused a long turn (Anthropic pause_turn); continue it
  | "context_exceeded"
  | "error"
  | "aborted";

export interface AssistantMessage {
  role: "assistant";
  content: AssistantPart[];
  /** "provider:model" that produced it. */
  model: string;
  api: WireApi;
  stopReason: StopReason;
  usage: Usage;
  /** Provider response id, when there is one. */
  responseId?: string;
}

export interface ToolResultMessage {
  role: "tool";
  callId: string;
  name: string;
  content: UserPart[];
  isError: boolean;
}

export type Message = UserMessage | AssistantMessage | ToolResultMessage;

export interface Usage {
  /** Input tokens not read from or written to cache. */
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
  /** Reasoning tokens, included in `output` (reported separately when the provider does). */
  reasoning: number;
}

export const emptyUsage = (): Usage => ({ input: 0, output: 0, cacheRead: 0, cacheWrite: 0, reasoning: 0 });

export function addUsage(a: Usage, b: Usage): Usage {
  return {
    input: a.input + b.input,
    output: a.output + b.output,
    cacheRead: a.cacheRead + b.cacheRead,
    cacheWrite: a.cacheWrite + b.cacheWrite,
    reasoning: a.reasoning + b.reasoning,
  };
}

/** Total tokens the provider processed for a request (all input kinds plus output). */
export const totalTokens = (u: Usage): number => u.input + u.cacheRead + u.cacheWrite + u.output;

/** A tool as the model sees it. */
export interface ToolSpec {
  name: string;
  description: string;
  /** JSON Schema (draft 2020-12 subset) of the arguments object. */
  parameters: Record<string, unknown>;
  /** Set when providers that have the tool built in should be offered their own form of it. */
  native?: NativeToolForm;
}

/**
 * A tool some providers know natively: `computer` is Anthropic's computer-use tool (same
 * actions and arguments) and OpenAI's computer_use_preview; `display` is the screenshot size,
 * the coordinate space the model works in.
 */
export interface NativeToolForm {
  kind: "computer";
  display: { width: number; height: number };
}

export type Effort = "low" | "medium" | "high" | "max";

export interface ModelRequest {
  system: string;
  messages: Message[];
  tools: ToolSpec[];
  /** Resolved effort for this request; adapters map it onto their API. Absent: provider default. */
  effort?: Effort;
  /** Used as the OpenAI prompt_cache_key and for logging. */
  sessionId?: string;
  maxOutputTokens?: number;
  signal?: AbortSignal;
  /** Provider-side context management (the context engine sets it; adapters without it ignore it). */
  context?: NativeContext;
}

/** Context management a provider does itself (Anthropic context editing and compaction). */
export interface NativeContext {
  /** Compact server-side once the input passes this many tokens (Anthropic compact_20260112). */
  compactAtTokens?: number;
  /** What the server-side summary must keep. */
  compactInstructions?: string;
  /** Clear old tool results server-side (Anthropic clear_tool_uses_20250919). */
  clearToolUses?: { triggerTokens: number; keep: number };
}

/** What a provider's own compaction endpoint returns (OpenAI /responses/compact). */
export type CompactResult = { part: CompactionPart; usage: Usage } | { error: ModelError };

export type ModelErrorKind =
  | "auth" // missing or rejected key
  | "rate_limit"
  | "overloaded"
  | "server" // 5xx
  | "connection" // unreachable, reset, stream cut
  | "bad_request" // 400 etc.: our request was wrong
  | "malformed" // the provider sent something we cannot parse
  | "aborted"
  | "scenario"; // the scripted model's scenario failed a check or ran out

export interface ModelError {
  kind: ModelErrorKind;
  message: string;
  status?: number;
  retryable: boolean;
  /** Milliseconds the provider asked us to wait (retry-after). */
  retryAfterMs?: number;
}

/**
 * What a model stream yields. A stream never throws: it ends with exactly one `done` or
 * `error`. On `retry` the consumer drops the partial output it has seen so far.
 */
export type ModelEvent =
  | { type: "text_delta"; delta: string }
  | { type: "thinking_delta"; delta: string }
  | { type: "tool_call_start"; id: string; name: string }
  | { type: "tool_call_delta"; id: string; delta: string }
  | { type: "retry"; attempt: number; delayMs: number; error: ModelError }
  | { type: "done"; message: AssistantMessage }
  | { type: "error"; error: ModelError };

/** Anthropic's computer tool versions and OpenAI's computer_use_preview. */
export type ComputerUseForm = "computer_20251124" | "computer_20250124" | "computer_use_preview";

/** Static facts about a model, from the catalog. */
export interface ModelInfo {
  /** The provider's model name, e.g. "claude-opus-4-6". */
  name: string;
  api: WireApi;
  contextWindow: number;
  maxOutput: number;
  /** USD per million tokens. */
  price: { input: number; output: number; cacheRead: number; cacheWrite: number };
  /** Long-context pricing: above `threshold` input tokens, these rates apply to the whole request. */
  longContext?: { threshold: number; window: number; input: number; output: number; cacheRead: number; cacheWrite: number };
  capabilities: {
    tools: boolean;
    images: boolean;
    /** "adaptive": Anthropic adaptive thinking; "budget": thinking budgets; "effort": OpenAI reasoning effort; "none". */
    reasoning: "adaptive" | "budget" | "effort" | "none";
    /** Effort levels the API accepts natively (others are mapped to the nearest). */
    efforts?: string[];
    /** Server-side compaction (Anthropic compact_20260112; the context engine issue). */
    compaction?: boolean;
    /** The provider's built-in computer-use tool this model takes (otherwise `computer` is a function tool). */
    computerUse?: ComputerUseForm;
  };
}

export interface Model {
  /** "provider:model", e.g. "anthropic:claude-opus-4-6". */
  readonly id: string;
  readonly info: ModelInfo;
  stream(request: ModelRequest): AsyncIterable<ModelEvent>;
  /** The provider's compaction endpoint, where it has one: compacts `request.messages`. Never throws. */
  compact?(request: ModelRequest): Promise<CompactResult>;
  /** Exact prompt tokens of a request, where the provider counts them (Anthropic count_tokens); undefined on failure. */
  countTokens?(request: ModelRequest): Promise<number | undefined>;
}
