import { afterEach, describe, expect, it } from "vitest";
import { Host } from "../../src/host/host.js";
import type { Scenario } from "../../src/model/scenario.js";
import { anthropicFakeFromScenario, startAnthropicFake } from "../fakes/anthropic.js";
import type { FakeServer, RecordedRequest } from "../fakes/http.js";
import { tempRepo } from "../helpers.js";
import { fakeStdioServer, homeWith, toolTexts } from "./mcp-helpers.js";

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(cleanup.splice(0).map((f) => f()));
});

/** Runs a session against the Anthropic fake; returns the /v1/messages requests it received. */
async function runAtFake(config: Record<string, unknown>, scenario: Scenario, cwd: string) {
  const fake: FakeServer = await startAnthropicFake(anthropicFakeFromScenario(scenario));
  const env = { ANTHROPIC_API_KEY: "sk-ant-test", ANTHROPIC_BASE_URL: fake.url, COLLEAGUE_RETRY_BASE_MS: "1", PATH: process.env.PATH };
  const host = new Host({ home: homeWith(config), store: ":memory:", env });
  cleanup.push(async () => {
    await host.closeMcp();
    host.close();
    await fake.close();
  });
  const result = await host.startSession({ task: "what is the weather in Oslo?", cwd, model: "anthropic:claude-opus-4-6", sandbox: "off", permissionMode: "auto-edit" });
  const requests = fake.requests.filter((r) => r.path === "/v1/messages");
  return { result, requests, events: host.store.events(result.sessionId) };
}

/** The request's tools, without the cache breakpoint the adapter puts on the last one. */
const toolsOf = (req: RecordedRequest) =>
  (req.body as { tools: Array<{ name: string; cache_control?: unknown }> }).tools.map(({ cache_control: _, ...tool }) => tool);
const many = { mcpServers: { many: fakeStdioServer({ FAKE_MCP_TOOLS: "100" }) }, permissions: { allow: ["mcp__many"] } };

describe("lazy loading of MCP tools", () => {
  it("with 100+ MCP tools the first request grows by at most 2 KB; a tool found by tool_search is appended and called", async () => {
    const cwd = tempRepo();
    const baseline = await runAtFake({}, { steps: [{ text: "done" }] }, cwd);
    const lazy = await runAtFake(
      many,
      {
        steps: [
          { toolCalls: [{ name: "tool_search", args: { query: "weather forecast" } }] },
          { expect: { lastMessageIncludes: ["mcp__many__weather_forecast"] }, toolCalls: [{ name: "mcp__many__weather_forecast", args: { city: "Oslo" } }] },
          { text: "sunny" },
        ],
      },
      cwd,
    );
    const eager = await runAtFake({ ...many, mcp: { lazyToolsAbove: 1000 } }, { steps: [{ text: "done" }] }, cwd);

    expect(lazy.result.status).toBe("completed");
    const base = baseline.requests[0]!.rawBody.length;
    const growth = lazy.requests[0]!.rawBody.length - base;
    const eagerGrowth = eager.requests[0]!.rawBody.length - base;
    process.stderr.write(`[mcp] first request: ${base} bytes without MCP; +${growth} bytes lazy, +${eagerGrowth} bytes with all 107 schemas\n`);
    expect(growth).toBeGreaterThan(0);
    expect(growth).toBeLessThanOrEqual(2048);
    expect(eagerGrowth).toBeGreaterThan(10_000);

    const first = toolsOf(lazy.requests[0]!);
    expect(first.map((t) => t.name)).toContain("tool_search");
    expect(first.some((t) => t.name.startsWith("mcp__"))).toBe(false);
    // The found tool joins at the end: everything before it is the same (the cached prefix; only the breakpoint moves).
    const second = toolsOf(lazy.requests[1]!);
    expect(second.slice(0, first.length)).toEqual(first);
    expect(second.map((t) => t.name).slice(first.length)[0]).toBe("mcp__many__weather_forecast");
    expect(toolsOf(lazy.requests[2]!)).toEqual(second);
    const texts = toolTexts(lazy.events);
    expect(texts[0]!.text).toContain("mcp__many__weather_forecast: Gives the weather forecast for a city");
    expect(texts[1]).toEqual({ name: "mcp__many__weather_forecast", text: 'weather_forecast ran with {"city":"Oslo"}', isError: false });
  });
});
