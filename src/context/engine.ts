import type { AgentEventBody } from "../agent/events.js";
import { costUsd } from "../model/catalog.js";
import type {
  AssistantMessage,
  CompactionPart,
  Message,
  Model,
  ModelEvent,
  ModelRequest,
  ToolSpec,
  Usage,
  UserMessage,
} from "../model/types.js";
import { applyClearing, type ClearingPolicy, planClearing } from "./clearing.js";
import {
  applyCompaction,
  buildHandoff,
  findCutPoint,
  type HandoffSections,
  renderHandoff,
  shouldCompact,
} from "./compaction.js";
import { summarizeWithModel } from "./summarize.js";
import { loadO200k, MessageTokens, prefixTokens, promptTokens, textCounterFor } from "./tokens.js";

/**
 * The context engine: before each request it clears old tool results and compacts the
 * history when it fills a share of the window; after each response it reports a `context`
 * event. It works on the live history in place, so what it drops is really freed (the full
 * text stays in the event log). It plugs into the loop through `transformContext` and by
 * wrapping the model (to see each request's usage and to ask for provider-side management).
 */

export interface ContextSettings {
  /** Compact once a request would fill this share of the window. */
  compactAt: number;
  /** Share of the window the verbatim tail after a compaction may hold. */
  keepRecent: number;
  /** Clear old tool results once they hold this share of the window (down to half of it). */
  clearAt: number;
  /** The newest tool results that are never cleared. */
  keepToolResults: number;
  /** Use provider-native compaction and clearing where the API offers it. */
  native: boolean;
  /** Repositories with at least this many source files get a repo map in the system prompt (0: never). */
  repoMapAtStart: number;
}

export const DEFAULT_CONTEXT: ContextSettings = {
  compactAt: 0.85,
  keepRecent: 0.2,
  clearAt: 0.4,
  keepToolResults: 3,
  native: true,
  repoMapAtStart: 300,
};

/** How far the provider's counts may move our estimates (a wild count is more likely a bug). */
const clampCalibration = (c: number) => Math.min(4, Math.max(0.25, c));

export const NATIVE_COMPACT_INSTRUCTIONS =
  "Write a handoff that lets the work continue: the user's original task and every later user message verbatim, " +
  "constraints and instructions, decisions, files touched, work done, open problems and next steps.";

export interface EngineOptions {
  model: Model;
  emit: (event: AgentEventBody) => void;
  settings?: Partial<ContextSettings>;
  /** The session's fixed prefix, for the estimates. */
  system: string;
  tools: ToolSpec[];
  /** The handoff of the newest compaction in the log (on resume). */
  handoff?: HandoffSections;
  /** Adds what a compaction call cost to the session's totals. */
  charge?: (usage: Usage, costUsd: number) => void;
  /** Hears that a compaction is about to happen (the user's PreCompact hooks). Must not throw. */
  beforeCompact?: (trigger: "auto" | "manual") => Promise<void>;
}

export class ContextEngine {
  readonly settings: ContextSettings;
  private model: Model;
  private readonly emit: (event: AgentEventBody) => void;
  private readonly charge: ((usage: Usage, costUsd: number) => void) | undefined;
  private readonly beforeCompact: ((trigger: "auto" | "manual") => Promise<void>) | undefined;
  private readonly system: string;
  private readonly tools: ToolSpec[];
  private tokens: MessageTokens;
  private handoff: HandoffSections | undefined;
  private calibration = 1;
  private prefix: number | undefined;
  private tokenizerRequested = false;
  private manual = false;
  private clearedNow: string[] = [];
  private compactedNow = false;

  constructor(options: EngineOptions) {
    this.settings = { ...DEFAULT_CONTEXT, ...options.settings };
    this.model = options.model;
    this.emit = options.emit;
    this.tokens = new MessageTokens(textCounterFor(this.model.info.api));
    this.handoff = options.handoff;
    this.charge = options.charge;
    this.beforeCompact = options.beforeCompact;
    this.system = options.system;
    this.tools = options.tools;
  }

  /**
   * Loads the o200k tokenizer for OpenAI models once the history is big enough for precision
   * to matter: it costs ~1.5 s of CPU, which a short session should not pay. Estimates serve
   * until it is there.
   */
  private maybeLoadTokenizer(used: number): void {
    if (this.tokenizerRequested || this.model.info.api !== "openai" || used < this.window * 0.25) return;
    this.tokenizerRequested = true;
    loadO200k().then(
      (count) => {
        this.tokens = new MessageTokens(count);
      },
      () => undefined, // estimates are good enough to manage the window; usage after each request is exact
    );
  }

  /**
   * The session switched model: windows, compaction thresholds and token estimates follow the
   * new one from the next request on (the calibration learnt on the old model no longer holds).
   */
  useModel(model: Model): void {
    const sameApi = model.info.api === this.model.info.api;
    this.model = model;
    this.calibration = 1;
    this.prefix = undefined;
    if (!sameApi) {
      this.tokens = new MessageTokens(textCounterFor(model.info.api));
      this.tokenizerRequested = false;
    }
  }

  get window(): number {
    return this.model.info.contextWindow;
  }

  /** Carries a replayed compaction's handoff into the next one (resume paths that build engines themselves). */
  restore(handoff: HandoffSections | undefined): void {
    if (handoff) this.handoff = handoff;
  }

  /** Compact before the next request, whatever the fill (`/compact`, `agent.compact()`). */
  requestCompaction(): void {
    this.manual = true;
  }

  /** The `transformContext` hook. Mutates and returns the live history. Never throws. */
  transform = async (messages: Message[], signal: AbortSignal): Promise<Message[]> => {
    try {
      if (takeCompactCommand(messages)) this.manual = true;
      this.applyNativeCompaction(messages);
      this.clear(messages);
      let used = this.estimate(messages);
      this.maybeLoadTokenizer(used);
      const share = this.localCompactAt();
      if (!this.manual && shouldCompact(used, this.window, share)) used = await this.confirm(messages, used, signal);
      if (this.manual || shouldCompact(used, this.window, share)) {
        const reason = this.manual ? "manual" : "auto";
        // A request stays pending while there is nothing to compact yet (only the newest turn).
        if (await this.compact(messages, reason, used, signal)) this.manual = false;
      }
    } catch {
      // Hooks must not throw (loop.ts): a failure here leaves the history as it is, and a
      // request that no longer fits ends as a context_exceeded error the user can see.
    }
    return messages;
  };

  /**
   * An estimate that says "compact" is checked with the provider's own count where it has one
   * (compacting costs the cache, so it should not happen on a wrong guess); the count also
   * recalibrates later estimates.
   */
  private async confirm(messages: Message[], estimate: number, signal: AbortSignal): Promise<number> {
    if (!this.model.countTokens) return estimate;
    const exact = await this.model.countTokens({ system: this.system, messages, tools: this.tools, signal });
    if (exact === undefined || exact <= 0) return estimate;
    this.calibration = clampCalibration((exact / estimate) * this.calibration);
    return exact;
  }

  /** Wraps the model: provider-side context management on the way in, a `context` event on the way out. */
  wrap(model: Model): Model {
    const engine = this;
    const native = this.nativeContext();
    // Members are named, not spread: a user's model may be a class instance with prototype methods.
    return {
      id: model.id,
      info: model.info,
      ...(model.compact ? { compact: (request: ModelRequest) => model.compact!(request) } : {}),
      ...(model.countTokens ? { countTokens: (request: ModelRequest) => model.countTokens!(request) } : {}),
      async *stream(request: ModelRequest): AsyncGenerator<ModelEvent> {
        const estimate = engine.estimate(request.messages);
        const withNative = native ? { ...request, context: native } : request;
        for await (const event of model.stream(withNative)) {
          if (event.type === "done") engine.report(event.message, estimate, request.messages.length);
          yield event;
        }
      },
    };
  }

  /**
   * The share at which we compact ourselves: where the provider compacts server-side
   * (Anthropic), a little later than it does, so that its compaction runs first.
   */
  private localCompactAt(): number {
    const serverSide = this.settings.native && this.model.info.api === "anthropic" && this.model.info.capabilities.compaction === true;
    return serverSide ? Math.min(0.95, this.settings.compactAt + 0.07) : this.settings.compactAt;
  }

  private nativeContext(): ModelRequest["context"] {
    if (!this.settings.native || this.model.info.api !== "anthropic") return undefined;
    const window = this.window;
    // The server compacts first (its summary is the model's own), where the model can; ours is the backstop.
    const compaction = this.model.info.capabilities.compaction
      ? { compactAtTokens: Math.max(50_000, Math.round(window * this.settings.compactAt)), compactInstructions: NATIVE_COMPACT_INSTRUCTIONS }
      : {};
    return {
      ...compaction,
      clearToolUses: { triggerTokens: Math.max(10_000, Math.round(window * this.settings.clearAt)), keep: this.settings.keepToolResults },
    };
  }

  private report(message: AssistantMessage, estimate: number, count: number): void {
    const actual = promptTokens(message.usage);
    if (actual > 0 && estimate > 0) {
      this.calibration = clampCalibration((actual / estimate) * this.calibration);
    }
    const used = actual > 0 ? actual : estimate;
    this.emit({
      type: "context",
      used,
      window: this.window,
      cached: message.usage.cacheRead,
      cacheHitRatio: used > 0 ? Math.round((message.usage.cacheRead / used) * 1000) / 1000 : 0,
      estimated: actual === 0,
      messages: count,
      cleared: this.clearedNow,
      compacted: this.compactedNow,
    });
    this.clearedNow = [];
    this.compactedNow = false;
  }

  /** Estimated prompt tokens, scaled by how the provider's counts compared so far. */
  estimate(messages: readonly Message[]): number {
    this.prefix ??= prefixTokens(this.system, this.tools);
    return Math.round((this.prefix + this.tokens.sum(messages)) * this.calibration);
  }

  private clear(messages: Message[]): void {
    const budget = this.window * this.settings.clearAt;
    const policy: ClearingPolicy = { triggerTokens: budget, targetTokens: budget / 2, keepRecent: this.settings.keepToolResults };
    const ids = planClearing(messages, (m) => this.tokens.of(m), policy);
    if (ids.length && applyClearing(messages, ids)) this.clearedNow.push(...ids);
  }

  /**
   * Anthropic compacts server-side and ignores everything before its compaction block: drop
   * that part here too (keeping the first message, which opens the conversation). The
   * server's summary is the provider's; to keep the task and every steering message verbatim
   * whatever it says, they are pinned in a message right after the compaction turn.
   */
  private applyNativeCompaction(messages: Message[]): void {
    const at = lastNativeCompaction(messages);
    if (at <= 1) return;
    const before = this.tokens.sum(messages);
    // The first message is already in the carried-over handoff once there is one.
    const sections = buildHandoff(this.handoff, messages.slice(this.handoff ? 1 : 0, at));
    const pinned = renderPinned(sections.userMessages);
    messages.splice(1, at - 1);
    messages.splice(pinnedPosition(messages, 1), 0, pinned);
    this.handoff = sections;
    this.compactedNow = true;
    this.emit({
      type: "context_compacted",
      reason: "native",
      dropped: at - 1,
      handoff: (pinned.content[0] as { text: string }).text,
      sections: { ...sections },
      tokensBefore: before,
      tokensAfter: this.tokens.sum(messages),
    });
  }

  private async compact(
    messages: Message[],
    reason: "auto" | "manual",
    used: number,
    signal: AbortSignal,
  ): Promise<boolean> {
    // On request, everything but the newest turn goes; automatically, a share of the window stays verbatim.
    const keep = reason === "manual" ? 0 : this.window * this.settings.keepRecent;
    const cut = findCutPoint(messages, (m) => this.tokens.of(m) * this.calibration, keep);
    if (cut === 0) return false;
    await this.beforeCompact?.(reason);
    const dropped = messages.slice(0, cut);
    const sections = buildHandoff(this.handoff, dropped);
    let native: CompactionPart | undefined;
    let spent: Usage | undefined;
    if (this.settings.native && this.model.compact) {
      const result = await this.model.compact({ system: this.system, messages: dropped, tools: this.tools, signal });
      if ("part" in result) {
        native = result.part;
        spent = result.usage;
      }
    } else if (this.model.info.api === "compatible") {
      const summary = await summarizeWithModel(this.model, dropped, signal);
      if (summary) {
        sections.summary = summary.text;
        spent = summary.usage;
      }
    }
    const spentUsd = spent ? costUsd(this.model.info, spent) : 0;
    if (spent) this.charge?.(spent, spentUsd);
    const head: Message[] = [renderHandoff(sections)];
    if (native) head.push(compactionMessage(native, this.model.id));
    applyCompaction(messages, cut, head);
    this.handoff = sections;
    this.compactedNow = true;
    const text = (head[0]!.content[0] as { text: string }).text;
    this.emit({
      type: "context_compacted",
      reason,
      dropped: cut,
      handoff: text,
      sections: { ...sections },
      ...(native?.replay ? { native: { api: native.replay.api, text: native.text, data: native.replay.data } } : {}),
      tokensBefore: used,
      tokensAfter: this.estimate(messages),
      ...(spent ? { usage: spent, costUsd: spentUsd } : {}),
    });
    return true;
  }
}

/** What a user types to compact now (as a steering or queued message). */
export const COMPACT_COMMAND = "/compact";

/** True for a user message that is the `/compact` command rather than words for the model. */
export const isCompactCommand = (m: Message): boolean =>
  m.role === "user" && m.content.length === 1 && m.content[0]!.type === "text" && m.content[0]!.text.trim() === COMPACT_COMMAND;

/**
 * Removes `/compact` commands that arrived since the newest assistant turn (through the inbox,
 * like steering); returns whether there was one. Replay skips them the same way.
 */
export function takeCompactCommand(messages: Message[]): boolean {
  let found = false;
  for (let i = messages.length - 1; i >= 0 && messages[i]!.role !== "assistant"; i--) {
    if (isCompactCommand(messages[i]!)) {
      messages.splice(i, 1);
      found = true;
    }
  }
  return found;
}

/** Index of the newest assistant message holding an Anthropic compaction block, or -1. */
export function lastNativeCompaction(messages: readonly Message[]): number {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i]!;
    if (m.role === "assistant" && m.content.some((p) => p.type === "compaction" && p.replay?.api === "anthropic")) return i;
  }
  return -1;
}

/** Where the pinned user messages go after a native compaction turn at `at`: past its tool results. */
export function pinnedPosition(messages: readonly Message[], at: number): number {
  let i = at + 1;
  while (i < messages.length && messages[i]!.role === "tool") i++;
  return i;
}

/** The user's messages, verbatim, pinned after a provider's compaction (which may paraphrase them). */
export function renderPinned(userMessages: readonly string[]): UserMessage {
  const text = [
    "<pinned>",
    "The conversation before this point was compacted. The user's messages so far, verbatim and in order (the first is the task); they all still apply:",
    ...userMessages.map((m, i) => `<user_message n="${i + 1}">\n${m}\n</user_message>`),
    "</pinned>",
  ].join("\n");
  return { role: "user", content: [{ type: "text", text }], handoff: { turns: 0 } };
}

/** The assistant message that carries a provider compaction item right after the handoff. */
export function compactionMessage(part: CompactionPart, model: string): AssistantMessage {
  return {
    role: "assistant",
    content: [part],
    model,
    api: part.replay?.api ?? "scripted",
    stopReason: "end",
    usage: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, reasoning: 0 },
  };
}
