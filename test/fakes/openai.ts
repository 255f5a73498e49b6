import { randomBytes } from "node:crypto";
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
 * A fake OpenAI Responses API (POST /v1/responses) that streams the way OpenAI documents it:
 * `event: <type>` + `data: <json>` frames, each event with `type` and an increasing
 * `sequence_number`, no `[DONE]`, and the full response object in `response.completed`.
 */

/** A reply with pacing, as the scenario fake needs it. */
type PacedReply = Extract<FakeTurn, { kind: "reply" }> & { delayMs?: number; chunkDelayMs?: number };

/** FakeTurn plus the OpenAI-only endings a test may script. */
export type OpenAIFakeTurn =
  | PacedReply
  | Extract<FakeTurn, { kind: "error" }>
  | Extract<FakeTurn, { kind: "hang" }>
  /** Streams `text` (if any), then fails with `response.failed` or an `error` event. */
  | { kind: "failed"; event: "response.failed" | "error"; code: string; message: string; text?: string }
  /** Streams `text`, then `response.incomplete` with this reason. */
  | { kind: "incomplete"; reason: "max_output_tokens" | "content_filter"; text: string }
  /** Starts a reply with `text`, then sends nothing more until the client hangs up. */
  | { kind: "stall"; text: string };

export type OpenAIScript = OpenAIFakeTurn[] | ((req: RecordedRequest, index: number) => OpenAIFakeTurn);

export interface OpenAIFakeServer extends FakeServer {
  /** The final response object of each streamed reply, as sent (to compare replayed items with). */
  responses: Record<string, unknown>[];
}

export interface OpenAIFakeWithCompact extends OpenAIFakeServer {
  /** The bodies returned by POST /v1/responses/compact, in order. */
  compactions: Record<string, unknown>[];
}

const id = (prefix: string, bytes = 12): string => `${prefix}_${randomBytes(bytes).toString("hex")}`;

export async function startOpenAIFake(script: OpenAIScript): Promise<OpenAIFakeWithCompact> {
  let index = 0;
  const responses: Record<string, unknown>[] = [];
  const compactions: Record<string, unknown>[] = [];
  const server = await startFakeServer(async (req, res) => {
    if (req.method === "POST" && req.path === "/v1/responses/compact") {
      if (!/^Bearer \S+/.test(String(req.headers.authorization ?? ""))) {
        return writeJson(res, 401, errorBody("You didn't provide an API key.", "invalid_request_error", "invalid_api_key"), requestIdHeader());
      }
      const body = compactBody(asObject(req.body));
      compactions.push(body);
      return writeJson(res, 200, body, requestIdHeader());
    }
    if (req.method !== "POST" || req.path !== "/v1/responses") {
      return writeJson(res, 404, errorBody(`Invalid URL (${req.method} ${req.path})`, "invalid_request_error", null), requestIdHeader());
    }
    if (!/^Bearer \S+/.test(String(req.headers.authorization ?? ""))) {
      const message = "You didn't provide an API key. You need to provide your API key in an Authorization header.";
      return writeJson(res, 401, errorBody(message, "invalid_request_error", "invalid_api_key"), requestIdHeader());
    }
    const refused = computerUseProblem(asObject(req.body));
    if (refused) return writeJson(res, 400, errorBody(refused, "invalid_request_error", null), requestIdHeader());
    const n = index++;
    const turn = typeof script === "function" ? script(req, n) : script[n];
    if (!turn) {
      const message = `fake openai: no scripted turn for request ${n}`;
      return writeJson(res, 400, errorBody(message, "invalid_request_error", null), requestIdHeader());
    }
    await answer(turn, req, res, responses);
  });
  return { ...server, responses, compactions };
}

/**
 * What POST /v1/responses/compact returns: every user message of the input, then one
 * encrypted compaction item (opaque to clients; it must come back unchanged).
 */
function compactBody(body: Record<string, unknown>): Record<string, unknown> {
  const input = Array.isArray(body.input) ? body.input.map(asObject) : [];
  const users = input.filter((item) => item.role === "user").map((item) => ({ type: "message", id: id("msg", 24), status: "completed", ...item }));
  const compaction = { id: id("cmp", 24), type: "compaction", encrypted_content: `gAAAAAB${randomBytes(64).toString("base64url")}` };
  const inputTokens = Math.ceil(JSON.stringify(input).length / 4);
  return {
    id: id("resp", 24),
    object: "response.compaction",
    created_at: Math.floor(Date.now() / 1000),
    output: [...users, compaction],
    usage: {
      input_tokens: inputTokens,
      input_tokens_details: { cached_tokens: 0 },
      output_tokens: 300,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: inputTokens + 300,
    },
  };
}

async function answer(
  turn: OpenAIFakeTurn,
  req: RecordedRequest,
  res: http.ServerResponse,
  responses: Record<string, unknown>[],
): Promise<void> {
  if (turn.kind === "error") {
    const body = turn.body ?? defaultErrorBody(turn.status);
    return writeJson(res, turn.status, body, { ...requestIdHeader(), ...turn.headers });
  }
  if (turn.kind === "hang") return hang(res);
  const stream = new ResponseStream(asObject(req.body), req.rawBody.length, responses);
  const headers = requestIdHeader();
  if (turn.kind === "stall") {
    res.writeHead(200, { "content-type": "text/event-stream", ...headers });
    for (const frame of stream.start()) res.write(frame);
    for (const frame of stream.messageFrames(turn.text).slice(0, 3)) res.write(frame);
    await new Promise((resolve) => res.on("close", resolve));
    return;
  }
  if (turn.kind === "failed" || turn.kind === "incomplete") {
    const frames = [...stream.start(), ...(turn.text ? stream.messageFrames(turn.text) : []), stream.end(turn)];
    return streamSse(res, frames, { headers });
  }
  if (turn.delayMs) await new Promise((resolve) => setTimeout(resolve, turn.delayMs));
  let frames = stream.reply(turn);
  if (turn.malformedAt !== undefined) frames = frames.map((f, i) => (i === turn.malformedAt ? malformed(f) : f));
  return streamSse(res, frames, {
    headers,
    ...(turn.cutAfter !== undefined ? { cutAfter: turn.cutAfter } : {}),
    ...(turn.stallAfter !== undefined ? { stallAfter: turn.stallAfter } : {}),
    ...(turn.chunkDelayMs ? { delayMs: turn.chunkDelayMs } : {}),
  });
}

/** Builds the frames of one response, numbering events and collecting output items. */
class ResponseStream {
  private sequence = 0;
  private readonly output: Record<string, unknown>[] = [];
  private readonly responseId = id("resp", 24);
  private readonly createdAt = Math.floor(Date.now() / 1000);

  constructor(
    private readonly body: Record<string, unknown>,
    private readonly requestBytes: number,
    private readonly sent: Record<string, unknown>[],
  ) {}

  private event(type: string, fields: Record<string, unknown>): string {
    return sseFrame({ type, sequence_number: this.sequence++, ...fields }, type);
  }

  /** The response object as OpenAI returns it (fields this fake does not model are omitted). */
  private response(status: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
    return {
      id: this.responseId,
      object: "response",
      created_at: this.createdAt,
      status,
      background: false,
      error: null,
      incomplete_details: null,
      instructions: this.body.instructions ?? null,
      max_output_tokens: this.body.max_output_tokens ?? null,
      model: this.body.model,
      output: status === "in_progress" ? [] : this.output,
      parallel_tool_calls: this.body.parallel_tool_calls ?? true,
      previous_response_id: null,
      prompt_cache_key: this.body.prompt_cache_key ?? null,
      reasoning: this.body.reasoning ?? { effort: null, summary: null },
      store: this.body.store ?? true,
      tool_choice: "auto",
      tools: this.body.tools ?? [],
      usage: null,
      ...extra,
    };
  }

  start(): string[] {
    return [
      this.event("response.created", { response: this.response("in_progress") }),
      this.event("response.in_progress", { response: this.response("in_progress") }),
    ];
  }

  reply(turn: PacedReply): string[] {
    const frames = this.start();
    if (turn.thinking) frames.push(...this.reasoningFrames(turn.thinking));
    if (turn.text) frames.push(...this.messageFrames(turn.text));
    const computer = this.computerTool();
    for (const call of turn.toolCalls ?? []) {
      const argsText = call.rawArgs ?? JSON.stringify(call.args ?? {});
      if (computer && call.name === "computer") frames.push(...this.computerCallFrames(call.id ?? id("call", 12), JSON.parse(argsText) as Record<string, unknown>));
      else frames.push(...this.functionCallFrames(call.id ?? id("call", 12), call.name, argsText));
    }
    const argsChars = (turn.toolCalls ?? []).reduce((sum, c) => sum + (c.rawArgs ?? JSON.stringify(c.args ?? {})).length, 0);
    const reasoning = turn.usage?.reasoning ?? (turn.thinking ? Math.ceil(turn.thinking.length / 4) + 16 : 0);
    const cached = turn.usage?.cacheRead ?? 0;
    const input = (turn.usage?.input ?? Math.ceil(this.requestBytes / 4)) + cached;
    const output = turn.usage?.output ?? reasoning + Math.ceil(((turn.text ?? "").length + argsChars) / 4);
    const usage = {
      input_tokens: input,
      input_tokens_details: { cached_tokens: cached },
      output_tokens: output,
      output_tokens_details: { reasoning_tokens: reasoning },
      total_tokens: input + output,
    };
    const response = this.response("completed", { usage });
    this.sent.push(response);
    frames.push(this.event("response.completed", { response }));
    return frames;
  }

  /** One summary part per paragraph, the way reasoning summaries arrive. */
  reasoningFrames(thinking: string): string[] {
    const itemId = id("rs", 24);
    const outputIndex = this.output.length;
    const at = { item_id: itemId, output_index: outputIndex };
    const paragraphs = thinking.split("\n\n");
    const frames = [this.event("response.output_item.added", { output_index: outputIndex, item: { id: itemId, type: "reasoning", summary: [] } })];
    paragraphs.forEach((text, summaryIndex) => {
      const part = { type: "summary_text", text };
      frames.push(this.event("response.reasoning_summary_part.added", { ...at, summary_index: summaryIndex, part: { ...part, text: "" } }));
      for (const delta of splitInto(text, 4)) {
        frames.push(this.event("response.reasoning_summary_text.delta", { ...at, summary_index: summaryIndex, delta }));
      }
      frames.push(this.event("response.reasoning_summary_text.done", { ...at, summary_index: summaryIndex, text }));
      frames.push(this.event("response.reasoning_summary_part.done", { ...at, summary_index: summaryIndex, part }));
    });
    // Opaque to clients; only OpenAI can read it. Clients must send it back byte-for-byte.
    const encrypted = `gAAAAAB${randomBytes(96).toString("base64url")}`;
    const item = {
      id: itemId,
      type: "reasoning",
      encrypted_content: encrypted,
      summary: paragraphs.map((text) => ({ type: "summary_text", text })),
    };
    return [...frames, this.itemDone(outputIndex, item)];
  }

  messageFrames(text: string): string[] {
    const itemId = id("msg", 24);
    const outputIndex = this.output.length;
    const at = { item_id: itemId, output_index: outputIndex, content_index: 0 };
    const part = { type: "output_text", annotations: [], logprobs: [], text };
    const frames = [
      this.event("response.output_item.added", {
        output_index: outputIndex,
        item: { id: itemId, type: "message", status: "in_progress", content: [], role: "assistant" },
      }),
      this.event("response.content_part.added", { ...at, part: { ...part, text: "" } }),
      ...splitInto(text, 5).map((delta) => this.event("response.output_text.delta", { ...at, delta, logprobs: [] })),
      this.event("response.output_text.done", { ...at, text, logprobs: [] }),
      this.event("response.content_part.done", { ...at, part }),
    ];
    const item = { id: itemId, type: "message", status: "completed", content: [part], role: "assistant" };
    return [...frames, this.itemDone(outputIndex, item)];
  }

  functionCallFrames(callId: string, name: string, args: string): string[] {
    const itemId = id("fc", 24);
    const outputIndex = this.output.length;
    const at = { item_id: itemId, output_index: outputIndex };
    const frames = [
      this.event("response.output_item.added", {
        output_index: outputIndex,
        item: { id: itemId, type: "function_call", status: "in_progress", arguments: "", call_id: callId, name },
      }),
      // Arguments stream in many small pieces, as they do from the real API.
      ...splitInto(args, Math.max(6, Math.ceil(args.length / 8))).map((delta) =>
        this.event("response.function_call_arguments.delta", { ...at, delta }),
      ),
      this.event("response.function_call_arguments.done", { ...at, arguments: args }),
    ];
    const item = { id: itemId, type: "function_call", status: "completed", arguments: args, call_id: callId, name };
    return [...frames, this.itemDone(outputIndex, item)];
  }

  /** Whether the request offers the built-in computer tool (then "computer" calls are computer_call items). */
  private computerTool(): boolean {
    const tools = Array.isArray(this.body.tools) ? this.body.tools.map(asObject) : [];
    return tools.some((t) => t.type === "computer_use_preview");
  }

  /** A computer_call: OpenAI's action vocabulary, announced and finished as one item (it has no argument deltas). */
  computerCallFrames(callId: string, args: Record<string, unknown>): string[] {
    const itemId = id("cu", 24);
    const outputIndex = this.output.length;
    const base = { id: itemId, type: "computer_call", call_id: callId, action: openaiAction(args), pending_safety_checks: [] };
    const added = this.event("response.output_item.added", { output_index: outputIndex, item: { ...base, status: "in_progress" } });
    return [added, this.itemDone(outputIndex, { ...base, status: "completed" })];
  }

  private itemDone(outputIndex: number, item: Record<string, unknown>): string {
    this.output.push(item);
    return this.event("response.output_item.done", { output_index: outputIndex, item });
  }

  /** The last frame of a response that did not complete. */
  end(turn: Extract<OpenAIFakeTurn, { kind: "failed" | "incomplete" }>): string {
    if (turn.kind === "incomplete") {
      const response = this.response("incomplete", { incomplete_details: { reason: turn.reason } });
      this.sent.push(response);
      return this.event("response.incomplete", { response });
    }
    if (turn.event === "error") {
      // What the API actually sends; its reference documents code/message/param at the top level.
      return this.event("error", { error: { type: turn.code, code: turn.code, message: turn.message, param: null } });
    }
    const response = this.response("failed", { error: { code: turn.code, message: turn.message } });
    this.sent.push(response);
    return this.event("response.failed", { response });
  }
}

/** The `computer` tool's (Anthropic-style) arguments as the OpenAI action a computer-use model would send. */
export function openaiAction(args: Record<string, unknown>): Record<string, unknown> {
  const [x, y] = Array.isArray(args.coordinate) ? (args.coordinate as number[]) : [0, 0];
  switch (args.action) {
    case "left_click":
      return { type: "click", button: "left", x, y };
    case "right_click":
      return { type: "click", button: "right", x, y };
    case "middle_click":
      return { type: "click", button: "wheel", x, y };
    case "double_click":
      return { type: "double_click", x, y };
    case "mouse_move":
      return { type: "move", x, y };
    case "left_click_drag": {
      const [sx, sy] = args.start_coordinate as number[];
      return { type: "drag", path: [{ x: sx, y: sy }, { x, y }] };
    }
    case "type":
      return { type: "type", text: args.text };
    case "key":
      return { type: "keypress", keys: String(args.text).split("+").map((k) => (k.toLowerCase() === "return" ? "ENTER" : k.toUpperCase())) };
    case "scroll": {
      const amount = Number(args.scroll_amount ?? 3) * 100;
      const d = args.scroll_direction;
      return { type: "scroll", x, y, scroll_x: d === "left" ? -amount : d === "right" ? amount : 0, scroll_y: d === "up" ? -amount : d === "down" ? amount : 0 };
    }
    case "wait":
      return { type: "wait" };
    default:
      return { type: "screenshot" };
  }
}

/**
 * What the Responses API refuses around computer use: the tool without truncation "auto", and a
 * computer_call_output whose output is not a screenshot given as an image URL.
 */
function computerUseProblem(body: Record<string, unknown>): string | undefined {
  const tools = Array.isArray(body.tools) ? body.tools.map(asObject) : [];
  const computer = tools.find((t) => t.type === "computer_use_preview");
  if (computer) {
    if (body.truncation !== "auto") return "truncation must be 'auto' when using the computer_use_preview tool";
    if (!Number.isInteger(computer.display_width) || !Number.isInteger(computer.display_height) || typeof computer.environment !== "string") {
      return "tools[].computer_use_preview needs display_width, display_height and environment";
    }
  }
  const input = Array.isArray(body.input) ? body.input.map(asObject) : [];
  for (const item of input) {
    if (item.type !== "computer_call_output") continue;
    const output = asObject(item.output);
    if (output.type !== "computer_screenshot" || typeof output.image_url !== "string" || !output.image_url.startsWith("data:image/")) {
      return "computer_call_output.output must be a computer_screenshot with an image_url";
    }
    if (!input.some((i) => i.type === "computer_call" && i.call_id === item.call_id)) return `No tool call found for computer call output with call_id ${String(item.call_id)}.`;
  }
  return undefined;
}

/** Cuts the JSON of a frame in half, keeping the SSE framing intact. */
function malformed(frame: string): string {
  return frame.replace(/^data: (.*)$/m, (_line, json: string) => `data: ${json.slice(0, Math.floor(json.length / 2))}`);
}

function errorBody(message: string, type: string, code: string | null): unknown {
  return { error: { message, type, param: null, code } };
}

/** The body OpenAI sends with each status (messages abridged from real responses). */
function defaultErrorBody(status: number): unknown {
  if (status === 429) return errorBody("Rate limit reached for requests. Please try again in 1s.", "requests", "rate_limit_exceeded");
  if (status === 401) return errorBody("Incorrect API key provided.", "invalid_request_error", "invalid_api_key");
  if (status >= 500) {
    return errorBody("The server had an error while processing your request. Sorry about that!", "server_error", null);
  }
  return errorBody("Invalid request.", "invalid_request_error", null);
}

const requestIdHeader = (): Record<string, string> => ({ "x-request-id": id("req", 16) });

function asObject(value: unknown): Record<string, unknown> {
  return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

// ---- Scenarios ------------------------------------------------------------------------------

/**
 * Plays a scenario over the OpenAI wire format: step N answers the request whose input holds
 * N assistant turns, so a resumed session gets the same answers. Point OPENAI_BASE_URL at
 * `${url}/v1` to drive the CLI end to end.
 */
export function openaiFakeFromScenario(scenario: Scenario): Promise<OpenAIFakeServer> {
  return startOpenAIFake((req) => scenarioTurn(scenario, asObject(req.body)));
}

function scenarioTurn(scenario: Scenario, body: Record<string, unknown>): OpenAIFakeTurn {
  const input = Array.isArray(body.input) ? body.input.map(asObject) : [];
  const stepIndex = countAssistantTurns(input);
  const step = scenario.steps[stepIndex];
  if (!step) return badRequest(`scenario ran out of steps: request ${stepIndex + 1}, ${scenario.steps.length} steps`);
  const failed = unmetExpectation(step, body, input);
  if (failed) return badRequest(`scenario step ${stepIndex + 1}: ${failed}`);
  if (step.error) {
    return { kind: "error", status: step.error.status, body: errorBody(step.error.message, "scenario_error", null) };
  }
  return {
    kind: "reply",
    ...(step.thinking ? { thinking: step.thinking } : {}),
    ...(step.text ? { text: step.text } : {}),
    toolCalls: (step.toolCalls ?? []).map((call, i) => ({
      id: scenarioCallId(call, stepIndex, i),
      name: call.name,
      rawArgs: scenarioArgsText(call),
    })),
    ...(step.usage ? { usage: step.usage } : {}),
    ...(step.delayMs ? { delayMs: step.delayMs } : {}),
    ...(scenario.chunkDelayMs ? { chunkDelayMs: scenario.chunkDelayMs } : {}),
  };
}

const badRequest = (message: string): OpenAIFakeTurn => ({
  kind: "error",
  status: 400,
  body: errorBody(message, "invalid_request_error", null),
});

const isAssistantItem = (item: Record<string, unknown>): boolean =>
  item.type === "reasoning" || item.type === "function_call" || item.type === "computer_call" || (item.type === "message" && item.role === "assistant");

/** An assistant turn is a contiguous run of reasoning, assistant message and function_call items. */
export function countAssistantTurns(input: Record<string, unknown>[]): number {
  let turns = 0;
  input.forEach((item, i) => {
    if (isAssistantItem(item) && (i === 0 || !isAssistantItem(input[i - 1]!))) turns++;
  });
  return turns;
}

/** Checks a step's `expect` against the request; returns what failed, or undefined. */
function unmetExpectation(step: ScenarioStep, body: Record<string, unknown>, input: Record<string, unknown>[]): string | undefined {
  const expect = step.expect;
  if (!expect) return undefined;
  const system = typeof body.instructions === "string" ? body.instructions : "";
  const missingSystem = expect.systemIncludes?.find((s) => !system.includes(s));
  if (missingSystem !== undefined) return `system prompt lacks ${JSON.stringify(missingSystem)}`;
  const latest = newestText(input);
  const missing = expect.lastMessageIncludes?.find((s) => !latest.includes(s));
  if (missing !== undefined) return `newest message lacks ${JSON.stringify(missing)}`;
  // toolResultsOk is not checked: function_call_output carries no error flag on this wire.
  return undefined;
}

/** The text of the items after the last assistant turn (user messages and tool outputs). */
function newestText(input: Record<string, unknown>[]): string {
  const texts: string[] = [];
  for (let i = input.length - 1; i >= 0 && !isAssistantItem(input[i]!); i--) {
    const item = input[i]!;
    if (typeof item.output === "string") texts.unshift(item.output);
    if (Array.isArray(item.content)) {
      const parts = item.content.map(asObject).filter((p) => typeof p.text === "string");
      texts.unshift(...parts.map((p) => p.text as string));
    }
  }
  return texts.join("\n");
}
