import { afterEach, describe, expect, it } from "vitest";
import type { ContextEngine } from "../../src/context/engine.js";
import { createModel as createAnthropic } from "../../src/model/anthropic.js";
import { createConfiguredModel } from "../../src/config/models.js";
import { costUsd, findModel, genericModelInfo } from "../../src/model/catalog.js";
import { createModel as createCompatible } from "../../src/model/compatible.js";
import { createModel as createOpenAI } from "../../src/model/openai.js";
import type { RetryPolicy } from "../../src/model/retry.js";
import { type AnthropicFakeTurn, startAnthropicFake } from "../fakes/anthropic.js";
import type { FakeServer, RecordedRequest } from "../fakes/http.js";
import { startCompatibleFake } from "../fakes/compatible.js";
import { startOpenAIFake } from "../fakes/openai.js";
import { toMessages as toMessagesForTest } from "../../src/model/anthropic-request.js";
import { replay } from "../../src/session/replay.js";
import { ofType, runScenario, tempRepo } from "../helpers.js";

const fast: RetryPolicy = { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 10 };
const opus = findModel("anthropic", "claude-opus-4-6")!;
const codex = findModel("openai", "gpt-5.3-codex")!;

let servers: FakeServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

/** Tool calls (`list`) for `steps - 1` turns, then an answer; `extra` decorates turn i. */
function listing(steps: number, extra: (i: number) => Pick<AnthropicFakeTurn, "compaction"> = () => ({})) {
  return (_req: RecordedRequest, i: number): AnthropicFakeTurn =>
    i < steps - 1
      ? { kind: "reply", text: `looking, step ${i + 1}`, toolCalls: [{ name: "list", args: {} }], ...extra(i) }
      : { kind: "reply", text: "done", ...extra(i) };
}

type Block = Record<string, unknown>;
interface AnthropicBody {
  tools: Block[];
  system: Block[];
  messages: { role: string; content: Block[] }[];
  context_management?: { edits: Block[] };
}
const bodyOf = (r: RecordedRequest) => r.body as AnthropicBody;

describe("Anthropic: native context management at the fake server", () => {
  it("every request carries the clear_tool_uses and compact edits with their beta headers", async () => {
    const server = await startAnthropicFake(listing(3));
    servers.push(server);
    const model = createAnthropic("anthropic:claude-opus-4-6", opus, { apiKey: "sk-ant-test", baseURL: server.url, retry: fast });
    const { result } = await runScenario({ steps: [{ text: "unused" }] }, { model });
    expect(result.status).toBe("completed");
    expect(server.requests).toHaveLength(3);
    for (const req of server.requests) {
      const edits = bodyOf(req).context_management!.edits;
      expect(edits.map((e) => e.type)).toEqual(["clear_tool_uses_20250919", "compact_20260112"]);
      expect(edits[0]).toMatchObject({ trigger: { type: "input_tokens", value: 80_000 }, keep: { type: "tool_uses", value: 3 } });
      expect(edits[1]).toMatchObject({ trigger: { type: "input_tokens", value: 170_000 } });
      expect(String(edits[1]!.instructions)).toContain("verbatim");
      const betas = String(req.headers["anthropic-beta"]).split(",");
      expect(betas).toEqual(expect.arrayContaining(["compact-2026-01-12", "context-management-2025-06-27"]));
      expect(betas).not.toContain("context-1m-2025-08-07");
    }
  });

  it("sends the 1M beta with long context configured, and sizes the triggers to the 1M window", async () => {
    const server = await startAnthropicFake(listing(1));
    servers.push(server);
    const longInfo = { ...opus, contextWindow: opus.longContext!.window };
    const model = createAnthropic("anthropic:claude-opus-4-6", longInfo, { apiKey: "k", baseURL: server.url, retry: fast, longContext: true });
    await runScenario({ steps: [{ text: "unused" }] }, { model });
    const req = server.requests[0]!;
    expect(String(req.headers["anthropic-beta"]).split(",")).toContain("context-1m-2025-08-07");
    expect(bodyOf(req).context_management!.edits[1]).toMatchObject({ trigger: { value: 850_000 } });
  });

  it("a compaction block comes back unchanged, and the history it replaces is dropped", async () => {
    const summary = "The user asked for a listing; four listings were made.";
    const server = await startAnthropicFake(listing(6, (i) => (i === 3 ? { compaction: { content: summary, encryptedContent: "opaque-123" } } : {})));
    servers.push(server);
    const model = createAnthropic("anthropic:claude-opus-4-6", opus, { apiKey: "k", baseURL: server.url, retry: fast });
    const { result, events, store } = await runScenario({ steps: [{ text: "unused" }] }, { model, task: "list the files, please" });
    expect(result.status).toBe("completed");
    const fifth = bodyOf(server.requests[4]!);
    expect(fifth.messages).toHaveLength(3);
    expect(fifth.messages[0]!.content[0]).toMatchObject({ type: "text", text: "list the files, please" });
    expect(fifth.messages[1]!.role).toBe("assistant");
    expect(fifth.messages[1]!.content[0]).toEqual({ type: "compaction", content: summary, encrypted_content: "opaque-123" });
    // After the compaction turn's tool results, the user's messages are pinned verbatim.
    const afterCompaction = fifth.messages[2]!.content;
    expect(afterCompaction[0]!.type).toBe("tool_result");
    expect(afterCompaction[1]).toMatchObject({ type: "text" });
    expect(String(afterCompaction[1]!.text)).toMatch(/^<pinned>[\s\S]*list the files, please/);
    // …and keeps coming back unchanged on later requests
    expect(bodyOf(server.requests[5]!).messages[1]!.content[0]).toEqual({ type: "compaction", content: summary, encrypted_content: "opaque-123" });
    const native = ofType(events, "context_compacted");
    expect(native).toHaveLength(1);
    expect(native[0]!).toMatchObject({ reason: "native", dropped: 6 });
    // resume rebuilds the same history the sixth request was built from
    const rebuilt = toMessagesForTest(replay(store.events(result.sessionId)).messages.slice(0, -1));
    expect(JSON.stringify(stripMarkers(rebuilt as unknown as AnthropicBody["messages"]))).toBe(JSON.stringify(stripMarkers(bodyOf(server.requests[5]!).messages)));
    // usage of a compacting request is the sum of its iterations
    const withCompaction = ofType(events, "assistant_message")[3]!.message;
    expect(withCompaction.content[0]!.type).toBe("compaction");
    const plain = ofType(events, "assistant_message")[2]!.message;
    expect(withCompaction.usage.output).toBeGreaterThan(200);
    expect(withCompaction.usage.input).toBeGreaterThan(plain.usage.input * 2);
  });

  it("across 10 steps, requests 2–10 share request 1's cached prefix byte for byte, and each reads its predecessor's", async () => {
    const server = await startAnthropicFake(listing(10));
    servers.push(server);
    const model = createAnthropic("anthropic:claude-opus-4-6", opus, { apiKey: "k", baseURL: server.url, retry: fast });
    const cwd = tempRepo({ "AGENTS.md": "Prefer small commits.", "a.txt": "a" });
    const { result } = await runScenario({ steps: [{ text: "unused" }] }, { model, cwd });
    expect(result.status).toBe("completed");
    expect(server.requests).toHaveLength(10);
    const sequences = server.requests.map((r) => cachedSequence(bodyOf(r)));
    // Request 1's prefix up to its last breakpoint, as bytes (breakpoint markers left out: they
    // are not part of the cached content).
    const first = sequences[0]!;
    const upTo = lastBreakpoint(first);
    expect(upTo).toBeGreaterThan(1);
    const prefix = JSON.stringify(first.slice(0, upTo + 1).map(stripMarker));
    for (let k = 1; k < 10; k++) {
      const seq = sequences[k]!;
      expect(JSON.stringify(seq.slice(0, upTo + 1).map(stripMarker))).toBe(prefix);
      // Where request k-1 ended, request k has a breakpoint: it reads exactly what k-1 wrote.
      const previous = sequences[k - 1]!;
      const end = previous.length - 1;
      expect(seq[end]!.cache_control).toEqual({ type: "ephemeral" });
      expect(JSON.stringify(seq.slice(0, end + 1).map(stripMarker))).toBe(JSON.stringify(previous.map(stripMarker)));
      expect(seq.filter((b) => b.cache_control).length).toBeLessThanOrEqual(4);
    }
    // tools and system are byte-identical in every request, markers included
    const fixed = server.requests.map((r) => JSON.stringify([bodyOf(r).tools, bodyOf(r).system]));
    expect(new Set(fixed).size).toBe(1);
  });
});

describe("the context event", () => {
  it("reports used tokens, the window and the cache hit ratio from the provider's usage", async () => {
    const server = await startAnthropicFake([
      { kind: "reply", text: "one", toolCalls: [{ name: "list", args: {} }], usage: { input: 1_000, cacheWrite: 3_000, cacheRead: 0 } },
      { kind: "reply", text: "two", usage: { input: 100, cacheWrite: 200, cacheRead: 3_700 } },
    ]);
    servers.push(server);
    const model = createAnthropic("anthropic:claude-opus-4-6", opus, { apiKey: "k", baseURL: server.url, retry: fast });
    const { events } = await runScenario({ steps: [{ text: "unused" }] }, { model });
    const contexts = ofType(events, "context");
    expect(contexts.map((c) => [c.used, c.cached, c.cacheHitRatio, c.window, c.estimated])).toEqual([
      [4_000, 0, 0, 200_000, false],
      [4_000, 3_700, 0.925, 200_000, false],
    ]);
  });
});

describe("Anthropic count_tokens", () => {
  it("confirms an estimate before compacting: a low count prevents it, a high one lets it happen", async () => {
    const settings = { compactAt: 0.5, keepRecent: 0.001, native: false };
    for (const [counted, expected] of [
      [1_000, 0],
      [150_000, 1],
    ] as const) {
      const server = await startAnthropicFake(listing(4), { countTokens: () => counted });
      servers.push(server);
      const model = createAnthropic("anthropic:claude-opus-4-6", opus, { apiKey: "k", baseURL: server.url, retry: fast });
      // An estimate far too high: every request "needs" compaction until the count says otherwise.
      const { result, events } = await runScenario({ steps: [{ text: "unused" }] }, { model, context: { ...settings, compactAt: 0.001 } });
      expect(result.status).toBe("completed");
      const counts = server.requests.filter((r) => r.path === "/v1/messages/count_tokens");
      expect(counts.length).toBeGreaterThan(0);
      const body = counts[0]!.body as Record<string, unknown>;
      expect(body.model).toBe("claude-opus-4-6");
      expect(Array.isArray(body.messages)).toBe(true);
      expect(body.stream).toBeUndefined();
      expect(body.max_tokens).toBeUndefined();
      const compactions = ofType(events, "context_compacted").length;
      expect(compactions > 0 ? 1 : 0).toBe(expected);
    }
  });
});

describe("OpenAI: /responses/compact at the fake server", () => {
  it("compacts through the endpoint; the compaction item goes back unchanged after the handoff", async () => {
    const server = await startOpenAIFake((_req, i) =>
      i < 4 ? { kind: "reply", text: `step ${i + 1}`, toolCalls: [{ id: `call_${i}`, name: "list", args: {} }] } : { kind: "reply", text: "done" },
    );
    servers.push(server);
    const model = createOpenAI("openai:gpt-5.3-codex", codex, { apiKey: "sk-test", baseURL: `${server.url}/v1`, retry: fast });
    let engine: ContextEngine | undefined;
    let step = 0;
    const { result, events } = await runScenario(
      { steps: [{ text: "unused" }] },
      {
        model,
        task: "tidy the repo",
        onContextEngine: (e) => {
          engine = e;
        },
        hooks: {
          drainInbox: () => {
            step++;
            if (step === 2) return [{ role: "user", content: [{ type: "text", text: "steer: skip node_modules" }] }];
            if (step === 4) engine!.requestCompaction();
            return [];
          },
        },
      },
    );
    expect(result.status).toBe("completed");
    const compactRequests = server.requests.filter((r) => r.path === "/v1/responses/compact");
    expect(compactRequests).toHaveLength(1);
    const compactBody = compactRequests[0]!.body as { model: string; input: unknown[]; instructions: string };
    expect(compactBody.model).toBe("gpt-5.3-codex");
    expect(JSON.stringify(compactBody.input)).toContain("tidy the repo");
    expect(typeof compactBody.instructions).toBe("string");

    const item = (server.compactions[0]!.output as Record<string, unknown>[]).at(-1)!;
    expect(item.type).toBe("compaction");
    const later = server.requests.filter((r) => r.path === "/v1/responses").slice(3);
    expect(later.length).toBeGreaterThan(0);
    for (const req of later) {
      const input = (req.body as { input: Record<string, unknown>[] }).input;
      expect(input[1]).toEqual(item);
      expect(req.rawBody).toContain(JSON.stringify(item));
      const handoff = JSON.stringify(input[0]);
      expect(handoff).toContain("tidy the repo");
      expect(handoff).toContain("steer: skip node_modules");
    }
    const compacted = ofType(events, "context_compacted")[0]!;
    expect(compacted.native).toMatchObject({ api: "openai", data: item });
    // The compaction call is billed like a request: in the event and in the session's totals.
    const usage = server.compactions[0]!.usage as { input_tokens: number; output_tokens: number };
    expect(compacted.usage).toMatchObject({ input: usage.input_tokens, output: 300 });
    expect(compacted.costUsd).toBeGreaterThan(0);
    const requestsInput = ofType(events, "assistant_message").reduce((n, e) => n + e.message.usage.input, 0);
    expect(result.usage.input).toBe(requestsInput + usage.input_tokens);
  });
});

/** The cached sequence in prefix order: tools, system blocks, then every message block. */
function cachedSequence(body: AnthropicBody): Block[] {
  return [...body.tools, ...body.system, ...body.messages.flatMap((m) => m.content.map((c) => ({ role: m.role, ...c })))];
}

const lastBreakpoint = (seq: Block[]) => seq.map((b) => Boolean(b.cache_control)).lastIndexOf(true);

function stripMarker(block: Block): Block {
  const { cache_control: _marker, ...rest } = block;
  return rest;
}

describe("compatible: the session's own model writes the summary", () => {
  it("asks the model for a summary of the compacted part and puts it in the handoff", async () => {
    const summary = "We listed the repo twice; the config lives in colleague.json.";
    const server = await startCompatibleFake((req) => {
      const body = req.body as { messages: { role: string; content: unknown }[]; tools?: unknown[] };
      if (String(body.messages[0]?.content).includes("You summarize the earlier part of a coding session")) {
        return { kind: "reply", text: summary };
      }
      const turns = body.messages.filter((m) => m.role === "assistant").length;
      const handoffTurns = /\((\d+) assistant turns\)/.exec(JSON.stringify(body.messages))?.[1];
      const n = turns + Number(handoffTurns ?? 0);
      return n < 4 ? { kind: "reply", text: `step ${n + 1}`, toolCalls: [{ name: "list", args: {} }] } : { kind: "reply", text: "done" };
    });
    servers.push(server);
    const model = createCompatible("compatible:qwen3@x", genericModelInfo("qwen3", "compatible"), { baseURL: `${server.url}/v1`, retry: fast });
    let engine: ContextEngine | undefined;
    let step = 0;
    const { result, events } = await runScenario(
      { steps: [{ text: "unused" }] },
      {
        model,
        onContextEngine: (e) => {
          engine = e;
        },
        hooks: {
          drainInbox: () => {
            if (++step === 4) engine!.requestCompaction();
            return [];
          },
        },
      },
    );
    expect(result.status).toBe("completed");
    const compacted = ofType(events, "context_compacted")[0]!;
    expect(compacted.handoff).toContain("## Summary");
    expect(compacted.handoff).toContain(summary);
    const summaryRequest = server.requests.find((r) => r.rawBody.includes("You summarize the earlier part"))!;
    expect((summaryRequest.body as { tools?: unknown }).tools).toBeUndefined();
  });
});

describe("1M windows", () => {
  it("a configured model gets the long window only with longContext on a model that has one", async () => {
    const env = { ANTHROPIC_API_KEY: "k" };
    const on = await createConfiguredModel("anthropic:claude-opus-4-6", { providers: { anthropic: { longContext: true } } }, env);
    expect(on.info.contextWindow).toBe(1_000_000);
    const off = await createConfiguredModel("anthropic:claude-opus-4-6", {}, env);
    expect(off.info.contextWindow).toBe(200_000);
    const haiku = await createConfiguredModel("anthropic:claude-haiku-4-5", { providers: { anthropic: { longContext: true } } }, env);
    expect(haiku.info.contextWindow).toBe(200_000);
    // above 200K prompt tokens the whole request is billed at the long-context rates
    expect(costUsd(on.info, { input: 300_000, output: 1_000, cacheRead: 0, cacheWrite: 0, reasoning: 0 })).toBeCloseTo((300_000 * 10 + 1_000 * 37.5) / 1e6, 6);
  });
});

describe("after compaction, at the fake server", () => {
  it("the next request body holds the original task, the AGENTS.md text and every steering message verbatim", async () => {
    const server = await startAnthropicFake(listing(7));
    servers.push(server);
    const model = createAnthropic("anthropic:claude-opus-4-6", opus, { apiKey: "k", baseURL: server.url, retry: fast });
    const cwd = tempRepo({ "AGENTS.md": "Run `npm test` before every commit.\nNever edit generated files." });
    const steers = ["Steer one: only touch src/.", 'Steer two: keep "quotes" and\nnewlines exactly.'];
    let engine: ContextEngine | undefined;
    let step = 0;
    const { result, events } = await runScenario(
      { steps: [{ text: "unused" }] },
      {
        model,
        cwd,
        task: "Refactor the parser; keep the public API.",
        onContextEngine: (e) => {
          engine = e;
        },
        hooks: {
          drainInbox: () => {
            step++;
            if (step === 2) return [{ role: "user", content: [{ type: "text", text: steers[0]! }] }];
            if (step === 3) return [{ role: "user", content: [{ type: "text", text: steers[1]! }] }];
            if (step === 5) engine!.requestCompaction();
            return [];
          },
        },
      },
    );
    expect(result.status).toBe("completed");
    expect(ofType(events, "context_compacted")).toHaveLength(1);
    const before = bodyOf(server.requests[3]!);
    const after = bodyOf(server.requests[4]!);
    expect(after.messages.length).toBeLessThan(before.messages.length);
    const text = after.messages.flatMap((m) => m.content.map((b) => String(b.text ?? ""))).join("\n");
    expect(text).toContain("<handoff>");
    expect(text).toContain("Refactor the parser; keep the public API.");
    for (const s of steers) expect(text).toContain(s);
    const system = after.system.map((b) => String(b.text)).join("\n");
    expect(system).toContain("Run `npm test` before every commit.\nNever edit generated files.");
    // the system prompt is untouched by compaction
    expect(JSON.stringify(after.system)).toBe(JSON.stringify(before.system));
  });
});

/** Wire messages without cache breakpoints (they move from request to request). */
function stripMarkers(messages: AnthropicBody["messages"]): unknown {
  return messages.map((m) => ({ role: m.role, content: m.content.map(stripMarker) }));
}

describe("server-side compaction by model", () => {
  it("is asked of models that have it; others get only the clearing edit", async () => {
    const server = await startAnthropicFake(listing(1));
    servers.push(server);
    const haiku = findModel("anthropic", "claude-haiku-4-5")!;
    const model = createAnthropic("anthropic:claude-haiku-4-5", haiku, { apiKey: "k", baseURL: server.url, retry: fast });
    await runScenario({ steps: [{ text: "unused" }] }, { model });
    const req = server.requests[0]!;
    expect(bodyOf(req).context_management!.edits.map((e) => e.type)).toEqual(["clear_tool_uses_20250919"]);
    const betas = String(req.headers["anthropic-beta"]).split(",");
    expect(betas).toContain("context-management-2025-06-27");
    expect(betas).not.toContain("compact-2026-01-12");
  });
});
