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
} from "../model/types.js";
import { type AnyTool, runTool, type ToolContext, type ToolResult, toolSpec } from "../tools/define.js";
import type { AgentEventBody, SessionStatus } from "./events.js";
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
}

export type ToolGate = { block: true; reason: string } | undefined;
export type AnswerGate = { retry: string } | { answer: string } | undefined;
export interface HookContext {
  sessionId: string;
  emit: (event: AgentEventBody) => void;
}

export interface LoopConfig {
  model: Model;
  tools: readonly AnyTool[];
  system: string;
  /** What every tool call gets, less the per-call fields. */
  toolContext: Omit<ToolContext, "callId" | "signal" | "onUpdate">;
  effort?: Effort;
  stops: readonly StopCondition[];
  hooks: AgentHooks;
  /** Records an event; returns after it is committed. */
  emit: (event: AgentEventBody) => void;
  signal: AbortSignal;
  maxOutputTokens?: number;
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
  const specs = config.tools.map(toolSpec);
  // Policy hooks (issue 6): screen the task before anything runs.
  const startGate = await guardHook(() =>
    config.hooks.onRunStart?.({ sessionId: config.toolContext.sessionId, emit: config.emit }, state.messages),
  );
  if (startGate?.block) return { status: "refused", error: startGate.reason };
  if (state.pendingCalls?.length) {
    const pending = state.pendingCalls;
    state.pendingCalls = undefined;
    await runToolCalls(pending, state, config);
    config.emit({ type: "step_finished", step: state.step, usage: state.usage, costUsd: state.costUsd });
  }
  for (;;) {
    if (config.signal.aborted) return { status: "aborted", error: "aborted by the user" };
    const stop = firstStop(config.stops, state);
    if (stop) return { status: stop.status, error: stop.reason };

    for (const message of config.hooks.drainInbox?.() ?? []) {
      config.emit({ type: "user_message", text: textOf(message), kind: "steer" });
      state.messages.push(message);
    }

    state.step += 1;
    config.emit({ type: "step_started", step: state.step, ...(config.effort ? { effort: config.effort } : {}) });
    const context = config.hooks.transformContext
      ? await config.hooks.transformContext(state.messages, config.signal)
      : state.messages;

    const result = await streamStep(context, specs, config);
    if ("error" in result) {
      const status: SessionStatus = result.error.kind === "aborted" ? "aborted" : "error";
      if (status === "error") config.emit({ type: "model_error", error: errorInfo(result.error) });
      return { status, error: describeModelError(result.error, config.model.id) };
    }
    const message = result.message;
    const stepCost = costUsd(config.model.info, message.usage);
    state.messages.push(message);
    state.usage = addUsage(state.usage, message.usage);
    state.costUsd += stepCost;
    config.emit({ type: "assistant_message", message, costUsd: stepCost });

    const calls = message.content.filter((p): p is ToolCallPart => p.type === "tool_call");
    if (calls.length) await runToolCalls(calls, state, config);
    config.emit({ type: "step_finished", step: state.step, usage: state.usage, costUsd: state.costUsd });

    if (calls.length || message.stopReason === "pause") continue;
    if (message.stopReason === "refusal") return { status: "refused", error: "the model refused the request" };
    if (message.stopReason === "max_tokens") {
      return { status: "error", error: "the model hit its output token limit before finishing its answer" };
    }
    if (message.stopReason === "context_exceeded") {
      return { status: "error", error: "the conversation no longer fits the model's context window" };
    }
    // Policy hook (issue 6): the honesty check may send the answer back once, or flag it.
    const answerGate = await guardHook(() => config.hooks.beforeFinalAnswer?.(textOf(message), state.messages));
    if (answerGate && "retry" in answerGate) {
      config.emit({ type: "user_message", text: answerGate.retry, kind: "continue" });
      state.messages.push({ role: "user", content: [{ type: "text", text: answerGate.retry }] });
      continue;
    }
    if (answerGate && "answer" in answerGate) return { status: "completed", answer: answerGate.answer };
    return { status: "completed", answer: textOf(message) };
  }
}

type StepResult = { message: AssistantMessage } | { error: ModelError };

async function streamStep(
  messages: Message[],
  tools: ReturnType<typeof toolSpec>[],
  config: LoopConfig,
): Promise<StepResult> {
  const stream = config.model.stream({
    system: config.system,
    messages,
    tools,
    signal: config.signal,
    sessionId: config.toolContext.sessionId,
    ...(config.effort ? { effort: config.effort } : {}),
    ...(config.maxOutputTokens ? { maxOutputTokens: config.maxOutputTokens } : {}),
  });
  for await (const event of stream) {
    switch (event.type) {
      case "text_delta":
        config.emit({ type: "text_delta", delta: event.delta });
        break;
      case "thinking_delta":
        config.emit({ type: "thinking_delta", delta: event.delta });
        break;
      case "tool_call_start":
        config.emit({ type: "tool_call_delta", callId: event.id, name: event.name, delta: "" });
        break;
      case "tool_call_delta":
        config.emit({ type: "tool_call_delta", callId: event.id, delta: event.delta });
        break;
      case "retry":
        config.emit({ type: "model_retry", attempt: event.attempt, delayMs: event.delayMs, error: errorInfo(event.error) });
        break;
      case "done":
        return { message: event.message };
      case "error":
        return { error: event.error };
    }
  }
  return { error: { kind: "malformed", message: "model stream ended without a result", retryable: false } };
}

/**
 * Runs one step's tool calls. Consecutive read-only calls run in parallel; anything that may
 * change the world runs alone, in order. Results are appended in the calls' order.
 */
async function runToolCalls(calls: ToolCallPart[], state: LoopState, config: LoopConfig): Promise<void> {
  const byName = new Map(config.tools.map((t) => [t.name, t]));
  let i = 0;
  while (i < calls.length) {
    const batch = [calls[i]!];
    const parallel = byName.get(calls[i]!.name)?.readOnly === true;
    while (parallel && i + batch.length < calls.length && byName.get(calls[i + batch.length]!.name)?.readOnly) {
      batch.push(calls[i + batch.length]!);
    }
    const results = await Promise.all(batch.map((call) => runCall(call, byName, config)));
    state.messages.push(...results);
    i += batch.length;
  }
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
  return runTool(tool, call.args, {
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
