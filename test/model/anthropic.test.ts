import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createModel } from "../../src/model/anthropic.js";
import { costUsd, findModel } from "../../src/model/catalog.js";
import { ConfigError, type ProviderOptions } from "../../src/model/resolve.js";
import type { RetryPolicy } from "../../src/model/retry.js";
import type { AssistantMessage, Message, ModelEvent, ModelInfo, ModelRequest } from "../../src/model/types.js";
import { type AnthropicFakeScript, anthropicFakeFromScenario, apiKeyOf, startAnthropicFake } from "../fakes/anthropic.js";
import { type FakeServer, type RecordedRequest, sseFrame, startFakeServer, streamSse } from "../fakes/http.js";
import { collect, doneMessage } from "./stream-helpers.js";

const fast: RetryPolicy = { maxRetries: 3, baseDelayMs: 1, maxDelayMs: 2000 };
const opus = findModel("anthropic", "claude-opus-4-6")!;
const haiku = findModel("anthropic", "claude-haiku-4-5")!;

let servers: FakeServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

async function fake(script: AnthropicFakeScript, opts?: { chunkDelayMs?: number }): Promise<FakeServer> {
  const server = await startAnthropicFake(script, opts);
  servers.push(server);
  return server;
}

function modelFor(url: string, info: ModelInfo = opus, options: Partial<ProviderOptions> = {}) {
  return createModel(`anthropic:${info.name}`, info, { apiKey: "sk-ant-test", baseURL: url, retry: fast, ...options });
}

const ask = (text: string, extra: Partial<ModelRequest> = {}): ModelRequest => ({
  system: "You are a careful colleague.",
  messages: [{ role: "user", content: [{ type: "text", text }] }],
  tools: [],
  ...extra,
});

const ofType = <T extends ModelEvent["type"]>(events: ModelEvent[], type: T) =>
  events.filter((e): e is Extract<ModelEvent, { type: T }> => e.type === type);

type WireBody = {
  system?: Array<Record<string, unknown>>;
  tools?: Array<Record<string, unknown>>;
  messages: Array<{ role: string; content: Array<Record<string, unknown>> }>;
  thinking?: Record<string, unknown>;
  output_config?: Record<string, unknown>;
  max_tokens: number;
};
const bodyOf = (req: RecordedRequest) => req.body as WireBody;

async function closedPortUrl(): Promise<string> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

describe("anthropic adapter: streaming", () => {
  it("streams text as several deltas and ends with the whole message", async () => {
    const server = await fake([{ kind: "reply", text: "The build is green and all tests pass." }]);
    const events = await collect(modelFor(server.url).stream(ask("status?")));
    const deltas = ofType(events, "text_delta");
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.map((d) => d.delta).join("")).toBe("The build is green and all tests pass.");
    const message = doneMessage(events);
    expect(message.content).toEqual([{ type: "text", text: "The build is green and all tests pass." }]);
    expect(message).toMatchObject({ api: "anthropic", model: "anthropic:claude-opus-4-6", stopReason: "end" });
    expect(message.responseId).toMatch(/^msg_/);
    expect(apiKeyOf(server.requests[0]!)).toBe("sk-ant-test");
    expect(server.requests[0]!.headers["anthropic-version"]).toBeTruthy();
  });

  it("assembles a tool call whose arguments arrive in many input_json_delta pieces", async () => {
    const args = { path: "src/index.ts", edits: [{ old: "a", new: "b" }], dryRun: false };
    const server = await fake([{ kind: "reply", text: "Editing.", toolCalls: [{ id: "toolu_01", name: "edit_file", args }] }]);
    const events = await collect(modelFor(server.url).stream(ask("fix it")));
    expect(ofType(events, "tool_call_start")).toEqual([{ type: "tool_call_start", id: "toolu_01", name: "edit_file" }]);
    const pieces = ofType(events, "tool_call_delta");
    expect(pieces.length).toBeGreaterThanOrEqual(5);
    expect(pieces.map((p) => p.delta).join("")).toBe(JSON.stringify(args));
    const message = doneMessage(events);
    expect(message.stopReason).toBe("tool_use");
    expect(message.content[1]).toEqual({ type: "tool_call", id: "toolu_01", name: "edit_file", args });
  });

  it("keeps invalid argument JSON as invalidArgs with empty args", async () => {
    const server = await fake([{ kind: "reply", toolCalls: [{ id: "toolu_02", name: "shell", rawArgs: '{"command": "ls' }] }]);
    const message = doneMessage(await collect(modelFor(server.url).stream(ask("list"))));
    expect(message.content).toEqual([{ type: "tool_call", id: "toolu_02", name: "shell", args: {}, invalidArgs: '{"command": "ls' }]);
  });

  it("sends signed thinking and redacted thinking back unchanged, and drops other APIs' reasoning", async () => {
    const server = await fake([
      { kind: "reply", thinking: "Let me check the failing test first.", redactedThinking: "EmwKAhgBEgy3va3pzix/LafPsn4a", text: "Looking." },
      { kind: "reply", text: "Done." },
    ]);
    const model = modelFor(server.url);
    const first = await collect(model.stream(ask("why does it fail?")));
    expect(ofType(first, "thinking_delta").map((d) => d.delta).join("")).toBe("Let me check the failing test first.");
    const reply = doneMessage(first);
    const foreign: AssistantMessage = {
      role: "assistant",
      content: [{ type: "thinking", text: "o-series", replay: { api: "openai", data: { type: "reasoning", encrypted_content: "x" } } }],
      model: "openai:gpt-5.2",
      api: "openai",
      stopReason: "end",
      usage: reply.usage,
    };
    const history: Message[] = [...ask("why does it fail?").messages, foreign, reply, { role: "user", content: [{ type: "text", text: "go on" }] }];
    doneMessage(await collect(model.stream(ask("", { messages: history }))));

    expect(bodyOf(server.requests[0]!).thinking).toEqual({ type: "adaptive" });
    const assistant = bodyOf(server.requests[1]!).messages.filter((m) => m.role === "assistant");
    expect(assistant).toHaveLength(1);
    const thinking = reply.content[0];
    if (thinking?.type !== "thinking") throw new Error("expected a thinking part first");
    expect(thinking.text).toBe("Let me check the failing test first.");
    const signature = thinking.replay?.data.signature;
    expect(signature).toMatch(/^EqQB/);
    expect(assistant[0]!.content).toEqual([
      { type: "thinking", thinking: "Let me check the failing test first.", signature },
      { type: "redacted_thinking", data: "EmwKAhgBEgy3va3pzix/LafPsn4a" },
      { type: "text", text: "Looking." },
    ]);
  });

  it("maps usage, including cache reads and writes, and prices it with costUsd", async () => {
    const usage = { input: 1200, output: 340, cacheRead: 50_000, cacheWrite: 8000 };
    const server = await fake([{ kind: "reply", text: "ok", usage }]);
    const message = doneMessage(await collect(modelFor(server.url).stream(ask("hi"))));
    expect(message.usage).toEqual({ ...usage, reasoning: 0 });
    const expected = (1200 * 5 + 340 * 25 + 50_000 * 0.5 + 8000 * 6.25) / 1_000_000;
    expect(costUsd(opus, message.usage)).toBeCloseTo(expected, 10);
  });
});

describe("anthropic adapter: failures and retries", () => {
  it("waits as retry-after says on a 429, then succeeds", async () => {
    const server = await fake([
      { kind: "error", status: 429, headers: { "retry-after": "1" } },
      { kind: "reply", text: "after the wait" },
    ]);
    const events = await collect(modelFor(server.url).stream(ask("hi")));
    const retries = ofType(events, "retry");
    expect(retries).toHaveLength(1);
    expect(retries[0]).toMatchObject({ attempt: 1, delayMs: 1000, error: { kind: "rate_limit", status: 429, retryable: true } });
    expect(retries[0]!.error.message).toMatch(/^anthropic 429 rate_limit_error: /);
    expect(doneMessage(events).content).toEqual([{ type: "text", text: "after the wait" }]);
    expect(server.requests).toHaveLength(2);
  });

  it("retries a 529 overloaded response", async () => {
    const server = await fake([{ kind: "error", status: 529 }, { kind: "reply", text: "back" }]);
    const events = await collect(modelFor(server.url).stream(ask("hi")));
    expect(ofType(events, "retry").map((r) => r.error.kind)).toEqual(["overloaded"]);
    expect(ofType(events, "retry")[0]!.error.message).toContain("overloaded_error");
    expect(doneMessage(events).content).toEqual([{ type: "text", text: "back" }]);
  });

  it("retries a stream cut mid-event, and the retried output carries no duplicated text", async () => {
    const text = "First part, second part, third part.";
    // frames: 0 message_start, 1 ping, 2 content_block_start, 3.. text deltas: cut inside the second delta
    const server = await fake([{ kind: "reply", text, cutAfter: 4 }, { kind: "reply", text }]);
    const events = await collect(modelFor(server.url).stream(ask("hi")));
    const retryAt = events.findIndex((e) => e.type === "retry");
    expect(retryAt).toBeGreaterThan(0);
    const retry = events[retryAt] as Extract<ModelEvent, { type: "retry" }>;
    expect(retry.error.kind).toBe("connection");
    expect(retry.error.retryable).toBe(true);
    const before = ofType(events.slice(0, retryAt), "text_delta").map((d) => d.delta).join("");
    expect(before.length).toBeGreaterThan(0);
    expect(text.startsWith(before)).toBe(true);
    const after = ofType(events.slice(retryAt), "text_delta").map((d) => d.delta).join("");
    expect(after).toBe(text);
    expect(doneMessage(events).content).toEqual([{ type: "text", text }]);
    expect(server.requests).toHaveLength(2);
  });

  it("retries an event with invalid JSON like a dropped stream; the result holds the retried text once", async () => {
    const text = "First part, second part, third part.";
    // frame 4 is the second text delta: one delta reaches the consumer before the bad frame
    const server = await fake([{ kind: "reply", text, malformedAt: 4 }, { kind: "reply", text }]);
    const events = await collect(modelFor(server.url).stream(ask("hi")));
    const retries = ofType(events, "retry");
    expect(retries).toHaveLength(1);
    expect(retries[0]!.error).toMatchObject({ kind: "malformed", retryable: true });
    expect(retries[0]!.error.message).toMatch(/not valid JSON/);
    const retryAt = events.indexOf(retries[0]!);
    expect(ofType(events.slice(0, retryAt), "text_delta").length).toBeGreaterThan(0);
    expect(ofType(events.slice(retryAt), "text_delta").map((d) => d.delta).join("")).toBe(text);
    expect(doneMessage(events).content).toEqual([{ type: "text", text }]);
    expect(server.requests).toHaveLength(2);
  });

  it("treats an error event mid-stream as overloaded and retries", async () => {
    let calls = 0;
    const server = await startFakeServer(async (_req, res) => {
      calls++;
      const start = { type: "message_start", message: { id: "msg_x", type: "message", role: "assistant", model: "m", content: [], stop_reason: null, usage: { input_tokens: 3, output_tokens: 1 } } };
      const error = { type: "error", error: { type: "overloaded_error", message: "Overloaded" } };
      const ok = [
        sseFrame({ type: "content_block_start", index: 0, content_block: { type: "text", text: "" } }, "content_block_start"),
        sseFrame({ type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "fine" } }, "content_block_delta"),
        sseFrame({ type: "content_block_stop", index: 0 }, "content_block_stop"),
        sseFrame({ type: "message_delta", delta: { stop_reason: "end_turn" }, usage: { output_tokens: 2 } }, "message_delta"),
        sseFrame({ type: "message_stop" }, "message_stop"),
      ];
      await streamSse(res, [sseFrame(start, "message_start"), ...(calls === 1 ? [sseFrame(error, "error")] : ok)]);
    });
    servers.push(server);
    const events = await collect(modelFor(server.url).stream(ask("hi")));
    const retry = ofType(events, "retry")[0]!;
    expect(retry.error).toMatchObject({ kind: "overloaded", retryable: true });
    expect(retry.error.message).toBe("anthropic stream overloaded_error: Overloaded");
    expect(doneMessage(events).content).toEqual([{ type: "text", text: "fine" }]);
  });

  it("treats a stream that ends cleanly before message_stop as a retryable connection error", async () => {
    const server = await startFakeServer(async (_req, res) => {
      const start = { type: "message_start", message: { id: "msg_y", type: "message", role: "assistant", model: "m", content: [], stop_reason: null, usage: { input_tokens: 3, output_tokens: 1 } } };
      await streamSse(res, [sseFrame(start, "message_start")]);
    });
    servers.push(server);
    const events = await collect(modelFor(server.url).stream(ask("hi")));
    expect(ofType(events, "retry")).toHaveLength(3);
    const last = events.at(-1)!;
    expect(last).toMatchObject({ type: "error", error: { kind: "connection", retryable: true } });
    if (last.type === "error") expect(last.error.message).toMatch(/ended before message_stop \(gave up after 4 attempts\)/);
  });

  it("reports a rejected key as an auth error without retrying", async () => {
    const server = await fake([{ kind: "error", status: 401 }]);
    const events = await collect(modelFor(server.url).stream(ask("hi")));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: "error", error: { kind: "auth", status: 401, retryable: false } });
  });

  it("names the base URL when the server cannot be reached, after the retries", async () => {
    const url = await closedPortUrl();
    const events = await collect(modelFor(url).stream(ask("hi")));
    expect(ofType(events, "retry")).toHaveLength(3);
    const last = events.at(-1)!;
    expect(last.type).toBe("error");
    if (last.type !== "error") return;
    expect(last.error.kind).toBe("connection");
    expect(last.error.message).toContain(`cannot reach ${url}`);
    expect(last.error.message).toContain("ECONNREFUSED");
  });

  it("ends with an aborted error when the signal fires mid-stream", async () => {
    const server = await fake([{ kind: "reply", text: "a long answer streamed slowly, piece by piece" }], { chunkDelayMs: 40 });
    const controller = new AbortController();
    const events: ModelEvent[] = [];
    for await (const event of modelFor(server.url).stream(ask("hi", { signal: controller.signal }))) {
      events.push(event);
      if (event.type === "text_delta") controller.abort();
    }
    expect(ofType(events, "done")).toHaveLength(0);
    expect(ofType(events, "retry")).toHaveLength(0);
    expect(events.at(-1)).toMatchObject({ type: "error", error: { kind: "aborted", retryable: false } });
    expect(server.requests).toHaveLength(1);
  });

  it("throws a one-line ConfigError when the key is missing", () => {
    const make = () => createModel("anthropic:claude-opus-4-6", opus, { retry: fast });
    expect(make).toThrow(ConfigError);
    expect(make).toThrow(/^ANTHROPIC_API_KEY is not set: export it/);
    try {
      make();
    } catch (error) {
      expect((error as Error).message).not.toContain("\n");
    }
  });
});

describe("anthropic adapter: request body", () => {
  const tools = [
    { name: "read_file", description: "Read a file", parameters: { type: "object", properties: { path: { type: "string" } } } },
    { name: "shell", description: "Run a command", parameters: { type: "object", properties: { command: { type: "string" } } } },
  ];

  async function firstBody(info: ModelInfo, request: ModelRequest, options: Partial<ProviderOptions> = {}) {
    const server = await fake([{ kind: "reply", text: "ok" }]);
    doneMessage(await collect(modelFor(server.url, info, options).stream(request)));
    return server.requests[0]!;
  }

  it("asks for adaptive thinking and sends effort only when it is not the default", async () => {
    const medium = bodyOf(await firstBody(opus, ask("hi", { effort: "medium" })));
    expect(medium.thinking).toEqual({ type: "adaptive" });
    expect(medium.output_config).toEqual({ effort: "medium" });
    const high = bodyOf(await firstBody(opus, ask("hi", { effort: "high" })));
    expect(high.thinking).toEqual({ type: "adaptive" });
    expect(high.output_config).toBeUndefined();
    const max = bodyOf(await firstBody(opus, ask("hi", { effort: "max" })));
    expect(max.output_config).toEqual({ effort: "max" });
    expect(max.max_tokens).toBe(32_000);
  });

  it("maps effort onto thinking budgets for budget models, keeping the budget below max_tokens", async () => {
    expect(bodyOf(await firstBody(haiku, ask("hi", { effort: "low" }))).thinking).toBeUndefined();
    expect(bodyOf(await firstBody(haiku, ask("hi"))).thinking).toBeUndefined();
    const medium = bodyOf(await firstBody(haiku, ask("hi", { effort: "medium" })));
    expect(medium.thinking).toEqual({ type: "enabled", budget_tokens: 4096 });
    const max = bodyOf(await firstBody(haiku, ask("hi", { effort: "max" })));
    expect(max.thinking).toEqual({ type: "enabled", budget_tokens: 32_000 });
    expect(max.max_tokens).toBeGreaterThan(32_000);
    expect(max.output_config).toBeUndefined();
  });

  it("places cache breakpoints on the last tool, the system block and the newest block (at most 4)", async () => {
    const req = await firstBody(opus, ask("hi", { tools }));
    const body = bodyOf(req);
    expect(body.tools!.map((t) => t.cache_control)).toEqual([undefined, { type: "ephemeral" }]);
    expect(body.system).toEqual([{ type: "text", text: "You are a careful colleague.", cache_control: { type: "ephemeral" } }]);
    expect(body.messages.at(-1)!.content.at(-1)).toEqual({ type: "text", text: "hi", cache_control: { type: "ephemeral" } });
    const count = req.rawBody.split('"cache_control"').length - 1;
    expect(count).toBe(3);
    expect(count).toBeLessThanOrEqual(4);
  });

  it("merges tool results and a following steering message into one user message", async () => {
    const png = Buffer.from("fake-png").toString("base64");
    const messages: Message[] = [
      { role: "user", content: [{ type: "text", text: "look around" }] },
      {
        role: "assistant",
        content: [
          { type: "text", text: "" },
          { type: "tool_call", id: "toolu_a", name: "read_file", args: { path: "a.ts" } },
          { type: "tool_call", id: "toolu_b", name: "shell", args: { command: "false" } },
        ],
        model: "anthropic:claude-opus-4-6",
        api: "anthropic",
        stopReason: "tool_use",
        usage: { input: 1, output: 1, cacheRead: 0, cacheWrite: 0, reasoning: 0 },
      },
      { role: "tool", callId: "toolu_a", name: "read_file", isError: false, content: [{ type: "text", text: "export {}" }, { type: "image", mediaType: "image/png", data: png }] },
      { role: "tool", callId: "toolu_b", name: "shell", isError: true, content: [{ type: "text", text: "exit 1" }] },
      { role: "user", content: [{ type: "text", text: "also check b.ts" }] },
    ];
    const body = bodyOf(await firstBody(opus, ask("", { messages, tools })));
    expect(body.messages.map((m) => m.role)).toEqual(["user", "assistant", "user"]);
    expect(body.messages[1]!.content).toEqual([
      { type: "tool_use", id: "toolu_a", name: "read_file", input: { path: "a.ts" } },
      { type: "tool_use", id: "toolu_b", name: "shell", input: { command: "false" } },
    ]);
    expect(body.messages[2]!.content).toEqual([
      {
        type: "tool_result",
        tool_use_id: "toolu_a",
        content: [
          { type: "text", text: "export {}" },
          { type: "image", source: { type: "base64", media_type: "image/png", data: png } },
        ],
      },
      { type: "tool_result", tool_use_id: "toolu_b", content: [{ type: "text", text: "exit 1" }], is_error: true },
      { type: "text", text: "also check b.ts", cache_control: { type: "ephemeral" } },
    ]);
  });

  it("sends the 1M-context beta header only when long context is on and the model has it", async () => {
    const on = await firstBody(opus, ask("hi"), { longContext: true });
    expect(on.headers["anthropic-beta"]).toContain("context-1m-2025-08-07");
    const off = await firstBody(opus, ask("hi"));
    expect(off.headers["anthropic-beta"]).toBeUndefined();
    const unsupported = await firstBody(haiku, ask("hi"), { longContext: true });
    expect(unsupported.headers["anthropic-beta"]).toBeUndefined();
  });
});

describe("anthropic fake: wire format", () => {
  it("rejects a request without an API key with the real error body and a request-id", async () => {
    const server = await fake([{ kind: "reply", text: "unused" }]);
    const res = await fetch(`${server.url}/v1/messages`, {
      method: "POST",
      headers: { "content-type": "application/json", "anthropic-version": "2023-06-01" },
      body: JSON.stringify({ model: "claude-opus-4-6", max_tokens: 10, messages: [] }),
    });
    expect(res.status).toBe(401);
    expect(res.headers.get("request-id")).toMatch(/^req_/);
    expect(await res.json()).toEqual({ type: "error", error: { type: "authentication_error", message: "x-api-key header is required" } });
  });

  it("streams the documented frame order, with a ping and a signature after the thinking", async () => {
    const server = await fake([{ kind: "reply", thinking: "think", text: "hello world", toolCalls: [{ name: "t", args: { a: 1 } }] }]);
    const res = await fetch(`${server.url}/v1/messages`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-api-key": "k", "anthropic-version": "2023-06-01" },
      body: JSON.stringify({ model: "claude-opus-4-6", max_tokens: 10, stream: true, messages: [{ role: "user", content: "hi" }] }),
    });
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    const names = [...(await res.text()).matchAll(/^event: (\S+)$/gm)].map((m) => m[1]);
    expect(names.slice(0, 3)).toEqual(["message_start", "ping", "content_block_start"]);
    expect(names.slice(-2)).toEqual(["message_delta", "message_stop"]);
    expect(names.filter((n) => n === "content_block_start")).toHaveLength(3);
    expect(names.filter((n) => n === "content_block_stop")).toHaveLength(3);
  });
});

describe("anthropic fake: scenarios", () => {
  it("answers step N to the request holding N assistant messages", async () => {
    const server = await fake(
      anthropicFakeFromScenario({
        steps: [
          { thinking: "Need the file.", toolCalls: [{ name: "read_file", args: { path: "README.md" } }] },
          { text: "The README says hello.", expect: { lastMessageIncludes: ["# Hello"], toolResultsOk: true } },
        ],
      }),
    );
    const model = modelFor(server.url);
    const first = doneMessage(await collect(model.stream(ask("summarise the README"))));
    expect(first.content[1]).toEqual({ type: "tool_call", id: "call_0_0", name: "read_file", args: { path: "README.md" } });
    const history: Message[] = [
      ...ask("summarise the README").messages,
      first,
      { role: "tool", callId: "call_0_0", name: "read_file", isError: false, content: [{ type: "text", text: "# Hello" }] },
    ];
    const second = doneMessage(await collect(model.stream(ask("", { messages: history }))));
    expect(second.content).toEqual([{ type: "text", text: "The README says hello." }]);
    // A failed expectation is a 400 the adapter reports without retrying.
    const wrong = await collect(model.stream(ask("", { messages: [...history.slice(0, 2), { ...(history[2] as Message & { role: "tool" }), isError: true }] })));
    expect(wrong.at(-1)).toMatchObject({ type: "error", error: { kind: "bad_request" } });
  });
});
