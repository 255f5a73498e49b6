import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { costUsd, findModel } from "../../src/model/catalog.js";
import { createModel, openaiEffort, toResponsesInput } from "../../src/model/openai.js";
import { ConfigError } from "../../src/model/resolve.js";
import type { RetryPolicy } from "../../src/model/retry.js";
import type {
  AssistantMessage,
  Message,
  ModelEvent,
  ModelInfo,
  ModelRequest,
  ThinkingPart,
  ToolCallPart,
} from "../../src/model/types.js";
import { sseFrame, startFakeServer, streamSse } from "../fakes/http.js";
import { countAssistantTurns, type OpenAIFakeServer, openaiFakeFromScenario, startOpenAIFake } from "../fakes/openai.js";
import { collect, doneMessage as finalMessage, lastError } from "./stream-helpers.js";

const fastRetry: RetryPolicy = { maxRetries: 3, baseDelayMs: 1, maxDelayMs: 2000 };
const codex = findModel("openai", "gpt-5.3-codex")!;
const mini = findModel("openai", "gpt-5-mini")!;

let servers: OpenAIFakeServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

async function fake(...args: Parameters<typeof startOpenAIFake>): Promise<OpenAIFakeServer> {
  const server = await startOpenAIFake(...args);
  servers.push(server);
  return server;
}

function modelFor(server: { url: string }, info: ModelInfo = codex) {
  return createModel(`openai:${info.name}`, info, { apiKey: "sk-test", baseURL: `${server.url}/v1`, retry: fastRetry });
}

const ask = (text: string, extra: Partial<ModelRequest> = {}): ModelRequest => ({
  system: "You are a colleague.",
  messages: [{ role: "user", content: [{ type: "text", text }] }],
  tools: [],
  ...extra,
});

/** The text a consumer shows: deltas since the last retry (a retry drops partial output). */
function visibleText(events: ModelEvent[]): string {
  let text = "";
  for (const e of events) {
    if (e.type === "retry") text = "";
    if (e.type === "text_delta") text += e.delta;
  }
  return text;
}

const body = (server: OpenAIFakeServer, n: number) => server.requests[n]!.body as Record<string, unknown>;

const readFile = {
  name: "read_file",
  description: "Read a file",
  parameters: { type: "object", properties: { path: { type: "string" } }, required: ["path"] },
};

describe("openai adapter: streaming", () => {
  it("streams text deltas and ends with the message", async () => {
    const server = await fake([{ kind: "reply", text: "Hello from the Responses API, streamed in pieces." }]);
    const events = await collect(modelFor(server).stream(ask("hi")));
    const deltas = events.filter((e) => e.type === "text_delta");
    expect(deltas.length).toBeGreaterThan(1);
    expect(visibleText(events)).toBe("Hello from the Responses API, streamed in pieces.");
    const message = finalMessage(events);
    expect(message.content).toEqual([{ type: "text", text: "Hello from the Responses API, streamed in pieces." }]);
    expect(message).toMatchObject({ role: "assistant", api: "openai", model: "openai:gpt-5.3-codex", stopReason: "end" });
    expect(message.responseId).toMatch(/^resp_/);
    const req = server.requests[0]!;
    expect(req.path).toBe("/v1/responses");
    expect(req.headers.authorization).toBe("Bearer sk-test");
    expect(body(server, 0)).toMatchObject({ model: "gpt-5.3-codex", instructions: "You are a colleague.", stream: true });
    expect(body(server, 0).input).toEqual([{ role: "user", content: [{ type: "input_text", text: "hi" }] }]);
  });

  it("assembles a tool call whose arguments arrive across many deltas", async () => {
    const args = { path: "src/model/openai-stream.ts", start: 120, end: 240, note: "the translator" };
    const server = await fake([{ kind: "reply", toolCalls: [{ id: "call_abc", name: "read_file", args }] }]);
    const events = await collect(modelFor(server).stream(ask("read it", { tools: [readFile] })));
    expect(events[0]).toEqual({ type: "tool_call_start", id: "call_abc", name: "read_file" });
    const deltas = events.filter((e) => e.type === "tool_call_delta");
    expect(deltas.length).toBeGreaterThanOrEqual(5);
    expect(deltas.every((d) => d.id === "call_abc")).toBe(true);
    expect(deltas.map((d) => d.delta).join("")).toBe(JSON.stringify(args));
    const message = finalMessage(events);
    expect(message.content).toEqual([{ type: "tool_call", id: "call_abc", name: "read_file", args }]);
    expect(message.stopReason).toBe("tool_use");
    expect(body(server, 0).tools).toEqual([{ type: "function", ...readFile, strict: false }]);
    expect(body(server, 0).parallel_tool_calls).toBe(true);
  });

  it("keeps output order across reasoning, text and several calls, and flags invalid arguments", async () => {
    const server = await fake([
      {
        kind: "reply",
        thinking: "First idea.\n\nSecond idea.",
        text: "Let me look.",
        toolCalls: [
          { id: "call_1", name: "read_file", args: { path: "a" } },
          { id: "call_2", name: "read_file", rawArgs: '{"path": "b"' },
        ],
      },
    ]);
    const events = await collect(modelFor(server).stream(ask("go", { tools: [readFile] })));
    const thinking = events.filter((e) => e.type === "thinking_delta").map((e) => e.delta).join("");
    expect(thinking).toBe("First idea.\n\nSecond idea.");
    const message = finalMessage(events);
    expect(message.content.map((p) => p.type)).toEqual(["thinking", "text", "tool_call", "tool_call"]);
    expect((message.content[0] as ThinkingPart).text).toBe("First idea.\n\nSecond idea.");
    expect(message.content[3]).toEqual({ type: "tool_call", id: "call_2", name: "read_file", args: {}, invalidArgs: '{"path": "b"' });
  });

  it("maps usage, with cached tokens out of input, and prices it", async () => {
    const usage = { input: 1000, cacheRead: 4000, output: 500, reasoning: 200 };
    const server = await fake([{ kind: "reply", text: "ok", usage }]);
    const message = finalMessage(await collect(modelFor(server).stream(ask("hi"))));
    expect(message.usage).toEqual({ input: 1000, cacheRead: 4000, cacheWrite: 0, output: 500, reasoning: 200 });
    // 1000 × $1.75 + 4000 × $0.175 + 500 × $14, per million tokens.
    expect(costUsd(codex, message.usage)).toBeCloseTo(0.00945, 8);
  });

  it("ends with max_tokens when the response is incomplete", async () => {
    const server = await fake([{ kind: "incomplete", reason: "max_output_tokens", text: "Partial ans" }]);
    const message = finalMessage(await collect(modelFor(server).stream(ask("hi", { maxOutputTokens: 16 }))));
    expect(message.stopReason).toBe("max_tokens");
    expect(message.content).toEqual([{ type: "text", text: "Partial ans" }]);
    expect(body(server, 0).max_output_tokens).toBe(16);
  });
});

describe("openai adapter: request body and replay", () => {
  it("sends the encrypted reasoning item back unchanged, statelessly", async () => {
    const server = await fake([
      { kind: "reply", thinking: "I should read the file.", toolCalls: [{ id: "call_r1", name: "read_file", args: { path: "x" } }] },
      { kind: "reply", text: "Done." },
    ]);
    const model = modelFor(server);
    const first = finalMessage(await collect(model.stream(ask("read x", { tools: [readFile], effort: "max", sessionId: "sess-42" }))));
    const messages: Message[] = [
      ...ask("read x").messages,
      first,
      { role: "tool", callId: "call_r1", name: "read_file", content: [{ type: "text", text: "contents of x" }], isError: false },
    ];
    finalMessage(await collect(model.stream({ ...ask(""), messages, tools: [readFile], effort: "max", sessionId: "sess-42" })));

    const sentOutput = server.responses[0]!.output as Record<string, unknown>[];
    const reasoningItem = sentOutput[0]!;
    expect(reasoningItem.encrypted_content).toMatch(/^gAAAA/);
    const input = body(server, 1).input as unknown[];
    expect(input[1]).toEqual(reasoningItem);
    // Byte-for-byte: the item's JSON text appears unchanged in the second request.
    expect(server.requests[1]!.rawBody).toContain(JSON.stringify(reasoningItem));
    expect(input[2]).toEqual({ type: "function_call", call_id: "call_r1", name: "read_file", arguments: '{"path":"x"}' });
    expect(input[3]).toEqual({ type: "function_call_output", call_id: "call_r1", output: "contents of x" });
    for (const n of [0, 1]) {
      expect(body(server, n)).toMatchObject({
        store: false,
        include: ["reasoning.encrypted_content"],
        prompt_cache_key: "sess-42",
        reasoning: { effort: "xhigh", summary: "auto" },
      });
    }
    // Stable prefix: instructions and tools are byte-identical across steps.
    expect(JSON.stringify(body(server, 1).tools)).toBe(JSON.stringify(body(server, 0).tools));
  });

  it("maps effort onto what gpt-5-mini accepts and omits it when unset", async () => {
    const server = await fake(() => ({ kind: "reply", text: "ok" }));
    const model = modelFor(server, mini);
    await collect(model.stream(ask("a", { effort: "low" })));
    await collect(model.stream(ask("b", { effort: "max" })));
    await collect(model.stream(ask("c")));
    expect(body(server, 0).reasoning).toEqual({ effort: "low", summary: "auto" });
    expect(body(server, 1).reasoning).toEqual({ effort: "high", summary: "auto" });
    expect(body(server, 2).reasoning).toEqual({ summary: "auto" });
    expect(body(server, 2)).not.toHaveProperty("prompt_cache_key");
  });

  it("picks the nearest accepted effort", () => {
    expect(openaiEffort("max", codex.capabilities.efforts)).toBe("xhigh");
    expect(openaiEffort("max", mini.capabilities.efforts)).toBe("high");
    expect(openaiEffort("low", mini.capabilities.efforts)).toBe("low");
    expect(openaiEffort("low", ["minimal", "medium", "high"])).toBe("minimal");
    expect(openaiEffort("medium", ["none", "low", "high"])).toBe("low");
    expect(openaiEffort("max", undefined)).toBe("high");
  });

  it("sends no reasoning parameter to a model without reasoning effort", async () => {
    const server = await fake([{ kind: "reply", text: "ok" }]);
    const plain: ModelInfo = { ...codex, name: "gpt-4.1", capabilities: { tools: true, images: true, reasoning: "none" } };
    await collect(modelFor(server, plain).stream(ask("hi", { effort: "high" })));
    expect(body(server, 0)).not.toHaveProperty("reasoning");
  });

  it("maps messages to input items: images, foreign thinking dropped, tool images after the outputs", () => {
    const assistant: AssistantMessage = {
      role: "assistant",
      model: "anthropic:claude-opus-4-6",
      api: "anthropic",
      stopReason: "tool_use",
      usage: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, reasoning: 0 },
      content: [
        { type: "thinking", text: "hmm", replay: { api: "anthropic", data: { type: "thinking", signature: "sig" } } },
        { type: "text", text: "Two shots." },
        { type: "tool_call", id: "c1", name: "screenshot", args: {} } satisfies ToolCallPart,
        { type: "tool_call", id: "c2", name: "screenshot", args: { page: 2 } },
      ],
    };
    const input = toResponsesInput([
      { role: "user", content: [{ type: "text", text: "look" }, { type: "image", mediaType: "image/png", data: "AAAA" }] },
      assistant,
      { role: "tool", callId: "c1", name: "screenshot", content: [{ type: "image", mediaType: "image/png", data: "BBBB" }], isError: false },
      { role: "tool", callId: "c2", name: "screenshot", content: [{ type: "text", text: "page 2" }], isError: false },
    ]);
    expect(input.map((i) => ("type" in i && i.type) || ("role" in i && i.role))).toEqual([
      "user",
      "message",
      "function_call",
      "function_call",
      "function_call_output",
      "function_call_output",
      "user",
    ]);
    expect(input[0]).toEqual({
      role: "user",
      content: [
        { type: "input_text", text: "look" },
        { type: "input_image", image_url: "data:image/png;base64,AAAA", detail: "auto" },
      ],
    });
    expect(input[1]).toEqual({ type: "message", role: "assistant", content: [{ type: "output_text", text: "Two shots.", annotations: [] }] });
    expect(JSON.stringify(input[6])).toContain("data:image/png;base64,BBBB");
  });
});

describe("openai adapter: failures and retries", () => {
  it("waits as long as retry-after says on 429, then succeeds", async () => {
    const server = await fake([{ kind: "error", status: 429, headers: { "retry-after": "1" } }, { kind: "reply", text: "after the wait" }]);
    const events = await collect(modelFor(server).stream(ask("hi")));
    const retry = events.find((e) => e.type === "retry");
    expect(retry).toMatchObject({ attempt: 1, delayMs: 1000, error: { kind: "rate_limit", status: 429, retryable: true } });
    expect(retry?.type === "retry" && retry.error.message).toBe(
      "openai 429 rate_limit_exceeded: Rate limit reached for requests. Please try again in 1s.",
    );
    expect(finalMessage(events).content).toEqual([{ type: "text", text: "after the wait" }]);
    expect(server.requests).toHaveLength(2);
  });

  it("retries a 500", async () => {
    const server = await fake([{ kind: "error", status: 500 }, { kind: "reply", text: "fine now" }]);
    const events = await collect(modelFor(server).stream(ask("hi")));
    expect(events.filter((e) => e.type === "retry").map((e) => e.type === "retry" && e.error.kind)).toEqual(["server"]);
    expect(finalMessage(events).content).toEqual([{ type: "text", text: "fine now" }]);
  });

  it("does not retry a rejected key", async () => {
    const server = await fake([{ kind: "error", status: 401 }]);
    const events = await collect(modelFor(server).stream(ask("hi")));
    expect(lastError(events)).toMatchObject({ kind: "auth", status: 401, retryable: false });
    expect(events.some((e) => e.type === "retry")).toBe(false);
  });

  it("retries a stream cut mid-event without duplicating text", async () => {
    const text = "The quick brown fox jumps over the lazy dog, twice over.";
    const server = await fake([
      { kind: "reply", text, cutAfter: 6 },
      { kind: "reply", text },
    ]);
    const events = await collect(modelFor(server).stream(ask("hi")));
    const retryAt = events.findIndex((e) => e.type === "retry");
    expect(retryAt).toBeGreaterThan(0);
    const before = events.slice(0, retryAt).filter((e) => e.type === "text_delta");
    expect(before.length).toBeGreaterThan(0);
    expect(events[retryAt]).toMatchObject({ error: { kind: "connection", retryable: true } });
    expect(visibleText(events)).toBe(text);
    expect(finalMessage(events).content).toEqual([{ type: "text", text }]);
  });

  it("retries a stream that ends cleanly before response.completed", async () => {
    // A proxy that closes the stream politely mid-response: no socket error, just no ending.
    let calls = 0;
    const server = await startFakeServer(async (_req, res) => {
      if (calls++ > 0) return streamSse(res, openaiFrames([["response.completed", { response: { id: "resp_2", output: [], usage: null } }]]));
      await streamSse(res, openaiFrames([["response.created", { response: { id: "resp_1" } }], ["response.output_text.delta", { delta: "abc" }]]));
    });
    servers.push({ ...server, responses: [] });
    const events = await collect(modelFor(server).stream(ask("hi")));
    const retry = events.find((e) => e.type === "retry");
    expect(retry?.type === "retry" && retry.error).toMatchObject({ kind: "connection", retryable: true });
    expect(retry?.type === "retry" && retry.error.message).toContain("ended before response.completed");
    expect(finalMessage(events)).toMatchObject({ responseId: "resp_2", content: [] });
  });

  it("retries a malformed event like a dropped stream; the result is the second reply's", async () => {
    const server = await fake([{ kind: "reply", text: "hello there", malformedAt: 3 }, { kind: "reply", text: "second try" }]);
    const events = await collect(modelFor(server).stream(ask("hi")));
    const retries = events.filter((e) => e.type === "retry");
    expect(retries).toHaveLength(1);
    expect(retries[0]).toMatchObject({ error: { kind: "malformed", retryable: true } });
    expect(visibleText(events)).toBe("second try");
    expect(finalMessage(events).content).toEqual([{ type: "text", text: "second try" }]);
    expect(server.requests).toHaveLength(2);
  });

  it("turns response.failed into a clear error", async () => {
    const server = await fake([{ kind: "failed", event: "response.failed", code: "invalid_prompt", message: "Prompt was flagged." }]);
    const error = lastError(await collect(modelFor(server).stream(ask("hi"))));
    expect(error).toMatchObject({ kind: "bad_request", retryable: false });
    expect(error.message).toBe("openai response.failed invalid_prompt: Prompt was flagged.");
  });

  it("retries a response.failed server_error and an error event for rate limits", async () => {
    const server = await fake([
      { kind: "failed", event: "response.failed", code: "server_error", message: "boom", text: "partial" },
      { kind: "failed", event: "error", code: "rate_limit_exceeded", message: "slow down" },
      { kind: "reply", text: "third time lucky" },
    ]);
    const events = await collect(modelFor(server).stream(ask("hi")));
    const kinds = events.filter((e) => e.type === "retry").map((e) => e.type === "retry" && e.error.kind);
    expect(kinds).toEqual(["server", "rate_limit"]);
    const second = events.filter((e) => e.type === "retry")[1];
    expect(second?.type === "retry" && second.error.message).toBe("openai stream error rate_limit_exceeded: slow down");
    expect(visibleText(events)).toBe("third time lucky");
  });

  it("reads an error event in the documented flat shape too", async () => {
    const server = await startFakeServer((_req, res) =>
      streamSse(res, openaiFrames([["error", { code: "invalid_prompt", message: "Nope.", param: null }]])),
    );
    servers.push({ ...server, responses: [] });
    const error = lastError(await collect(modelFor(server).stream(ask("hi"))));
    expect(error).toEqual({ kind: "bad_request", message: "openai error event invalid_prompt: Nope.", retryable: false });
  });

  it("throws a one-line ConfigError when the key is missing", () => {
    const make = () => createModel("openai:gpt-5.3-codex", codex, { retry: fastRetry });
    expect(make).toThrow(ConfigError);
    expect(make).toThrow(/^OPENAI_API_KEY is not set: export it, or [^\n]+$/);
  });

  it("names the base URL when it cannot connect", async () => {
    const port = await freePort();
    const baseURL = `http://127.0.0.1:${port}/v1`;
    const model = createModel("openai:gpt-5.3-codex", codex, { apiKey: "sk-test", baseURL, retry: fastRetry });
    const events = await collect(model.stream(ask("hi")));
    const error = lastError(events);
    expect(error).toMatchObject({ kind: "connection", retryable: true });
    expect(error.message).toContain(baseURL);
    expect(error.message).toContain("ECONNREFUSED");
    expect(events.filter((e) => e.type === "retry")).toHaveLength(3);
  });

  it("ends with aborted when the signal fires mid-stream", async () => {
    const server = await fake([{ kind: "stall", text: "I will never finish this sentence" }]);
    const controller = new AbortController();
    const events: ModelEvent[] = [];
    for await (const event of modelFor(server).stream(ask("hi", { signal: controller.signal }))) {
      events.push(event);
      if (event.type === "text_delta") controller.abort();
    }
    expect(lastError(events)).toEqual({ kind: "aborted", message: "aborted", retryable: false });
    expect(events.some((e) => e.type === "retry")).toBe(false);
  });

  it("ends with aborted when the signal fired before the request", async () => {
    const server = await fake([{ kind: "reply", text: "unused" }]);
    const events = await collect(modelFor(server).stream(ask("hi", { signal: AbortSignal.abort() })));
    expect(events).toEqual([{ type: "error", error: { kind: "aborted", message: "aborted", retryable: false } }]);
  });
});

describe("openai fake server", () => {
  it("speaks the documented SSE protocol", async () => {
    const server = await fake([{ kind: "reply", thinking: "t", text: "hi", toolCalls: [{ name: "read_file", args: { path: "p" } }] }]);
    const res = await fetch(`${server.url}/v1/responses`, {
      method: "POST",
      headers: { authorization: "Bearer k", "content-type": "application/json" },
      body: JSON.stringify({ model: "gpt-5.3-codex", input: [] }),
    });
    expect(res.headers.get("content-type")).toBe("text/event-stream");
    expect(res.headers.get("x-request-id")).toMatch(/^req_/);
    const raw = await res.text();
    expect(raw).not.toContain("[DONE]");
    const frames = raw.trim().split("\n\n").map((f) => {
      const [eventLine, dataLine] = f.split("\n");
      return { event: eventLine!.replace("event: ", ""), data: JSON.parse(dataLine!.replace("data: ", "")) };
    });
    expect(frames.every((f) => f.event === f.data.type)).toBe(true);
    expect(frames.map((f) => f.data.sequence_number)).toEqual(frames.map((_, i) => i));
    expect(frames[0]!.event).toBe("response.created");
    expect(frames.at(-1)!.data.response.output.map((o: { type: string }) => o.type)).toEqual(["reasoning", "message", "function_call"]);
  });

  it("answers 401 without a bearer key, in OpenAI's error shape", async () => {
    const server = await fake([]);
    const res = await fetch(`${server.url}/v1/responses`, { method: "POST", body: "{}" });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { type: "invalid_request_error", param: null, code: "invalid_api_key" } });
  });

  it("plays a scenario step by step, counting assistant turns in the input", async () => {
    const server = await openaiFakeFromScenario({
      steps: [
        { thinking: "plan", toolCalls: [{ name: "read_file", args: { path: "a" } }] },
        { text: "All done.", expect: { lastMessageIncludes: ["contents of a"], systemIncludes: ["colleague"] } },
      ],
    });
    servers.push(server);
    const model = modelFor(server);
    const first = finalMessage(await collect(model.stream(ask("start", { tools: [readFile] }))));
    expect(first.content.find((p) => p.type === "tool_call")).toMatchObject({ id: "call_0_0", args: { path: "a" } });
    const messages: Message[] = [
      ...ask("start").messages,
      first,
      { role: "tool", callId: "call_0_0", name: "read_file", content: [{ type: "text", text: "contents of a" }], isError: false },
    ];
    const second = finalMessage(await collect(model.stream({ ...ask(""), messages, tools: [readFile] })));
    expect(second.content).toEqual([{ type: "text", text: "All done." }]);
    // A failed expectation is a non-retryable 400 that says what was missing.
    const wrong: Message[] = [...messages.slice(0, 2), { ...(messages[2] as Message & { role: "tool" }), content: [{ type: "text", text: "nope" }] }];
    const error = lastError(await collect(model.stream({ ...ask(""), messages: wrong, tools: [readFile] })));
    expect(error).toMatchObject({ kind: "bad_request", status: 400 });
    expect(error.message).toContain("contents of a");
  });

  it("counts contiguous assistant items as one turn", () => {
    const items = [
      { role: "user" },
      { type: "reasoning" },
      { type: "function_call" },
      { type: "function_call" },
      { type: "function_call_output" },
      { type: "function_call_output" },
      { type: "message", role: "assistant" },
      { role: "user" },
    ];
    expect(countAssistantTurns(items)).toBe(2);
  });
});

/** Hand-written Responses events, numbered, for failures the scripted fake does not produce. */
function openaiFrames(events: [string, Record<string, unknown>][]): string[] {
  return events.map(([type, fields], n) => sseFrame({ type, sequence_number: n, ...fields }, type));
}

/** A port with nothing listening on it. */
async function freePort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
