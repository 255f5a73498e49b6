import type http from "node:http";
import { type Scenario, type ScenarioStep, scenarioArgsText, scenarioCallId } from "../../src/model/scenario.js";
import { type FakeServer, type FakeTurn, hang, type RecordedRequest, splitInto, sseFrame, startFakeServer, streamSse, writeJson } from "./http.js";

/**
 * A fake Chat Completions server (POST /v1/chat/completions, SSE), the wire format Ollama,
 * llama.cpp server, vLLM and LM Studio speak. Flavors reproduce what each really sends:
 * - "openai" (also vLLM): role chunk with content "", thinking as `reasoning_content`, tool calls
 *   streamed piecewise by index, usage in its own chunk with empty `choices`;
 * - "ollama": thinking as `reasoning`, each tool call whole in one delta, usage chunk apart;
 * - "llamacpp": role chunk with content null, `reasoning_content`, piecewise tool calls, usage
 *   (and `timings`) on the finish chunk itself.
 * A scripted tool call with `id: ""` is sent without an id (servers that omit it); an absent
 * id gets `call_<request>_<n>`.
 */
export type CompatibleFlavor = "openai" | "ollama" | "llamacpp";

export interface CompatibleFakeOptions {
  flavor?: CompatibleFlavor;
  /** Pause between SSE frames, ms. */
  chunkDelayMs?: number;
}

export type CompatibleScript = FakeTurn[] | ((req: RecordedRequest, index: number) => FakeTurn);

type ReplyTurn = Extract<FakeTurn, { kind: "reply" }>;

const CHAT_PATH = "/v1/chat/completions";

export function startCompatibleFake(script: CompatibleScript, opts: CompatibleFakeOptions = {}): Promise<FakeServer> {
  let index = 0;
  return startFakeServer(async (req, res) => {
    if (!isChatRequest(req, res)) return;
    const n = index++;
    const turn = typeof script === "function" ? script(req, n) : script[n];
    if (!turn) return writeError(res, 400, `fake: no scripted turn for request ${n}`);
    await answer(req, res, turn, n, opts);
  });
}

/** Plays a Scenario: step N answers the request that already holds N assistant messages. */
export function compatibleFakeFromScenario(scenario: Scenario, opts: Omit<CompatibleFakeOptions, "chunkDelayMs"> = {}): Promise<FakeServer> {
  return startFakeServer(async (req, res) => {
    if (!isChatRequest(req, res)) return;
    const messages = bodyMessages(req);
    const n = messages.filter((m) => m.role === "assistant").length;
    const step = scenario.steps[n];
    if (!step) return writeError(res, 400, `scenario has no step ${n} (it has ${scenario.steps.length})`);
    const failed = unmetExpectation(step, messages);
    if (failed) return writeError(res, 400, `scenario step ${n}: ${failed}`);
    if (step.delayMs) await new Promise((r) => setTimeout(r, step.delayMs));
    await answer(req, res, turnFromStep(step, n), n, { ...opts, chunkDelayMs: scenario.chunkDelayMs ?? 0 });
  });
}

function turnFromStep(step: ScenarioStep, n: number): FakeTurn {
  if (step.error) return { kind: "error", status: step.error.status, body: errorBody(step.error.status, step.error.message) };
  return {
    kind: "reply",
    ...(step.thinking ? { thinking: step.thinking } : {}),
    ...(step.text ? { text: step.text } : {}),
    toolCalls: (step.toolCalls ?? []).map((call, i) => ({
      id: scenarioCallId(call, n, i),
      name: call.name,
      rawArgs: scenarioArgsText(call),
    })),
    ...(step.usage ? { usage: step.usage } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// Requests

interface WireMessage {
  role: string;
  content?: unknown;
}

function isChatRequest(req: RecordedRequest, res: http.ServerResponse): boolean {
  if (req.method === "POST" && req.path === CHAT_PATH) return true;
  writeError(res, 404, `fake: no route ${req.method} ${req.path}`);
  return false;
}

function bodyMessages(req: RecordedRequest): WireMessage[] {
  const body = req.body as { messages?: WireMessage[] } | undefined;
  return Array.isArray(body?.messages) ? body.messages : [];
}

const wantsUsage = (req: RecordedRequest): boolean =>
  (req.body as { stream_options?: { include_usage?: boolean } } | undefined)?.stream_options?.include_usage === true;

/** Text of a message's content, whether a string or an array of parts. */
function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content.map((p: { text?: unknown }) => (typeof p?.text === "string" ? p.text : "")).join("\n");
}

/**
 * The scenario's checks this wire format can express. `toolResultsOk` is not checked: a Chat
 * Completions tool message has no error flag.
 */
function unmetExpectation(step: ScenarioStep, messages: WireMessage[]): string | undefined {
  const expect = step.expect;
  if (!expect) return undefined;
  const lastAssistant = messages.map((m) => m.role).lastIndexOf("assistant");
  const newest = messages.slice(lastAssistant + 1).filter((m) => m.role !== "system");
  const newestText = newest.map((m) => contentText(m.content)).join("\n");
  for (const s of expect.lastMessageIncludes ?? []) {
    if (!newestText.includes(s)) return `expected the newest message(s) to include ${JSON.stringify(s)}`;
  }
  const system = messages.filter((m) => m.role === "system").map((m) => contentText(m.content)).join("\n");
  for (const s of expect.systemIncludes ?? []) {
    if (!system.includes(s)) return `expected the system prompt to include ${JSON.stringify(s)}`;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Responses

async function answer(req: RecordedRequest, res: http.ServerResponse, turn: FakeTurn, n: number, opts: CompatibleFakeOptions): Promise<void> {
  if (turn.kind === "error") {
    writeJson(res, turn.status, turn.body ?? errorBody(turn.status, `fake error ${turn.status}`), turn.headers ?? {});
    return;
  }
  if (turn.kind === "hang") return hang(res);
  const frames = replyFrames(turn, n, opts.flavor ?? "openai", modelName(req), wantsUsage(req));
  if (turn.malformedAt !== undefined && turn.malformedAt < frames.length) {
    frames[turn.malformedAt] = 'data: {"id":"chatcmpl-broken","choices":[{"delta":\n\n';
  }
  await streamSse(res, frames, {
    ...(turn.cutAfter !== undefined ? { cutAfter: turn.cutAfter } : {}),
    ...(turn.stallAfter !== undefined ? { stallAfter: turn.stallAfter } : {}),
    ...(opts.chunkDelayMs ? { delayMs: opts.chunkDelayMs } : {}),
  });
}

const modelName = (req: RecordedRequest): string => (req.body as { model?: string } | undefined)?.model ?? "fake-model";

/** The whole SSE reply for one turn, `[DONE]` included. */
export function replyFrames(turn: ReplyTurn, n: number, flavor: CompatibleFlavor, model: string, includeUsage: boolean): string[] {
  const chunk = (delta: Record<string, unknown>, finish: string | null = null, extra: Record<string, unknown> = {}) =>
    sseFrame({
      id: `chatcmpl-${n}`,
      object: "chat.completion.chunk",
      created: 1_760_000_000,
      model,
      ...(flavor === "ollama" ? { system_fingerprint: "fp_ollama" } : {}),
      choices: [{ index: 0, delta, finish_reason: finish }],
      ...extra,
    });
  const frames = [chunk({ role: "assistant", content: flavor === "llamacpp" ? null : "" })];
  const thinkingField = flavor === "ollama" ? "reasoning" : "reasoning_content";
  for (const piece of splitInto(turn.thinking ?? "", 4)) frames.push(chunk({ [thinkingField]: piece }));
  for (const piece of splitInto(turn.text ?? "", 4)) frames.push(chunk({ content: piece }));
  for (const delta of toolCallDeltas(turn, n, flavor)) frames.push(chunk({ tool_calls: [delta] }));
  const finish = turn.toolCalls?.length ? "tool_calls" : "stop";
  const usage = includeUsage ? { usage: wireUsage(turn) } : {};
  if (flavor === "llamacpp") {
    frames.push(chunk({}, finish, { ...usage, timings: { prompt_n: 10, predicted_n: 5 } }));
  } else {
    frames.push(chunk({}, finish));
    if (includeUsage) frames.push(sseFrame({ id: `chatcmpl-${n}`, object: "chat.completion.chunk", created: 1_760_000_000, model, choices: [], ...usage }));
  }
  frames.push(sseFrame("[DONE]"));
  return frames;
}

/** Piecewise by index (first delta: id, type, name; then argument fragments), or whole (Ollama). */
function toolCallDeltas(turn: ReplyTurn, n: number, flavor: CompatibleFlavor): Record<string, unknown>[] {
  const deltas: Record<string, unknown>[] = [];
  (turn.toolCalls ?? []).forEach((call, index) => {
    const id = call.id ?? `call_${n}_${index}`;
    const head = { index, ...(id ? { id } : {}), type: "function" };
    const args = call.rawArgs ?? JSON.stringify(call.args ?? {});
    if (flavor === "ollama") {
      deltas.push({ ...head, function: { name: call.name, arguments: args } });
      return;
    }
    deltas.push({ ...head, function: { name: call.name, arguments: "" } });
    for (const piece of splitInto(args, 5)) deltas.push({ index, function: { arguments: piece } });
  });
  return deltas;
}

function wireUsage(turn: ReplyTurn): Record<string, unknown> {
  const u = turn.usage ?? {};
  const cached = u.cacheRead ?? 0;
  const prompt = (u.input ?? 10) + cached + (u.cacheWrite ?? 0);
  const completion = u.output ?? 5;
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    ...(cached ? { prompt_tokens_details: { cached_tokens: cached } } : {}),
    ...(u.reasoning ? { completion_tokens_details: { reasoning_tokens: u.reasoning } } : {}),
  };
}

function errorType(status: number): string {
  if (status === 429) return "rate_limit_error";
  if (status === 401 || status === 403) return "authentication_error";
  return status >= 500 ? "server_error" : "invalid_request_error";
}

export function errorBody(status: number, message: string): { error: { message: string; type: string; code: string | null } } {
  return { error: { message, type: errorType(status), code: status === 429 ? "rate_limit_exceeded" : null } };
}

function writeError(res: http.ServerResponse, status: number, message: string): void {
  writeJson(res, status, errorBody(status, message));
}
