import { afterEach, describe, expect, it } from "vitest";
import { genericModelInfo } from "../../src/model/catalog.js";
import { createModel } from "../../src/model/compatible.js";
import { ChunkAccumulator } from "../../src/model/compatible-stream.js";
import { ConfigError, type ProviderOptions } from "../../src/model/resolve.js";
import type { AssistantMessage, Message, ModelEvent, ModelRequest } from "../../src/model/types.js";
import { type CompatibleFlavor, compatibleFakeFromScenario, startCompatibleFake } from "../fakes/compatible.js";
import { type FakeServer, startFakeServer } from "../fakes/http.js";
import { collect, doneMessage, lastError } from "./stream-helpers.js";

const retry = { maxRetries: 3, baseDelayMs: 1, maxDelayMs: 2000 };
const info = genericModelInfo("qwen3-coder", "compatible");
const tools = [
  { name: "read_file", description: "Read a file", parameters: { type: "object", properties: { path: { type: "string" } } } },
  { name: "shell", description: "Run a command", parameters: { type: "object", properties: { cmd: { type: "string" } } } },
];

let servers: FakeServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

async function fake(...args: Parameters<typeof startCompatibleFake>): Promise<FakeServer> {
  const server = await startCompatibleFake(...args);
  servers.push(server);
  return server;
}

function modelFor(server: { url: string }, extra: Partial<ProviderOptions> = {}) {
  const baseURL = `${server.url}/v1`;
  return createModel(`compatible:qwen3-coder@${baseURL}`, info, { baseURL, retry, ...extra });
}

const user = (text: string): Message => ({ role: "user", content: [{ type: "text", text }] });
const request = (over: Partial<ModelRequest> = {}): ModelRequest => ({ system: "You are terse.", messages: [user("hi")], tools: [], ...over });

const textOf = (m: AssistantMessage) => m.content.flatMap((p) => (p.type === "text" ? [p.text] : [])).join("");
const deltasAfterLastRetry = (events: ModelEvent[]) =>
  events
    .slice(events.map((e) => e.type).lastIndexOf("retry") + 1)
    .flatMap((e) => (e.type === "text_delta" ? [e.delta] : []))
    .join("");
const bodyOf = (server: FakeServer, i = 0) => server.requests[i]!.body as Record<string, unknown>;

describe("compatible adapter: streaming", () => {
  it.each<CompatibleFlavor>(["openai", "ollama", "llamacpp"])("streams text in many deltas (%s)", async (flavor) => {
    const server = await fake([{ kind: "reply", text: "Hello from a local model." }], { flavor });
    const events = await collect(modelFor(server).stream(request()));
    const deltas = events.filter((e) => e.type === "text_delta");
    expect(deltas.length).toBeGreaterThan(1);
    const message = doneMessage(events);
    expect(textOf(message)).toBe("Hello from a local model.");
    expect(message).toMatchObject({ api: "compatible", stopReason: "end", responseId: "chatcmpl-0" });
    expect(events.filter((e) => e.type === "done" || e.type === "error")).toHaveLength(1);
  });

  it.each<CompatibleFlavor>(["openai", "llamacpp", "ollama"])("assembles two parallel tool calls by index (%s)", async (flavor) => {
    const server = await fake(
      [
        {
          kind: "reply",
          text: "Looking.",
          toolCalls: [
            { id: "call_a", name: "read_file", args: { path: "src/index.ts" } },
            { id: "call_b", name: "shell", args: { cmd: "ls -la && echo done" } },
          ],
        },
      ],
      { flavor },
    );
    const events = await collect(modelFor(server).stream(request({ tools })));
    const starts = events.filter((e) => e.type === "tool_call_start");
    expect(starts).toEqual([
      { type: "tool_call_start", id: "call_a", name: "read_file" },
      { type: "tool_call_start", id: "call_b", name: "shell" },
    ]);
    const argText = (id: string) => events.flatMap((e) => (e.type === "tool_call_delta" && e.id === id ? [e.delta] : [])).join("");
    expect(JSON.parse(argText("call_b"))).toEqual({ cmd: "ls -la && echo done" });
    if (flavor !== "ollama") expect(events.filter((e) => e.type === "tool_call_delta").length).toBeGreaterThan(4);
    const message = doneMessage(events);
    expect(message.stopReason).toBe("tool_use");
    expect(message.content).toEqual([
      { type: "text", text: "Looking." },
      { type: "tool_call", id: "call_a", name: "read_file", args: { path: "src/index.ts" } },
      { type: "tool_call", id: "call_b", name: "shell", args: { cmd: "ls -la && echo done" } },
    ]);
  });

  it("keeps invalid argument JSON as invalidArgs with args {}", async () => {
    const server = await fake([{ kind: "reply", toolCalls: [{ id: "c1", name: "shell", rawArgs: '{"cmd": "ls' }] }]);
    const message = doneMessage(await collect(modelFor(server).stream(request({ tools }))));
    expect(message.content).toEqual([{ type: "tool_call", id: "c1", name: "shell", args: {}, invalidArgs: '{"cmd": "ls' }]);
  });

  it("generates distinct call ids when the server sends none", async () => {
    const server = await fake([{ kind: "reply", toolCalls: [{ id: "", name: "shell", args: { cmd: "a" } }, { id: "", name: "shell", args: { cmd: "b" } }] }]);
    const message = doneMessage(await collect(modelFor(server).stream(request({ tools }))));
    const calls = message.content.filter((p) => p.type === "tool_call");
    expect(calls.map((c) => c.args)).toEqual([{ cmd: "a" }, { cmd: "b" }]);
    expect(calls[0]!.id).toMatch(/^call_0_/);
    expect(calls[1]!.id).toMatch(/^call_1_/);
  });

  it.each<[CompatibleFlavor, string]>([
    ["openai", "reasoning_content"],
    ["ollama", "reasoning"],
  ])("turns %s thinking deltas into a ThinkingPart without replay", async (flavor) => {
    const server = await fake([{ kind: "reply", thinking: "The user greets me; answer briefly.", text: "Hi." }], { flavor });
    const events = await collect(modelFor(server).stream(request()));
    const thinking = events.flatMap((e) => (e.type === "thinking_delta" ? [e.delta] : [])).join("");
    expect(thinking).toBe("The user greets me; answer briefly.");
    expect(doneMessage(events).content).toEqual([
      { type: "thinking", text: "The user greets me; answer briefly." },
      { type: "text", text: "Hi." },
    ]);
  });

  it.each<CompatibleFlavor>(["openai", "llamacpp"])("maps usage, cached and reasoning tokens (%s)", async (flavor) => {
    const server = await fake([{ kind: "reply", text: "ok", usage: { input: 100, cacheRead: 40, output: 20, reasoning: 7 } }], { flavor });
    const message = doneMessage(await collect(modelFor(server).stream(request())));
    expect(message.usage).toEqual({ input: 100, output: 20, cacheRead: 40, cacheWrite: 0, reasoning: 7 });
  });
});

describe("compatible adapter: requests", () => {
  it("sends the history: assistant tool_calls, tool messages with their ids, no thinking", async () => {
    const server = await fake([
      { kind: "reply", thinking: "Need the file.", toolCalls: [{ id: "call_x", name: "read_file", args: { path: "a.ts" } }, { id: "call_y", name: "shell", args: { cmd: "ls" } }] },
      { kind: "reply", text: "Done." },
    ]);
    const model = modelFor(server);
    const first = doneMessage(await collect(model.stream(request({ tools }))));
    const history: Message[] = [
      user("read a.ts"),
      first,
      { role: "tool", callId: "call_x", name: "read_file", content: [{ type: "text", text: "export {}" }], isError: false },
      { role: "tool", callId: "call_y", name: "shell", content: [{ type: "text", text: "a.ts" }], isError: true },
    ];
    expect(textOf(doneMessage(await collect(model.stream(request({ tools, messages: history })))))).toBe("Done.");

    const body = bodyOf(server, 1);
    expect(body).toMatchObject({ model: "qwen3-coder", stream: true, stream_options: { include_usage: true } });
    expect(body.tools).toEqual(tools.map((t) => ({ type: "function", function: t })));
    expect(body.messages).toEqual([
      { role: "system", content: "You are terse." },
      { role: "user", content: "read a.ts" },
      {
        role: "assistant",
        content: null,
        tool_calls: [
          { id: "call_x", type: "function", function: { name: "read_file", arguments: '{"path":"a.ts"}' } },
          { id: "call_y", type: "function", function: { name: "shell", arguments: '{"cmd":"ls"}' } },
        ],
      },
      { role: "tool", tool_call_id: "call_x", content: "export {}" },
      { role: "tool", tool_call_id: "call_y", content: "a.ts" },
    ]);
  });

  it("sends images as data URLs in content parts", async () => {
    const server = await fake([{ kind: "reply", text: "A cat." }]);
    const messages: Message[] = [{ role: "user", content: [{ type: "text", text: "what is this?" }, { type: "image", mediaType: "image/png", data: "iVBORw0KGgo=" }] }];
    await collect(modelFor(server).stream(request({ messages })));
    expect((bodyOf(server).messages as unknown[])[1]).toEqual({
      role: "user",
      content: [
        { type: "text", text: "what is this?" },
        { type: "image_url", image_url: { url: "data:image/png;base64,iVBORw0KGgo=" } },
      ],
    });
  });

  it.each([
    ["ollama-think", "low", { think: false }],
    ["ollama-think", "high", { think: true }],
    ["chat-template-kwargs", "low", { chat_template_kwargs: { enable_thinking: false } }],
    ["chat-template-kwargs", "high", { chat_template_kwargs: { enable_thinking: true } }],
    ["reasoning-effort", "low", { reasoning_effort: "low" }],
    ["reasoning-effort", "max", { reasoning_effort: "high" }],
  ] as const)("compat thinking %s puts the right field in the body for effort %s", async (thinking, effort, expected) => {
    const server = await fake([{ kind: "reply", text: "ok" }]);
    await collect(modelFor(server, { compat: { thinking } }).stream(request({ effort })));
    const body = bodyOf(server);
    expect(body).toMatchObject(expected);
    const thinkingKeys = ["think", "chat_template_kwargs", "reasoning_effort"].filter((k) => k in body);
    expect(thinkingKeys).toEqual(Object.keys(expected));
  });

  it("sends no thinking field without an effort, nor with thinking: none", async () => {
    const server = await fake([{ kind: "reply", text: "a" }, { kind: "reply", text: "b" }]);
    await collect(modelFor(server, { compat: { thinking: "ollama-think" } }).stream(request()));
    await collect(modelFor(server).stream(request({ effort: "high" })));
    for (const i of [0, 1]) {
      expect(Object.keys(bodyOf(server, i)).filter((k) => ["think", "chat_template_kwargs", "reasoning_effort"].includes(k))).toEqual([]);
    }
  });

  it("applies the other compat switches: max tokens field, tool_choice, usage in stream", async () => {
    const server = await fake([{ kind: "reply", text: "ok" }]);
    const compat = { maxTokensField: "max_completion_tokens", toolChoiceAuto: true, usageInStream: false };
    const message = doneMessage(await collect(modelFor(server, { compat }).stream(request({ tools, maxOutputTokens: 512 }))));
    const body = bodyOf(server);
    expect(body).toMatchObject({ max_completion_tokens: 512, tool_choice: "auto" });
    expect(body).not.toHaveProperty("max_tokens");
    expect(body).not.toHaveProperty("stream_options");
    expect(message.usage.output).toBe(0); // the server sent none
  });

  it("rejects a missing base URL and unknown compat keys with a ConfigError", () => {
    expect(() => createModel("compatible:qwen3-coder", info, { retry })).toThrow(ConfigError);
    expect(() => createModel("compatible:qwen3-coder", info, { retry })).toThrow(/compatible:qwen3-coder@http:\/\/.*COMPATIBLE_BASE_URL/);
    expect(() => createModel("compatible:q", info, { retry, baseURL: "http://127.0.0.1:1/v1", compat: { thinkng: "ollama-think" } })).toThrow(ConfigError);
  });

  it("sends the key and extra headers it is given", async () => {
    const server = await fake([{ kind: "reply", text: "ok" }]);
    await collect(modelFor(server, { apiKey: "sk-local", headers: { "x-team": "blue" } }).stream(request()));
    expect(server.requests[0]!.headers).toMatchObject({ authorization: "Bearer sk-local", "x-team": "blue" });
  });
});

describe("compatible adapter: errors and retries", () => {
  it("waits out a 429 retry-after, then succeeds", async () => {
    const server = await fake([
      { kind: "error", status: 429, headers: { "retry-after": "1" }, body: { error: { message: "slow down", type: "rate_limit_error", code: "rate_limit_exceeded" } } },
      { kind: "reply", text: "ok" },
    ]);
    const events = await collect(modelFor(server).stream(request()));
    const retryEvent = events.find((e) => e.type === "retry");
    expect(retryEvent).toMatchObject({ attempt: 1, delayMs: 1000, error: { kind: "rate_limit", status: 429, retryAfterMs: 1000 } });
    expect(textOf(doneMessage(events))).toBe("ok");
    expect(server.requests).toHaveLength(2);
  });

  it("retries a 503 and names the server in the error", async () => {
    const server = await fake([{ kind: "error", status: 503, body: { error: { message: "model is loading", type: "server_error", code: null } } }, { kind: "reply", text: "ok" }]);
    const events = await collect(modelFor(server).stream(request()));
    const retryEvent = events.find((e) => e.type === "retry");
    expect(retryEvent).toMatchObject({ error: { kind: "server", status: 503, message: `${server.url}/v1 503: model is loading` } });
    expect(textOf(doneMessage(events))).toBe("ok");
  });

  it("does not retry a 400 and reports the server's message", async () => {
    const server = await fake([{ kind: "error", status: 400, body: { error: "model 'nope' not found" } }]);
    const error = lastError(await collect(modelFor(server).stream(request())));
    expect(error).toMatchObject({ kind: "bad_request", status: 400, retryable: false, message: `${server.url}/v1 400: model 'nope' not found` });
    expect(server.requests).toHaveLength(1);
  });

  it("retries a stream cut mid-response; the final message holds the text once", async () => {
    const full = "The quick brown fox jumps over the lazy dog.";
    const server = await fake([{ kind: "reply", text: full, cutAfter: 3 }, { kind: "reply", text: full }]);
    const events = await collect(modelFor(server).stream(request()));
    const retryEvent = events.find((e) => e.type === "retry");
    expect(retryEvent).toMatchObject({ error: { kind: "connection", retryable: true, message: expect.stringContaining(`${server.url}/v1 was cut`) } });
    expect(events.slice(0, events.indexOf(retryEvent!)).some((e) => e.type === "text_delta")).toBe(true);
    expect(deltasAfterLastRetry(events)).toBe(full);
    expect(textOf(doneMessage(events))).toBe(full);
  });

  it("treats a stream that ends before any finish_reason as a retryable cut", async () => {
    let calls = 0;
    const server = await startFakeServer((_req, res) => {
      calls++;
      res.writeHead(200, { "content-type": "text/event-stream" });
      const delta = calls === 1 ? { content: "par" } : { content: "full" };
      res.write(`data: ${JSON.stringify({ id: "x", object: "chat.completion.chunk", created: 1, model: "m", choices: [{ index: 0, delta, finish_reason: calls === 1 ? null : "stop" }] })}\n\n`);
      res.end("data: [DONE]\n\n");
    });
    servers.push(server);
    const events = await collect(modelFor(server).stream(request()));
    expect(events.find((e) => e.type === "retry")).toMatchObject({ error: { kind: "connection" } });
    expect(textOf(doneMessage(events))).toBe("full");
  });

  it("retries a malformed chunk like a dropped stream; the result holds the text once", async () => {
    const text = "Hello there, friend.";
    const server = await fake([{ kind: "reply", text, malformedAt: 2 }, { kind: "reply", text }]);
    const events = await collect(modelFor(server).stream(request()));
    const retries = events.filter((e) => e.type === "retry");
    expect(retries).toHaveLength(1);
    expect(retries[0]).toMatchObject({ error: { kind: "malformed", retryable: true, message: expect.stringContaining(server.url) } });
    expect(deltasAfterLastRetry(events)).toBe(text);
    expect(textOf(doneMessage(events))).toBe(text);
    expect(server.requests).toHaveLength(2);
  });

  it("reports an error object inside the stream", async () => {
    const server = await startFakeServer((_req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.end(`data: ${JSON.stringify({ error: { message: "CUDA out of memory" } })}\n\n`);
    });
    servers.push(server);
    const error = lastError(await collect(modelFor(server, { retry: { ...retry, maxRetries: 0 } }).stream(request())));
    expect(error).toMatchObject({ kind: "server" });
    expect(error.message).toContain("CUDA out of memory");
  });

  it("names the URL when the connection is refused", async () => {
    const gone = await startFakeServer(() => {});
    await gone.close();
    const events = await collect(modelFor(gone).stream(request()));
    expect(events.filter((e) => e.type === "retry")).toHaveLength(3);
    const error = lastError(events);
    expect(error).toMatchObject({ kind: "connection", retryable: true });
    expect(error.message).toContain(`cannot reach ${gone.url}/v1 (ECONNREFUSED): is the server running?`);
  });

  it("gives up on missing response headers after timeoutMs, as a connection error naming the key", async () => {
    const server = await startFakeServer(async (_req, res) => {
      await new Promise((r) => setTimeout(r, 500));
      res.writeHead(200, { "content-type": "text/event-stream" }).end("data: [DONE]\n\n");
    });
    servers.push(server);
    const error = lastError(await collect(modelFor(server, { timeoutMs: 50, retry: { ...retry, maxRetries: 0 } }).stream(request())));
    expect(error).toMatchObject({ kind: "connection", message: expect.stringContaining(`${server.url}/v1 sent no response headers within 50 ms; providers.compatible.timeoutMs`) });
  });

  it("ends with aborted when the caller aborts mid-stream", async () => {
    const server = await fake([{ kind: "reply", text: "one two three four five six" }], { chunkDelayMs: 100 });
    const controller = new AbortController();
    const events: ModelEvent[] = [];
    for await (const e of modelFor(server).stream(request({ signal: controller.signal }))) {
      events.push(e);
      if (e.type === "text_delta") controller.abort();
    }
    expect(lastError(events)).toMatchObject({ kind: "aborted", retryable: false });
    expect(events.filter((e) => e.type === "done" || e.type === "error")).toHaveLength(1);
  });

  it("ends with aborted when the signal is already aborted", async () => {
    const server = await fake([{ kind: "reply", text: "never" }]);
    const events = await collect(modelFor(server).stream(request({ signal: AbortSignal.abort() })));
    expect(events).toEqual([{ type: "error", error: { kind: "aborted", message: "aborted", retryable: false } }]);
  });
});

describe("ChunkAccumulator quirks", () => {
  const chunk = (delta: Record<string, unknown>, finish: string | null = null) =>
    ({ id: "c", object: "chat.completion.chunk", created: 1, model: "m", choices: [{ index: 0, delta, finish_reason: finish }] }) as never;

  it("accepts arguments sent as an object, and index-less whole calls", () => {
    const acc = new ChunkAccumulator();
    acc.push(chunk({ tool_calls: [{ id: "a", function: { name: "shell", arguments: { cmd: "ls" } } }] }));
    acc.push(chunk({ tool_calls: [{ function: { name: "read_file", arguments: { path: "x" } } }] }));
    acc.push(chunk({}, "stop"));
    expect(acc.content()).toMatchObject([
      { type: "tool_call", id: "a", name: "shell", args: { cmd: "ls" } },
      { type: "tool_call", name: "read_file", args: { path: "x" } },
    ]);
    expect(acc.stopReason()).toBe("tool_use"); // "stop" after tool calls still means tool use
  });

  it("starts a new call when a new id arrives at a reused index", () => {
    const acc = new ChunkAccumulator();
    acc.push(chunk({ tool_calls: [{ index: 0, id: "a", function: { name: "shell", arguments: '{"cmd":' } }] }));
    acc.push(chunk({ tool_calls: [{ index: 0, function: { arguments: '"ls"}' } }] }));
    acc.push(chunk({ tool_calls: [{ index: 0, id: "b", function: { name: "shell", arguments: '{"cmd":"pwd"}' } }] }));
    expect(acc.content()).toEqual([
      { type: "tool_call", id: "a", name: "shell", args: { cmd: "ls" } },
      { type: "tool_call", id: "b", name: "shell", args: { cmd: "pwd" } },
    ]);
  });

  it.each([
    ["length", "max_tokens"],
    ["content_filter", "refusal"],
    ["stop", "end"],
  ])("maps finish_reason %s to %s", (finish, stop) => {
    const acc = new ChunkAccumulator();
    acc.push(chunk({ content: "x" }, finish));
    expect(acc.stopReason()).toBe(stop);
  });
});

describe("compatibleFakeFromScenario", () => {
  it("answers step N to a request holding N assistant messages, with scenario call ids", async () => {
    const server = await compatibleFakeFromScenario({
      steps: [
        { toolCalls: [{ name: "shell", args: { cmd: "ls" } }] },
        { text: "Two files.", expect: { lastMessageIncludes: ["a.ts"], systemIncludes: ["terse"] } },
      ],
    });
    servers.push(server);
    const model = modelFor(server);
    const first = doneMessage(await collect(model.stream(request({ tools }))));
    expect(first.content).toEqual([{ type: "tool_call", id: "call_0_0", name: "shell", args: { cmd: "ls" } }]);
    const result = (text: string): Message => ({ role: "tool", callId: "call_0_0", name: "shell", content: [{ type: "text", text }], isError: false });
    const second = await collect(model.stream(request({ tools, messages: [user("list"), first, result("a.ts b.ts")] })));
    expect(textOf(doneMessage(second))).toBe("Two files.");
    const failed = lastError(await collect(model.stream(request({ tools, messages: [user("list"), first, result("nothing")] }))));
    expect(failed).toMatchObject({ kind: "bad_request", message: expect.stringContaining("scenario step 1") });
  });
});
