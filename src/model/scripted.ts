import { readFileSync } from "node:fs";
import path from "node:path";
import type { ProviderOptions } from "./resolve.js";
import { ConfigError } from "./resolve.js";
import { errorFromStatus } from "./retry.js";
import { Scenario, type ScenarioStep, scenarioArgsText, scenarioCallId } from "./scenario.js";
import type { AssistantPart, Message, Model, ModelEvent, ModelInfo, ModelRequest, Usage } from "./types.js";

/**
 * A deterministic model that plays a scenario file: a first-class provider for tests, demos
 * and users' own tests. Step N answers a request that already holds N assistant messages,
 * so the same scenario replays correctly after a resume.
 */
export function createModel(id: string, info: ModelInfo, _options?: ProviderOptions): Model {
  const scenario = loadScenario(info.name);
  return createScriptedModel(scenario, id, info);
}

export function loadScenario(file: string): Scenario {
  const absolute = path.resolve(file);
  let text: string;
  try {
    text = readFileSync(absolute, "utf8");
  } catch {
    throw new ConfigError(`scenario file not found: ${absolute}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`scenario ${absolute} is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = Scenario.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(`scenario ${absolute}: ${issue.path.join(".") || "root"}: ${issue.message}`);
  }
  return parsed.data;
}

export function createScriptedModel(scenario: Scenario, id = "scripted:inline", info?: ModelInfo): Model {
  const modelInfo: ModelInfo = info ?? {
    name: "inline",
    api: "scripted",
    contextWindow: 200_000,
    maxOutput: 32_000,
    price: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 },
    capabilities: { tools: true, images: true, reasoning: "none" },
  };
  return { id, info: modelInfo, stream: (request) => play(scenario, id, request) };
}

async function* play(scenario: Scenario, id: string, request: ModelRequest): AsyncGenerator<ModelEvent> {
  const index = turnsOf(request.messages);
  const step = scenario.steps[index];
  if (!step) {
    yield scenarioError(`scenario has ${scenario.steps.length} steps but the model was asked for step ${index + 1}`);
    return;
  }
  const failure = checkExpectations(step, request, index);
  if (failure) {
    yield scenarioError(failure);
    return;
  }
  const signal = request.signal;
  if (step.delayMs && !(await pause(step.delayMs, signal))) return yield aborted();
  if (step.error) {
    yield { type: "error", error: { ...errorFromStatus(step.error.status, step.error.message), retryable: false } };
    return;
  }
  const delay = scenario.chunkDelayMs ?? 0;
  const content: AssistantPart[] = [];
  if (step.thinking) {
    for (const chunk of chunks(step.thinking)) {
      if (delay && !(await pause(delay, signal))) return yield aborted();
      yield { type: "thinking_delta", delta: chunk };
    }
    content.push({ type: "thinking", text: step.thinking });
  }
  if (step.text) {
    for (const chunk of chunks(step.text)) {
      if (delay && !(await pause(delay, signal))) return yield aborted();
      yield { type: "text_delta", delta: chunk };
    }
    content.push({ type: "text", text: step.text });
  }
  for (const [i, call] of (step.toolCalls ?? []).entries()) {
    const callId = scenarioCallId(call, index, i);
    const argsText = scenarioArgsText(call);
    yield { type: "tool_call_start", id: callId, name: call.name };
    yield { type: "tool_call_delta", id: callId, delta: argsText };
    content.push(parseCall(callId, call.name, argsText));
  }
  if (signal?.aborted) return yield aborted();
  yield {
    type: "done",
    message: {
      role: "assistant",
      content,
      model: id,
      api: "scripted",
      stopReason: step.toolCalls?.length ? "tool_use" : "end",
      usage: usageFor(step, request),
    },
  };
}

function parseCall(id: string, name: string, argsText: string): AssistantPart {
  try {
    return { type: "tool_call", id, name, args: JSON.parse(argsText) };
  } catch {
    return { type: "tool_call", id, name, args: {}, invalidArgs: argsText };
  }
}

/**
 * Which scenario step answers: the assistant turns so far, counting those a compaction
 * handoff stands for, so a compacted session keeps its place in the scenario.
 */
function turnsOf(messages: Message[]): number {
  let n = 0;
  for (const m of messages) n += m.role === "assistant" ? 1 : m.role === "user" ? (m.handoff?.turns ?? 0) : 0;
  return n;
}

/** Serialised sizes, remembered per object: a long session must not re-serialise its whole history each step. */
const charsCache = new WeakMap<object, number>();
function charsOf(value: object): number {
  let n = charsCache.get(value);
  if (n === undefined) {
    n = JSON.stringify(value).length;
    charsCache.set(value, n);
  }
  return n;
}

/** Deterministic token counts: about four characters a token, as real tokenizers average. */
function usageFor(step: ScenarioStep, request: ModelRequest): Usage {
  let promptChars = request.system.length + charsOf(request.tools);
  for (const m of request.messages) promptChars += charsOf(m) + 1;
  const outputChars = (step.thinking?.length ?? 0) + (step.text?.length ?? 0) + JSON.stringify(step.toolCalls ?? []).length;
  return {
    input: step.usage?.input ?? Math.ceil(promptChars / 4),
    output: step.usage?.output ?? Math.ceil(outputChars / 4),
    cacheRead: 0,
    cacheWrite: 0,
    reasoning: Math.ceil((step.thinking?.length ?? 0) / 4),
  };
}

/** Text of the messages after the newest assistant message: what the model is answering. */
function newestInput(messages: Message[]): string {
  const parts: string[] = [];
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i]!;
    if (m.role === "assistant") break;
    for (const p of m.content) if (p.type === "text") parts.unshift(p.text);
  }
  return parts.join("\n");
}

function checkExpectations(step: ScenarioStep, request: ModelRequest, index: number): string | undefined {
  const expect = step.expect;
  if (!expect) return undefined;
  const where = `scenario step ${index + 1}`;
  const input = newestInput(request.messages);
  for (const needle of expect.lastMessageIncludes ?? []) {
    if (!input.includes(needle)) return `${where} expected the input to include ${JSON.stringify(needle)}; got: ${clip(input)}`;
  }
  for (const needle of expect.systemIncludes ?? []) {
    if (!request.system.includes(needle)) return `${where} expected the system prompt to include ${JSON.stringify(needle)}`;
  }
  if (expect.toolResultsOk !== undefined) {
    const results = trailingToolResults(request.messages);
    const allOk = results.length > 0 && results.every((r) => !r.isError);
    if (allOk !== expect.toolResultsOk) {
      return `${where} expected tool results to ${expect.toolResultsOk ? "succeed" : "include a failure"}; got: ${clip(input)}`;
    }
  }
  return undefined;
}

function trailingToolResults(messages: Message[]) {
  const results = [];
  for (let i = messages.length - 1; i >= 0 && messages[i]!.role !== "assistant"; i--) {
    const m = messages[i]!;
    if (m.role === "tool") results.push(m);
  }
  return results;
}

const clip = (s: string) => (s.length > 300 ? `${s.slice(0, 300)}…` : s);

function* chunks(text: string): Generator<string> {
  const pieces = text.match(/\S+\s*|\s+/g) ?? [text];
  for (let i = 0; i < pieces.length; i += 3) yield pieces.slice(i, i + 3).join("");
}

const scenarioError = (message: string): ModelEvent => ({
  type: "error",
  error: { kind: "scenario", message, retryable: false },
});

const aborted = (): ModelEvent => ({ type: "error", error: { kind: "aborted", message: "aborted", retryable: false } });

function pause(ms: number, signal?: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve(false);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve(true);
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
