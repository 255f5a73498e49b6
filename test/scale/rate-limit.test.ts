import { randomBytes } from "node:crypto";
import type { Redis } from "ioredis";
import { afterAll, afterEach, expect, it } from "vitest";
import { createModel as createAnthropic } from "../../src/model/anthropic.js";
import { findModel } from "../../src/model/catalog.js";
import { gateKey, setRequestGate } from "../../src/model/request-gate.js";
import type { ModelRequest } from "../../src/model/types.js";
import { RedisRateLimiter } from "../../src/queue/rate-limit.js";
import { connectRedis } from "../../src/queue/redis.js";
import { startAnthropicFake } from "../fakes/anthropic.js";
import type { FakeServer } from "../fakes/http.js";
import { collect, doneMessage } from "../model/stream-helpers.js";
import { describeIfAvailable } from "../requires.js";
import { redisMissing, redisUrl } from "./services.js";

const ask: ModelRequest = { system: "Be brief.", messages: [{ role: "user", content: [{ type: "text", text: "hi" }] }], tools: [] };
const API_KEY = "sk-ant-shared-account";

describeIfAvailable("the shared per-provider rate limit (Redis)", redisMissing, () => {
  const connections: Redis[] = [];
  const servers: FakeServer[] = [];
  const connect = async () => {
    const redis = await connectRedis(redisUrl!);
    connections.push(redis);
    return redis;
  };
  afterEach(() => setRequestGate(undefined));
  afterAll(async () => {
    for (const server of servers) await server.close();
    for (const redis of connections) redis.disconnect();
  });

  /** A fake Anthropic API that notes when each request arrived; `first429` answers the first with 429 + retry-after: 1. */
  async function fakeProvider(first429 = false) {
    const arrivals: number[] = [];
    const server = await startAnthropicFake((_req, index) => {
      arrivals.push(Date.now());
      if (first429 && index === 0) return { kind: "error", status: 429, headers: { "retry-after": "1" } };
      return { kind: "reply", text: "ok" };
    });
    servers.push(server);
    const model = () => createAnthropic("anthropic:claude-opus-4-6", findModel("anthropic", "claude-opus-4-6")!, { apiKey: API_KEY, baseURL: server.url, retry: { maxRetries: 3, baseDelayMs: 1, maxDelayMs: 50 } });
    /** A request from another worker process: its own limiter, its own Redis connection, the same account. */
    const fromAnotherWorker = async (limiter: RedisRateLimiter) => {
      await limiter.acquire(gateKey(new URL(server.url), new Headers({ "x-api-key": API_KEY })));
      const response = await fetch(`${server.url}/v1/messages`, {
        method: "POST",
        headers: { "x-api-key": API_KEY, "anthropic-version": "2023-06-01", "content-type": "application/json" },
        body: JSON.stringify({ model: "claude-opus-4-6", max_tokens: 16, messages: [{ role: "user", content: "hi" }], stream: true }),
      });
      await response.text();
      return response.status;
    };
    return { server, arrivals, model, fromAnotherWorker };
  }

  it("holds the requests of several workers to one window's limit", async () => {
    const prefix = `colleague-test:${randomBytes(4).toString("hex")}`;
    const settings = { requests: 3, windowMs: 2_000, prefix };
    setRequestGate(new RedisRateLimiter(await connect(), settings));
    const other = new RedisRateLimiter(await connect(), settings);
    const { arrivals, model, fromAnotherWorker } = await fakeProvider();

    const here = Array.from({ length: 6 }, () => collect(model().stream(ask)));
    const there = Array.from({ length: 3 }, () => fromAnotherWorker(other));
    const results = await Promise.all(here);
    expect(await Promise.all(there)).toEqual([200, 200, 200]);
    for (const events of results) expect(doneMessage(events).content).toEqual([{ type: "text", text: "ok" }]);

    expect(arrivals).toHaveLength(9);
    const sorted = [...arrivals].sort((a, b) => a - b);
    // Any 4 consecutive arrivals span about a window: never more than 3 in one. (Less a margin
    // for the time between Redis granting a slot and the request reaching the server on a busy
    // machine; without the limit all 9 arrive within a fraction of a second.)
    for (let i = 0; i + 3 < sorted.length; i++) expect(sorted[i + 3]! - sorted[i]!).toBeGreaterThanOrEqual(1_500);
  }, 60_000);

  it("makes every worker wait out a 429's retry-after, not only the one that got it", async () => {
    const prefix = `colleague-test:${randomBytes(4).toString("hex")}`;
    const settings = { requests: 0, windowMs: 1_000, prefix };
    const redis = await connect();
    setRequestGate(new RedisRateLimiter(redis, settings));
    const other = new RedisRateLimiter(await connect(), settings);
    const { arrivals, model, fromAnotherWorker } = await fakeProvider(true);

    const first = collect(model().stream(ask));
    // The 429 has come back and its back-off is in Redis: now the other worker asks.
    const backoffKey = `${prefix}:${gateKey(new URL(servers.at(-1)!.url), new Headers({ "x-api-key": API_KEY }))}:backoff`;
    await waitFor(async () => ((await redis.pttl(backoffKey)) > 0 ? true : undefined));
    const rejectedAt = arrivals[0]!;
    const statuses = await Promise.all(Array.from({ length: 3 }, () => fromAnotherWorker(other)));
    expect(statuses).toEqual([200, 200, 200]);
    expect(doneMessage(await first).content).toEqual([{ type: "text", text: "ok" }]);
    // Nobody reached the provider while it had asked for a second's rest.
    for (const at of arrivals.slice(1)) expect(at - rejectedAt).toBeGreaterThanOrEqual(900);
  }, 60_000);
});

async function waitFor<T>(check: () => T | undefined | Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
