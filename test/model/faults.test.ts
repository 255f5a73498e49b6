import { afterEach, describe, expect, it } from "vitest";
import { createModel as createAnthropic } from "../../src/model/anthropic.js";
import { findModel, genericModelInfo } from "../../src/model/catalog.js";
import { createModel as createCompatible } from "../../src/model/compatible.js";
import { createModel as createOpenAI } from "../../src/model/openai.js";
import type { ProviderOptions } from "../../src/model/resolve.js";
import type { RetryPolicy } from "../../src/model/retry.js";
import type { Model, ModelEvent, ModelRequest } from "../../src/model/types.js";
import { startAnthropicFake } from "../fakes/anthropic.js";
import { startCompatibleFake } from "../fakes/compatible.js";
import type { FakeServer, FakeTurn } from "../fakes/http.js";
import { startOpenAIFake } from "../fakes/openai.js";
import { collect, doneMessage, lastError } from "./stream-helpers.js";

/**
 * Faults at the fake servers, the same for the three wire formats: a server that stalls after
 * its headers or mid-stream, one that never answers, a garbled frame, and `retry-after`.
 * Limits are small so the tests are quick; assertions are on events, not on wall time.
 */

const fast: RetryPolicy = { maxRetries: 2, baseDelayMs: 1, maxDelayMs: 50 };

interface Wire {
  name: "anthropic" | "openai" | "compatible";
  start(turns: FakeTurn[]): Promise<FakeServer>;
  model(server: FakeServer, options?: Partial<ProviderOptions>): Model;
}

const wires: Wire[] = [
  {
    name: "anthropic",
    start: (turns) => startAnthropicFake(turns),
    model: (server, options) =>
      createAnthropic("anthropic:claude-opus-4-6", findModel("anthropic", "claude-opus-4-6")!, {
        apiKey: "sk-ant-test",
        baseURL: server.url,
        retry: fast,
        ...options,
      }),
  },
  {
    name: "openai",
    start: (turns) => startOpenAIFake(turns as Parameters<typeof startOpenAIFake>[0]),
    model: (server, options) =>
      createOpenAI("openai:gpt-5.3-codex", findModel("openai", "gpt-5.3-codex")!, {
        apiKey: "sk-test",
        baseURL: `${server.url}/v1`,
        retry: fast,
        ...options,
      }),
  },
  {
    name: "compatible",
    start: (turns) => startCompatibleFake(turns),
    model: (server, options) =>
      createCompatible(`compatible:qwen3@${server.url}/v1`, genericModelInfo("qwen3", "compatible"), {
        baseURL: `${server.url}/v1`,
        retry: fast,
        ...options,
      }),
  },
];

let servers: FakeServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

async function serve(wire: Wire, turns: FakeTurn[]): Promise<FakeServer> {
  const server = await wire.start(turns);
  servers.push(server);
  return server;
}

const ask: ModelRequest = { system: "Be brief.", messages: [{ role: "user", content: [{ type: "text", text: "hi" }] }], tools: [] };

const retries = (events: ModelEvent[]) => events.filter((e): e is Extract<ModelEvent, { type: "retry" }> => e.type === "retry");

/** The text a consumer shows: deltas since the last retry (a retry drops partial output). */
function visibleText(events: ModelEvent[]): string {
  let text = "";
  for (const e of events) {
    if (e.type === "retry") text = "";
    if (e.type === "text_delta") text += e.delta;
  }
  return text;
}

const finalText = (events: ModelEvent[]) =>
  doneMessage(events)
    .content.flatMap((p) => (p.type === "text" ? [p.text] : []))
    .join("");

const TEXT = "The build is green and all tests pass.";

describe.each(wires)("$name adapter at a faulty server", (wire) => {
  it("retries a stream that stalls right after its headers, within the idle limit, and completes", async () => {
    const server = await serve(wire, [{ kind: "reply", text: TEXT, stallAfter: 0 }, { kind: "reply", text: TEXT }]);
    const events = await collect(wire.model(server, { idleTimeoutMs: 300 }).stream(ask));
    const [retry, ...more] = retries(events);
    expect(more).toHaveLength(0);
    expect(retry!.error).toMatchObject({ kind: "connection", retryable: true });
    expect(retry!.error.message).toContain(`stalled: no data for 300 ms; providers.${wire.name}.idleTimeoutMs sets the limit`);
    expect(finalText(events)).toBe(TEXT);
    expect(server.requests).toHaveLength(2);
  });

  it("retries a stream that stalls mid-answer; the result holds the retried text once", async () => {
    const server = await serve(wire, [{ kind: "reply", text: TEXT, stallAfter: 4 }, { kind: "reply", text: TEXT }]);
    const events = await collect(wire.model(server, { idleTimeoutMs: 300 }).stream(ask));
    expect(retries(events).map((r) => r.error.message)).toEqual([expect.stringContaining("stalled: no data for 300 ms")]);
    expect(visibleText(events)).toBe(TEXT);
    expect(finalText(events)).toBe(TEXT);
  });

  it("gives up on a server that never answers: a retry notice per attempt, then one clear error", async () => {
    const server = await serve(wire, [{ kind: "hang" }, { kind: "hang" }, { kind: "hang" }]);
    const events = await collect(wire.model(server, { timeoutMs: 200 }).stream(ask));
    const notices = retries(events);
    expect(notices.map((r) => r.attempt)).toEqual([1, 2]);
    for (const notice of notices) expect(notice.error.message).toContain("sent no response headers within 200 ms");
    const error = lastError(events);
    expect(error).toMatchObject({ kind: "connection", retryable: true });
    expect(error.message).toMatch(new RegExp(`no response headers within 200 ms; providers\\.${wire.name}\\.timeoutMs sets the limit \\(gave up after 3 attempts\\)$`));
    expect(server.requests).toHaveLength(3);
  });

  it("retries a garbled frame like a dropped stream", async () => {
    const server = await serve(wire, [{ kind: "reply", text: TEXT, malformedAt: 3 }, { kind: "reply", text: TEXT }]);
    const events = await collect(wire.model(server).stream(ask));
    expect(retries(events).map((r) => r.error)).toEqual([expect.objectContaining({ kind: "malformed", retryable: true })]);
    expect(visibleText(events)).toBe(TEXT);
    expect(finalText(events)).toBe(TEXT);
  });

  it("fails at once, with a line saying so, when retry-after is longer than maxRetryAfterMs", async () => {
    const server = await serve(wire, [{ kind: "error", status: 429, headers: { "retry-after": "40" } }, { kind: "reply", text: TEXT }]);
    const events = await collect(wire.model(server, { retry: { ...fast, maxRetryAfterMs: 1_000 } }).stream(ask));
    expect(retries(events)).toHaveLength(0);
    const error = lastError(events);
    expect(error).toMatchObject({ kind: "rate_limit", status: 429, retryable: false });
    expect(error.message).toContain("the provider asked to wait 40 s before retrying, longer than maxRetryAfterMs (1 s)");
    expect(server.requests).toHaveLength(1);
  });

  it("waits a retry-after of 40 s in full when the maximum allows it (not cut to the backoff ceiling)", async () => {
    const server = await serve(wire, [{ kind: "error", status: 429, headers: { "retry-after": "40" } }, { kind: "reply", text: TEXT }]);
    const controller = new AbortController();
    const events: ModelEvent[] = [];
    for await (const event of wire.model(server).stream({ ...ask, signal: controller.signal })) {
      events.push(event);
      if (event.type === "retry") controller.abort(); // seen the planned wait; no need to sit through it
    }
    expect(retries(events)).toEqual([expect.objectContaining({ attempt: 1, delayMs: 40_000, error: expect.objectContaining({ kind: "rate_limit" }) })]);
    expect(lastError(events)).toMatchObject({ kind: "aborted" });
    expect(server.requests).toHaveLength(1);
  });
});

describe("retry-after within the maximum", () => {
  it("waits the 2 s a retry-after: 2 asks for (maximum 3 s), then completes", async () => {
    const wire = wires[0]!;
    const server = await serve(wire, [{ kind: "error", status: 529, headers: { "retry-after": "2" } }, { kind: "reply", text: TEXT }]);
    const events = await collect(wire.model(server, { retry: { ...fast, maxRetryAfterMs: 3_000 } }).stream(ask));
    expect(retries(events)).toEqual([expect.objectContaining({ delayMs: 2_000, error: expect.objectContaining({ kind: "overloaded" }) })]);
    expect(finalText(events)).toBe(TEXT);
  });

  it("takes retry-after-ms over retry-after", async () => {
    const wire = wires[2]!;
    const server = await serve(wire, [{ kind: "error", status: 503, headers: { "retry-after-ms": "120", "retry-after": "30" } }, { kind: "reply", text: TEXT }]);
    const events = await collect(wire.model(server).stream(ask));
    expect(retries(events)).toEqual([expect.objectContaining({ delayMs: 120 })]);
    expect(finalText(events)).toBe(TEXT);
  });
});
