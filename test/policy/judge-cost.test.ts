import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { EventOf } from "../../src/agent/events.js";
import { createAgent } from "../../src/host/agent.js";
import { costUsd, findModel } from "../../src/model/catalog.js";
import { replay } from "../../src/session/replay.js";
import { startAnthropicFake } from "../fakes/anthropic.js";
import type { FakeServer } from "../fakes/http.js";
import { tempRepo } from "../helpers.js";
import { middleBandRequest } from "./helpers.js";

/**
 * The monitors' model judge is paid for like any model call: each judgement is a
 * `monitor_judged` event, and its cost is in the session's totals, live and after a replay.
 */

const servers: FakeServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});


describe("the judge's cost", () => {
  it("is recorded per judgement and counted in the session's totals, also after a replay", async () => {
    const task = middleBandRequest();
    const judged: string[] = [];
    const server = await startAnthropicFake((req) => {
      const body = req.body as { model: string; messages: { content: unknown }[] };
      if (body.model === "claude-haiku-4-5") {
        judged.push(JSON.stringify(body.messages[0]?.content));
        return { kind: "reply" as const, text: "BENIGN: a load test of the user's own client", usage: { input: 1200, output: 30 } };
      }
      return { kind: "reply" as const, text: "started it", usage: { input: 3000, output: 20 } };
    });
    servers.push(server);
    const repo = tempRepo({ "README.md": "# client\n" });
    const userDir = path.join(repo, ".home");
    mkdirSync(userDir, { recursive: true });
    writeFileSync(path.join(userDir, "config.json"), JSON.stringify({ monitors: { judge: "anthropic:claude-haiku-4-5" } }));
    const env = { ANTHROPIC_API_KEY: "sk-ant-test", ANTHROPIC_BASE_URL: server.url, COLLEAGUE_RETRY_BASE_MS: "1", PATH: process.env.PATH ?? "" };
    const agent = await createAgent({ model: "anthropic:claude-opus-4-6", cwd: repo, store: ":memory:", env, userDir, sandbox: "off" });
    const events: { type: string }[] = [];
    agent.subscribe((e) => events.push(e));
    const result = await agent.run(task);
    expect(result.status).toBe("completed");

    // The task went to the judge (it cleared it), and the answer too if it was ambiguous.
    expect(judged.length).toBeGreaterThanOrEqual(1);
    expect(judged[0]).toContain(task);
    const judgements = events.filter((e): e is EventOf<"monitor_judged"> => e.type === "monitor_judged");
    expect(judgements).toHaveLength(judged.length);
    const haiku = findModel("anthropic", "claude-haiku-4-5")!;
    const each = costUsd(haiku, { input: 1200, output: 30, cacheRead: 0, cacheWrite: 0, reasoning: 0 });
    expect(each).toBeGreaterThan(0);
    for (const j of judgements) expect(j).toMatchObject({ stage: expect.any(String), model: "anthropic:claude-haiku-4-5", costUsd: each });
    expect(judgements[0]!.stage).toBe("input");

    const finished = events.find((e): e is EventOf<"session_finished"> => e.type === "session_finished")!;
    const steps = events.filter((e): e is EventOf<"assistant_message"> => e.type === "assistant_message").reduce((sum, e) => sum + e.costUsd, 0);
    expect(finished.costUsd).toBeCloseTo(steps + each * judgements.length, 10);
    expect(finished.usage.input).toBe(3000 + 1200 * judgements.length);

    // A resumed session counts the judge again from its log.
    const log = [...agent.store.events(result.sessionId)];
    expect(replay(log).costUsd).toBeCloseTo(finished.costUsd, 10);
    agent.close();
  });
});
