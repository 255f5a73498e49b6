import { costUsd } from "../model/catalog.js";
import {
  type AssistantMessage,
  addUsage,
  type Effort,
  type Message,
  type Model,
  type ModelError,
  type ToolCallPart,
  type ToolResultMessage,
  type Usage,
  type UserMessage,
  type UserPart,
} from "../model/types.js";
import { type AnyTool, runTool, type ToolContext, type ToolResult, toolSpec } from "../tools/define.js";
import { type EffortSetting, resolveEffort } from "./effort.js";
import type { AgentEventBody, SessionStatus } from "./events.js";
import type { Inbox } from "./inbox.js";
import { firstStop, type StopCondition } from "./stop.js";

/**
 * Where policy, context management and steering plug in. Hooks must not throw: a hook that
 * fails is a bug in the hook, and the loop treats a thrown error as a blocked call / no-op.
 */
export interface AgentHooks {
  /** Before each model request: may clear, compact or annotate the history it is given. */
  transformContext?(messages: Message[], signal: AbortSignal): Promise<Message[]> | Message[];
  /** Before a tool runs: permissions, sandbox, monitors. `block` turns the call into an error result. */
  beforeToolCall?(call: ToolCallPart, tool: AnyTool): Promise<ToolGate> | ToolGate;
  /** At each step boundary: user messages that joined the running turn (steering). */
  drainInbox?(): UserMessage[];
  // The four hooks below were added for policy (issue 6: monitors, honesty, audit); each is optional.
  /**
   * Once per run, before the first step: hands hooks the event sink (policy records its decisions
   * as events) and the history, whose newest user message is the task. `block` refuses the run.
   */
  onRunStart?(ctx: HookContext, messages: readonly Message[]): Promise<ToolGate> | ToolGate;
  /** After a tool ran, before the model sees the result: may replace it (an injection warning). */
  afterToolCall?(call: ToolCallPart, result: ToolResult): Promise<ToolResult | undefined> | ToolResult | undefined;
  /**
   * Before an answer without tool calls is accepted: `retry` sends a note back to the model for
   * another step (honesty check), `answer` replaces what the user is given (a flagged discrepancy).
   */
  beforeFinalAnswer?(answer: string, messages: readonly Message[]): Promise<AnswerGate> | AnswerGate;
  /** A user message arriving mid-run (steer, mailbox): false drops it (a monitor blocked it). */
  screenInput?(message: UserMessage): boolean;
  /** At each step boundary: context the user's hooks added (src/hooks/), recorded as `hook` messages. */
  drainHookContext?(): UserMessage[];
  /** Before the context engine compacts the history (the session passes it to the engine). */
  beforeCompact?(trigger: "auto" | "manual"): Promise<void>;
}

/** A throwing screen is a bug in the hook; the message passes rather than silently vanishing. */
function guardScreen(hooks: AgentHooks, message: UserMessage): boolean {
  try {
    return hooks.screenInput?.(message) ?? true;
  } catch {
    return true;
  }
}

/** `block` turns the call into an error result; `args` runs it with these arguments instead (a hook rewrote them). */
export type ToolGate = { block: true; reason: string } | { block?: undefined; args: Record<string, unknown> } | undefined;
export type AnswerGate = { retry: string } | { answer: string } | undefined;
export interface HookContext {
  sessionId: string;
  emit: (event: AgentEventBody) => void;
  /** Adds what a hook spent on a model (the monitors' judge) to the session's totals. */
  charge?: (usage: Usage, costUsd: number) => void;
}

export interface LoopConfig {
  model: Model;
  /** The tools the model may call. */
  tools: readonly AnyTool[];
  /**
   * The tools whose schemas are sent, read before each request, when not all of `tools` (lazily
   * loaded MCP tools join as they are found). Tools only ever join at the end, so the prefix
   * stays cacheable.
   */
  offeredTools?: () => readonly AnyTool[];
  system: string;
  /** What every tool call gets, less the per-call fields. */
  toolContext: Omit<ToolContext, "callId" | "signal" | "onUpdate">;
  /** A fixed effort, or "auto" (chosen per step by src/agent/effort.ts). */
  effort?: EffortSetting;
  stops: readonly StopCondition[];
  hooks: AgentHooks;
  /** Records an event; returns after it is committed. */
  emit: (event: AgentEventBody) => void;
  signal: AbortSignal;
  maxOutputTokens?: number;
  /** Live steering (issue 3): steer / queue / interrupt / effort / model while the loop runs. */
  inbox?: Inbox;
  /**
   * Makes a model the inbox switched to ready to run, wrapped as `model` was (history bridge,
   * context engine); the loop streams from what it returns. Without it the model runs as given.
   */
  prepareModel?(model: Model): Model;
}

export interface LoopState {
  messages: Message[];
  step: number;
  usage: Usage;
  costUsd: number;
  /** Tool calls of the newest assistant message that still need results (after a resume). */
  pendingCalls?: ToolCallPart[];
}

export interface Outcome {
  status: SessionStatus;
  answer?: string;
  error?: string;
}

/**
 * The agent loop: context → model stream → tool calls → results → next step, until the
 * model answers without tools, a stop condition holds, the model fails, or the run is aborted.
 * Mutates `state` as it goes, so the caller always holds the latest history.
 */
export async function runLoop(state: LoopState, config: LoopConfig): Promise<Outcome> {
  const allSpecs = config.tools.map(toolSpec);
  const specs = () => (config.offeredTools ? config.offeredTools().map(toolSpec) : allSpecs);
  const inbox = config.inbox;
  let effortSetting = config.effort;
  let model = config.model;
  // Policy hooks (issue 6): screen the task before anything runs.
  const startGate = await guardHook(() =>
    config.hooks.onRunStart?.(
      {
        sessionId: config.toolContext.sessionId,
        emit: config.emit,
        charge: (usage, usd) => {
          state.usage = addUsage(state.usage, usage);
          state.costUsd += usd;
        },
      },
      state.messages,
    ),
  );
  if (startGate?.block) return { status: "refused", error: startGate.reason };
  if (state.pendingCalls?.length) {
    const pending = state.pendingCalls;
    state.pendingCalls = undefined;
    await runToolCalls(pending, state, config, inbox?.beginStep().tools);
    config.emit({ type: "step_finished", step: state.step, usage: state.usage, costUsd: state.costUsd });
  }
  for (;;) {
    if (config.signal.aborted) return { status: "aborted", error: "aborted by the user" };
    const stop = firstStop(config.stops, state);
    if (stop) return { status: stop.status, error: stop.reason };

    // issue 3: an effort change sent while the agent works applies from this request on.
    const effortChange = inbox?.takeEffortChange();
    if (effortChange) {
      effortSetting = effortChange;
      config.emit({ type: "effort_changed", effort: effortChange });
    }
    // A model switch also waits for the step boundary: no request is ever cut in two.
    const modelChange = inbox?.takeModelChange();
    if (modelChange && modelChange.id !== model.id) {
      config.emit({ type: "model_changed", from: model.id, to: modelChange.id });
      model = config.prepareModel ? config.prepareModel(modelChange) : modelChange;
    }
    let steered = false;
    const incoming = [...(inbox?.drainSteers() ?? []), ...(config.hooks.drainInbox?.() ?? [])];
    for (const message of incoming.filter((m) => guardScreen(config.hooks, m))) {
      config.emit({ type: "user_message", text: textOf(message), kind: "steer" });
      state.messages.push(message);
      steered = true;
    }
    for (const message of config.hooks.drainHookContext?.() ?? []) {
      config.emit({ type: "user_message", text: textOf(message), kind: "hook" });
      state.messages.push(message);
    }

    state.step += 1;
    const choice = resolveEffort(effortSetting, { step: state.step, messages: state.messages, steered });
    config.emit({
      type: "step_started",
      step: state.step,
      ...(choice.effort ? { effort: choice.effort } : {}),
      ...(choice.reason ? { effortReason: choice.reason } : {}),
    });
    const context = config.hooks.transformContext
      ? await config.hooks.transformContext(state.messages, config.signal)
      : state.messages;

    const signals = inbox?.beginStep();
    const result = await streamStep(model, context, specs(), config, choice.effort, signals);
    if ("error" in result && result.error.kind === "aborted" && inbox?.cutReason && !config.signal.aborted) {
      // issue 3: the inbox cut the stream (interrupt, or an urgent steer); keep what it had said.
      const reason = inbox.cutReason;
      config.emit({ type: "interrupted", step: state.step, reason, ...result.partial, killedCalls: [] });
      const interrupted = inbox.takeInterrupt();
      if (reason === "urgent_steer" && !interrupted) continue;
      if (await acceptNextTurn(inbox, config)) continue;
      return { status: "interrupted", error: "interrupted by the user" };
    }
    if ("error" in result) {
      const status: SessionStatus = result.error.kind === "aborted" ? "aborted" : "error";
      if (status === "error") config.emit({ type: "model_error", error: errorInfo(result.error) });
      return { status, error: describeModelError(result.error, model.id) };
    }
    const message = result.message;
    const stepCost = costUsd(model.info, message.usage);
    state.messages.push(message);
    state.usage = addUsage(state.usage, message.usage);
    state.costUsd += stepCost;
    config.emit({ type: "assistant_message", message, costUsd: stepCost });

    const calls = message.content.filter((p): p is ToolCallPart => p.type === "tool_call");
    const killed = calls.length ? await runToolCalls(calls, state, config, signals?.tools) : [];
    config.emit({ type: "step_finished", step: state.step, usage: state.usage, costUsd: state.costUsd });

    if (inbox?.takeInterrupt()) {
      // issue 3: interrupted while tools ran (they were killed) or just after the answer.
      config.emit({ type: "interrupted", step: state.step, reason: "interrupt", killedCalls: killed });
      if (await acceptNextTurn(inbox, config)) continue;
      return { status: "interrupted", error: "interrupted by the user" };
    }
    if (calls.length || message.stopReason === "pause") continue;
    if (message.stopReason === "refusal") return { status: "refused", error: "the model refused the request" };
    if (message.stopReason === "max_tokens") {
      return { status: "error", error: "the model hit its output token limit before finishing its answer" };
    }
    if (message.stopReason === "context_exceeded") {
      return { status: "error", error: "the conversation no longer fits the model's context window" };
    }
    // issue 3: a steer that came during the answer starts the next turn.
    if (inbox?.hasSteer()) continue;
    // Policy hook (issue 6): the honesty check may send the answer back once, or flag it.
    const answerGate = await guardHook(() => config.hooks.beforeFinalAnswer?.(textOf(message), state.messages));
    if (answerGate && "retry" in answerGate) {
      config.emit({ type: "user_message", text: answerGate.retry, kind: "continue" });
      state.messages.push({ role: "user", content: [{ type: "text", text: answerGate.retry }] });
      continue;
    }
    // issue 3: a queued message is the next user turn; the checked answer stands for this one.
    const queued = inbox?.takeQueued();
    if (queued) {
      config.emit({ type: "user_message", text: textOf(queued), kind: "queue" });
      state.messages.push(queued);
      continue;
    }
    if (answerGate && "answer" in answerGate) return { status: "completed", answer: answerGate.answer };
    return { status: "completed", answer: textOf(message) };
  }
}

/**
 * After an interrupt the agent waits for the next message (when its inbox is interactive);
 * it is delivered as a steer at the top of the loop.
 */
function acceptNextTurn(inbox: Inbox, config: LoopConfig): Promise<boolean> {
  return inbox.waitForMessage(config.signal);
}

/** Text and thinking streamed before a stream was cut (kept in the `interrupted` event). */
type PartialOutput = { partialText?: string; partialThinking?: string };
type StepResult = { message: AssistantMessage } | { error: ModelError; partial: PartialOutput };

async function streamStep(
  model: Model,
  messages: Message[],
  tools: ReturnType<typeof toolSpec>[],
  config: LoopConfig,
  effort: Effort | undefined,
  signals: { stream: AbortSignal } | undefined,
): Promise<StepResult> {
  const stream = model.stream({
    system: config.system,
    messages,
    tools,
    signal: signals ? AbortSignal.any([config.signal, signals.stream]) : config.signal,
    sessionId: config.toolContext.sessionId,
    ...(effort ? { effort } : {}),
    ...(config.maxOutputTokens ? { maxOutputTokens: config.maxOutputTokens } : {}),
  });
  let text = "";
  let thinking = "";
  const partial = (): PartialOutput => ({ ...(text ? { partialText: text } : {}), ...(thinking ? { partialThinking: thinking } : {}) });
  for await (const event of stream) {
    switch (event.type) {
      case "text_delta":
        text += event.delta;
        config.emit({ type: "text_delta", delta: event.delta });
        break;
      case "thinking_delta":
        thinking += event.delta;
        config.emit({ type: "thinking_delta", delta: event.delta });
        break;
      case "tool_call_start":
        config.emit({ type: "tool_call_delta", callId: event.id, name: event.name, delta: "" });
        break;
      case "tool_call_delta":
        config.emit({ type: "tool_call_delta", callId: event.id, delta: event.delta });
        break;
      case "retry":
        text = "";
        thinking = "";
        config.emit({ type: "model_retry", attempt: event.attempt, delayMs: event.delayMs, error: errorInfo(event.error) });
        break;
      case "done":
        return { message: event.message };
      case "error":
        return { error: event.error, partial: partial() };
    }
  }
  return { error: { kind: "malformed", message: "model stream ended without a result", retryable: false }, partial: partial() };
}

/**
 * Runs one step's tool calls. Consecutive read-only calls run in parallel; anything that may
 * change the world runs alone, in order. Results are appended in the calls' order.
 * A steer or an interrupt (issue 3) skips the calls not yet started; an interrupt also kills
 * the running ones (through `inboxSignal`). Returns the ids of the calls it killed.
 */
async function runToolCalls(
  calls: ToolCallPart[],
  state: LoopState,
  config: LoopConfig,
  inboxSignal?: AbortSignal,
): Promise<string[]> {
  const byName = new Map(config.tools.map((t) => [t.name, t]));
  config.toolContext.runner.warm?.();
  const signal = inboxSignal ? AbortSignal.any([config.signal, inboxSignal]) : config.signal;
  const callConfig = { ...config, signal };
  const killed: string[] = [];
  let i = 0;
  while (i < calls.length) {
    const skip = inboxSignal?.aborted ? "the user interrupted" : config.inbox?.hasSteer() ? "the user steered" : undefined;
    if (skip) {
      for (const call of calls.slice(i)) state.messages.push(skipCall(call, skip, config));
      break;
    }
    const batch = [calls[i]!];
    const parallel = byName.get(calls[i]!.name)?.readOnly === true;
    while (parallel && i + batch.length < calls.length && byName.get(calls[i + batch.length]!.name)?.readOnly) {
      batch.push(calls[i + batch.length]!);
    }
    const onKill = () => killed.push(...batch.map((c) => c.id));
    inboxSignal?.addEventListener("abort", onKill, { once: true });
    const results = await Promise.all(batch.map((call) => runCall(call, byName, callConfig)));
    inboxSignal?.removeEventListener("abort", onKill);
    state.messages.push(...results);
    i += batch.length;
  }
  return killed;
}

/** A call that never ran because the user steered or interrupted: still answered, as an error. */
function skipCall(call: ToolCallPart, why: string, config: LoopConfig): ToolResultMessage {
  const text = `Skipped because ${why} before this call started; it did not run. Read the user's message and decide again.`;
  const content: UserPart[] = [{ type: "text", text }];
  config.emit({ type: "tool_finished", callId: call.id, name: call.name, content, isError: true, details: { skipped: true }, durationMs: 0 });
  return { role: "tool", callId: call.id, name: call.name, content, isError: true };
}

async function runCall(call: ToolCallPart, byName: Map<string, AnyTool>, config: LoopConfig): Promise<ToolResultMessage> {
  config.emit({ type: "tool_started", callId: call.id, name: call.name, args: call.args });
  let result = await executeCall(call, byName.get(call.name), config);
  // Policy hook (issue 6): screen the result for injections, collect evidence for honesty.
  result = (await guardHook(() => config.hooks.afterToolCall?.(call, result))) ?? result;
  config.emit({
    type: "tool_finished",
    callId: call.id,
    name: call.name,
    content: result.content,
    isError: result.isError,
    ...(result.details ? { details: result.details } : {}),
    durationMs: result.durationMs,
  });
  return { role: "tool", callId: call.id, name: call.name, content: result.content, isError: result.isError };
}

async function executeCall(call: ToolCallPart, tool: AnyTool | undefined, config: LoopConfig): Promise<ToolResult> {
  const fail = (text: string): ToolResult => ({ content: [{ type: "text", text }], isError: true, durationMs: 0 });
  if (!tool) {
    const names = config.tools.map((t) => t.name).join(", ");
    return fail(`Unknown tool "${call.name}". Available tools: ${names}.`);
  }
  if (call.invalidArgs !== undefined) {
    const raw = call.invalidArgs.length > 500 ? `${call.invalidArgs.slice(0, 500)}…` : call.invalidArgs;
    return fail(`Invalid arguments for ${call.name}: not valid JSON (${raw}). Send a JSON object matching the schema.`);
  }
  if (config.signal.aborted) return fail("Not run: the turn was aborted.");
  let gate: ToolGate;
  try {
    gate = await config.hooks.beforeToolCall?.(call, tool);
  } catch (error) {
    gate = { block: true, reason: `policy check failed: ${(error as Error).message}` };
  }
  if (gate?.block) return fail(`Blocked: ${gate.reason}`);
  return runTool(tool, gate?.args ?? call.args, {
    ...config.toolContext,
    callId: call.id,
    signal: config.signal,
    onUpdate: (chunk) => config.emit({ type: "tool_output", callId: call.id, chunk }),
  });
}

/** Runs an optional hook; hooks must not throw, so a throw is logged as a bug and ignored. */
async function guardHook<T>(run: () => Promise<T> | T): Promise<T | undefined> {
  try {
    return await run();
  } catch (error) {
    process.stderr.write(`colleague: a hook failed (a bug): ${(error as Error)?.stack ?? String(error)}\n`);
    return undefined;
  }
}

export function textOf(message: Message): string {
  return message.content
    .filter((p) => p.type === "text")
    .map((p) => (p as { text: string }).text)
    .join("");
}

const errorInfo = (e: ModelError) => ({ kind: e.kind, message: e.message, ...(e.status ? { status: e.status } : {}) });

function describeModelError(error: ModelError, modelId: string): string {
  if (error.kind === "aborted") return "aborted by the user";
  return `${modelId}: ${error.message}`;
}
