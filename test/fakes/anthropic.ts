import type http from "node:http";
import { type Scenario, type ScenarioStep, scenarioArgsText, scenarioCallId } from "../../src/model/scenario.js";
import {
  type FakeServer,
  type FakeTurn,
  hang,
  type RecordedRequest,
  splitInto,
  sseFrame,
  startFakeServer,
  streamSse,
  writeJson,
} from "./http.js";

/**
 * A protocol-faithful fake of POST /v1/messages (Anthropic Messages API, streaming).
 * It requires an API key (x-api-key or Authorization: Bearer) and an anthropic-version header.
 * Frames follow the documented order: message_start, ping, per block content_block_start /
 * content_block_delta… / content_block_stop, message_delta, message_stop. Errors use the
 * real body shape {type: "error", error: {type, message}} and a request-id header.
 * FakeTurn's `cutAfter` / `malformedAt` count frames: 0 is message_start, 1 the ping, 2 the
 * first content_block_start, and so on.
 */

/** A FakeTurn plus timing, so a step can be slow (steering, abort and crash tests). */
export type AnthropicFakeTurn = FakeTurn & {
  /** Wait this long before answering, ms. */
  delayMs?: number;
  /** Pause between SSE frames, ms. */
  chunkDelayMs?: number;
  /** Server-side compaction (beta compact-2026-01-12): a compaction block opens the reply. */
  compaction?: { content: string; encryptedContent?: string };
};

export type AnthropicFakeScript = AnthropicFakeTurn[] | ((req: RecordedRequest, index: number) => AnthropicFakeTurn);

export interface AnthropicFakeOptions {
  /** Default pause between SSE frames, ms (a turn's chunkDelayMs wins). */
  chunkDelayMs?: number;
  /** The model name echoed in message_start when the request names none. */
  model?: string;
  /** What POST /v1/messages/count_tokens answers (default: a quarter of the body's length). */
  countTokens?: (req: RecordedRequest) => number;
}

type ReplyTurn = Extract<FakeTurn, { kind: "reply" }>;
type ToolCall = NonNullable<ReplyTurn["toolCalls"]>[number];

const ERROR_TYPES: Record<number, string> = {
  400: "invalid_request_error",
  401: "authentication_error",
  402: "billing_error",
  403: "permission_error",
  404: "not_found_error",
  413: "request_too_large",
  429: "rate_limit_error",
  500: "api_error",
  504: "timeout_error",
  529: "overloaded_error",
};

const ERROR_MESSAGES: Record<number, string> = {
  429: "Number of request tokens has exceeded your per-minute rate limit",
  500: "Internal server error",
  529: "Overloaded",
};

/** The error body the API sends for `status`. */
export function anthropicErrorBody(status: number, message: string): { type: "error"; error: { type: string; message: string } } {
  const type = ERROR_TYPES[status] ?? (status >= 500 ? "api_error" : "invalid_request_error");
  return { type: "error", error: { type, message } };
}

export async function startAnthropicFake(script: AnthropicFakeScript, opts: AnthropicFakeOptions = {}): Promise<FakeServer> {
  let served = 0;
  return startFakeServer(async (req, res) => {
    const requestId = `req_fake_${String(served + 1).padStart(4, "0")}`;
    if (req.method === "POST" && req.path === "/v1/messages/count_tokens") {
      const counted = opts.countTokens?.(req) ?? Math.ceil(req.rawBody.length / 4);
      writeJson(res, 200, { input_tokens: counted }, { "request-id": requestId });
      return;
    }
    const refusal = checkRequest(req);
    if (refusal) {
      writeJson(res, refusal.status, anthropicErrorBody(refusal.status, refusal.message), { "request-id": requestId });
      return;
    }
    const index = served++;
    const turn = pickTurn(script, req, index);
    if (turn.delayMs) await new Promise((r) => setTimeout(r, turn.delayMs));
    if (turn.kind === "error") {
      const body = turn.body ?? anthropicErrorBody(turn.status, ERROR_MESSAGES[turn.status] ?? `fake error ${turn.status}`);
      writeJson(res, turn.status, body, { "request-id": requestId, ...turn.headers });
      return;
    }
    if (turn.kind === "hang") return hang(res);
    await reply(res, req, turn, index, requestId, opts);
  });
}

/** Auth, version and route checks, answered the way the real API answers them. */
function checkRequest(req: RecordedRequest): { status: number; message: string } | undefined {
  if (req.method !== "POST" || req.path !== "/v1/messages") return { status: 404, message: "Not found" };
  // SDK 1.x sends the key as `Authorization: Bearer …`; curl examples use `x-api-key`. Both count.
  if (!apiKeyOf(req)) return { status: 401, message: "x-api-key header is required" };
  if (!req.headers["anthropic-version"]) return { status: 400, message: "anthropic-version: header is required" };
  if (!isRecord(req.body)) return { status: 400, message: "There was an error parsing the body of your request" };
  return checkTools(req);
}

/** The betas that unlock Anthropic's built-in computer tool versions. */
const COMPUTER_TOOL_BETAS: Record<string, string> = { computer_20251124: "computer-use-2025-11-24", computer_20250124: "computer-use-2025-01-24" };

/**
 * Custom tools need a name and an input_schema; a built-in computer tool needs its beta header,
 * the name "computer" and integer display sizes, and takes no schema (the API rejects one).
 */
function checkTools(req: RecordedRequest): { status: number; message: string } | undefined {
  const tools = (req.body as Record<string, unknown>).tools;
  if (!Array.isArray(tools)) return undefined;
  const betas = String(req.headers["anthropic-beta"] ?? "").split(",").map((b) => b.trim());
  for (const [i, tool] of tools.entries()) {
    if (!isRecord(tool)) return { status: 400, message: `tools.${i}: Input should be an object` };
    const type = typeof tool.type === "string" ? tool.type : "custom";
    if (type === "custom") {
      if (typeof tool.name !== "string" || !isRecord(tool.input_schema)) return { status: 400, message: `tools.${i}.custom.input_schema: Field required` };
      continue;
    }
    const beta = COMPUTER_TOOL_BETAS[type];
    if (!beta) return { status: 400, message: `tools.${i}: Input tag '${type}' found using 'type' does not match any of the expected tags` };
    if (!betas.includes(beta)) return { status: 400, message: `tools.${i}: '${type}' requires the beta header '${beta}'` };
    if (tool.name !== "computer") return { status: 400, message: `tools.${i}.${type}.name: Input should be 'computer'` };
    if (!Number.isInteger(tool.display_width_px) || !Number.isInteger(tool.display_height_px)) {
      return { status: 400, message: `tools.${i}.${type}.display_width_px: Field required` };
    }
    if ("input_schema" in tool) return { status: 400, message: `tools.${i}.${type}.input_schema: Extra inputs are not permitted` };
  }
  return undefined;
}

/** The API key a request carries, from `x-api-key` or `authorization: Bearer`. */
export function apiKeyOf(req: RecordedRequest): string | undefined {
  const direct = req.headers["x-api-key"];
  if (typeof direct === "string" && direct) return direct;
  const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? "");
  return bearer?.[1];
}

function pickTurn(script: AnthropicFakeScript, req: RecordedRequest, index: number): AnthropicFakeTurn {
  if (typeof script === "function") return script(req, index);
  return (
    script[index] ?? {
      kind: "error",
      status: 400,
      body: anthropicErrorBody(400, `anthropic fake: no scripted turn for request #${index + 1}`),
    }
  );
}

async function reply(
  res: http.ServerResponse,
  req: RecordedRequest,
  turn: ReplyTurn & AnthropicFakeTurn,
  index: number,
  requestId: string,
  opts: AnthropicFakeOptions,
): Promise<void> {
  const body = req.body as Record<string, unknown>;
  const model = typeof body.model === "string" ? body.model : (opts.model ?? "claude-opus-4-6");
  const events = anthropicReplyEvents(turn, { model, index, inputTokens: Math.ceil(req.rawBody.length / 4) });
  if (turn.compaction) addCompaction(events, turn.compaction);
  if (body.stream !== true) {
    writeJson(res, 200, finalMessage(events), { "request-id": requestId });
    return;
  }
  const frames = events.map((e) => sseFrame(e, e.type));
  if (turn.malformedAt !== undefined && frames[turn.malformedAt]) {
    const type = events[turn.malformedAt]!.type;
    frames[turn.malformedAt] = `event: ${type}\ndata: {"type":"${type}", this is not json}\n\n`;
  }
  const delayMs = turn.chunkDelayMs ?? opts.chunkDelayMs;
  await streamSse(res, frames, {
    headers: { "request-id": requestId },
    ...(turn.cutAfter !== undefined ? { cutAfter: turn.cutAfter } : {}),
    ...(turn.stallAfter !== undefined ? { stallAfter: turn.stallAfter } : {}),
    ...(delayMs ? { delayMs } : {}),
  });
}

// ── the event sequence of one reply ──────────────────────────────────────────────────

export type WireEvent = { type: string } & Record<string, unknown>;

/** The SSE events (as JSON objects) the API would send for `turn`, in order. */
export function anthropicReplyEvents(
  turn: ReplyTurn,
  ctx: { model: string; index: number; inputTokens?: number },
): WireEvent[] {
  const u = turn.usage ?? {};
  const input = u.input ?? ctx.inputTokens ?? 10;
  const cacheRead = u.cacheRead ?? 0;
  const cacheWrite = u.cacheWrite ?? 0;
  const blocks = blockEvents(turn, ctx.index);
  const output = u.output ?? Math.max(1, Math.ceil(outputChars(turn) / 4));
  const usage = { input_tokens: input, cache_creation_input_tokens: cacheWrite, cache_read_input_tokens: cacheRead };
  const message = {
    id: `msg_fake${String(ctx.index + 1).padStart(4, "0")}`,
    type: "message",
    role: "assistant",
    model: ctx.model,
    content: [],
    stop_reason: null,
    stop_sequence: null,
    usage: { ...usage, output_tokens: 1 },
  };
  const stopReason = turn.toolCalls?.length ? "tool_use" : "end_turn";
  return [
    { type: "message_start", message },
    { type: "ping" },
    ...blocks,
    { type: "message_delta", delta: { stop_reason: stopReason, stop_sequence: null }, usage: { ...usage, output_tokens: output } },
    { type: "message_stop" },
  ];
}

/**
 * Puts a compaction block first, streamed as the API does (content_block_start with empty
 * content, one compaction_delta with the whole summary, content_block_stop), renumbers the
 * other blocks, and reports usage in iterations (the compaction pass, then the answer).
 */
function addCompaction(events: WireEvent[], compaction: NonNullable<AnthropicFakeTurn["compaction"]>): void {
  for (const e of events) if (typeof e.index === "number") e.index += 1;
  const encrypted = compaction.encryptedContent ?? `enc_${Buffer.from(compaction.content.slice(0, 16)).toString("base64")}`;
  events.splice(
    2,
    0,
    { type: "content_block_start", index: 0, content_block: { type: "compaction", content: null, encrypted_content: null } },
    { type: "content_block_delta", index: 0, delta: { type: "compaction_delta", content: compaction.content, encrypted_content: encrypted } },
    { type: "content_block_stop", index: 0 },
  );
  const delta = events.find((e) => e.type === "message_delta")!;
  const usage = delta.usage as Record<string, number>;
  const pass = { type: "compaction", input_tokens: usage.input_tokens! * 2, output_tokens: 200, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 };
  const answer = { type: "message", ...usage };
  delta.usage = { ...usage, iterations: [pass, answer] };
}

function blockEvents(turn: ReplyTurn, turnIndex: number): WireEvent[] {
  const events: WireEvent[] = [];
  const add = (start: Record<string, unknown>, deltas: Record<string, unknown>[]) => {
    const index = events.filter((e) => e.type === "content_block_start").length;
    events.push({ type: "content_block_start", index, content_block: start });
    for (const delta of deltas) events.push({ type: "content_block_delta", index, delta });
    events.push({ type: "content_block_stop", index });
  };
  if (turn.thinking !== undefined) {
    const pieces = splitInto(turn.thinking, 3).map((thinking) => ({ type: "thinking_delta", thinking }));
    const signature = { type: "signature_delta", signature: fakeSignature(turn.thinking) };
    add({ type: "thinking", thinking: "", signature: "" }, [...pieces, signature]);
  }
  if (turn.redactedThinking !== undefined) add({ type: "redacted_thinking", data: turn.redactedThinking }, []);
  if (turn.text) {
    add({ type: "text", text: "" }, splitInto(turn.text, 4).map((text) => ({ type: "text_delta", text })));
  }
  for (const [i, call] of (turn.toolCalls ?? []).entries()) {
    const id = call.id ?? `toolu_fake_${turnIndex}_${i}`;
    add({ type: "tool_use", id, name: call.name, input: {} }, jsonPieces(call).map((partial_json) => ({ type: "input_json_delta", partial_json })));
  }
  return events;
}

/** Like the API: an empty first piece, then the JSON text in several pieces. */
function jsonPieces(call: ToolCall): string[] {
  const text = call.rawArgs ?? JSON.stringify(call.args ?? {});
  return ["", ...splitInto(text, 6)];
}

/** Opaque and deterministic, like a real signature looks to a client. */
function fakeSignature(thinking: string): string {
  return `EqQBCkYIBxgC${Buffer.from(thinking.slice(0, 24)).toString("base64")}`;
}

function outputChars(turn: ReplyTurn): number {
  const calls = (turn.toolCalls ?? []).reduce((n, c) => n + (c.rawArgs ?? JSON.stringify(c.args ?? {})).length, 0);
  return (turn.thinking?.length ?? 0) + (turn.text?.length ?? 0) + calls;
}

/** The non-streaming response: the same reply folded into one Message object. */
function finalMessage(events: WireEvent[]): Record<string, unknown> {
  const start = events[0]!.message as Record<string, unknown>;
  const delta = events.find((e) => e.type === "message_delta")!;
  const content: Record<string, unknown>[] = [];
  for (const e of events) {
    if (e.type === "content_block_start") content.push({ ...(e.content_block as Record<string, unknown>) });
    if (e.type !== "content_block_delta") continue;
    const block = content.at(-1)!;
    const d = e.delta as Record<string, string>;
    if (d.type === "text_delta") block.text = `${block.text}${d.text}`;
    if (d.type === "thinking_delta") block.thinking = `${block.thinking}${d.thinking}`;
    if (d.type === "signature_delta") block.signature = d.signature;
    if (d.type === "input_json_delta") block.json = `${block.json ?? ""}${d.partial_json}`;
  }
  for (const block of content) {
    if (block.type !== "tool_use") continue;
    block.input = safeParse(String(block.json ?? "")) ?? {};
    delete block.json;
  }
  return { ...start, content, ...(delta.delta as object), usage: delta.usage };
}

// ── scenarios ────────────────────────────────────────────────────────────────────────

/**
 * A script that plays `scenario`: step N answers the request that already holds N assistant
 * messages, so retries and resumed sessions get the same answer. Use it as
 * `startAnthropicFake(anthropicFakeFromScenario(scenario))`.
 */
export function anthropicFakeFromScenario(scenario: Scenario): (req: RecordedRequest) => AnthropicFakeTurn {
  return (req) => {
    const body = isRecord(req.body) ? req.body : {};
    const messages = Array.isArray(body.messages) ? (body.messages as WireMessage[]) : [];
    const n = messages.filter((m) => m.role === "assistant").length;
    const step = scenario.steps[n];
    if (!step) return badRequest(`scenario${scenario.name ? ` "${scenario.name}"` : ""} has no step ${n + 1} (it has ${scenario.steps.length})`);
    const failed = expectationFailure(step, body, messages);
    if (failed) return badRequest(`scenario step ${n + 1}: ${failed}`);
    return stepTurn(step, n, scenario.chunkDelayMs);
  };
}

function stepTurn(step: ScenarioStep, n: number, chunkDelayMs?: number): AnthropicFakeTurn {
  const timing = { ...(step.delayMs ? { delayMs: step.delayMs } : {}), ...(chunkDelayMs ? { chunkDelayMs } : {}) };
  if (step.error) {
    return { kind: "error", status: step.error.status, body: anthropicErrorBody(step.error.status, step.error.message), ...timing };
  }
  const toolCalls = (step.toolCalls ?? []).map((call, i) => ({
    id: scenarioCallId(call, n, i),
    name: call.name,
    rawArgs: scenarioArgsText(call),
  }));
  return {
    kind: "reply",
    ...(step.thinking !== undefined ? { thinking: step.thinking } : {}),
    ...(step.text !== undefined ? { text: step.text } : {}),
    ...(toolCalls.length ? { toolCalls } : {}),
    ...(step.usage ? { usage: step.usage } : {}),
    ...timing,
  };
}

const badRequest = (message: string): AnthropicFakeTurn => ({ kind: "error", status: 400, body: anthropicErrorBody(400, message) });

interface WireMessage {
  role: string;
  content: string | Array<Record<string, unknown>>;
}

/** Checks a step's `expect` against the wire request; returns what failed, if anything. */
function expectationFailure(step: ScenarioStep, body: Record<string, unknown>, messages: WireMessage[]): string | undefined {
  const expect = step.expect;
  if (!expect) return undefined;
  const system = systemText(body.system);
  for (const s of expect.systemIncludes ?? []) if (!system.includes(s)) return `system prompt lacks "${s}"`;
  const newest = messages.at(-1);
  const blocks = newest?.role === "user" ? asBlocks(newest.content) : [];
  const text = blocks.map(blockText).join("\n");
  for (const s of expect.lastMessageIncludes ?? []) if (!text.includes(s)) return `newest message lacks "${s}"`;
  if (expect.toolResultsOk !== undefined) {
    const results = blocks.filter((b) => b.type === "tool_result");
    const ok = results.length > 0 && results.every((b) => b.is_error !== true);
    if (ok !== expect.toolResultsOk) return `expected tool results to ${expect.toolResultsOk ? "succeed" : "include a failure"}`;
  }
  return undefined;
}

function systemText(system: unknown): string {
  if (typeof system === "string") return system;
  return Array.isArray(system) ? system.map((b) => blockText(b as Record<string, unknown>)).join("\n") : "";
}

function asBlocks(content: WireMessage["content"]): Array<Record<string, unknown>> {
  return typeof content === "string" ? [{ type: "text", text: content }] : content;
}

function blockText(block: Record<string, unknown>): string {
  if (block.type === "text") return String(block.text ?? "");
  if (block.type !== "tool_result") return "";
  const content = block.content;
  if (typeof content === "string") return content;
  return Array.isArray(content) ? content.map((b) => blockText(b as Record<string, unknown>)).join("\n") : "";
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
