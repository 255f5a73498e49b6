import { afterAll, describe, expect, it } from "vitest";
import { createConfiguredModel } from "../../src/config/models.js";
import type { Scenario } from "../../src/model/scenario.js";
import { createScriptedModel } from "../../src/model/scripted.js";
import { ModelPool } from "../../src/team/models.js";
import { anthropicFakeFromScenario, startAnthropicFake } from "../fakes/anthropic.js";
import { compatibleFakeFromScenario } from "../fakes/compatible.js";
import type { FakeServer } from "../fakes/http.js";
import { openaiFakeFromScenario } from "../fakes/openai.js";
import { ofType } from "../helpers.js";
import { call, startTeam } from "./team-helpers.js";

const servers: FakeServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

describe("a team mixing three wire APIs", () => {
  it("runs a lead on Anthropic and teammates on OpenAI Responses and Chat Completions in one team", async () => {
    const compatibleScenario: Scenario = {
      steps: [
        { text: "waiting for T1" },
        { expect: { lastMessageIncludes: ["Task T2"] }, ...call(["claim_task", { id: "T2" }]) },
        { expect: { toolResultsOk: true }, ...call(["complete_task", { id: "T2", result: "T2 on a local model" }]) },
        { text: "T2 done" },
      ],
    };
    const local = await compatibleFakeFromScenario(compatibleScenario);
    const gpt = await openaiFakeFromScenario({
      steps: [
        call(["claim_task", { id: "T1" }]),
        { expect: { toolResultsOk: true }, ...call(["complete_task", { id: "T1", result: "T1 on GPT" }], ["send_message", { to: "local", text: "T1 is in" }]) },
        { text: "T1 done" },
      ],
    });
    const localModel = `compatible:qwen3-coder@${local.url}/v1`;
    const lead = await startAnthropicFake(
      anthropicFakeFromScenario({
        steps: [
          call(["create_task", { title: "first half", owner: "gpt" }], ["create_task", { title: "second half", owner: "local", dependsOn: ["T1"] }]),
          call(
            // local first: it must exist before T1 can complete and its notice go out.
            ["spawn_teammate", { name: "local", role: "coder", task: "Do T2 when ready.", model: localModel }],
            ["spawn_teammate", { name: "gpt", role: "coder", task: "Do T1.", model: "openai:gpt-5.3-codex" }],
          ),
          call(["wait", { until: "all_tasks_done" }]),
          { text: "both halves done" },
        ],
      }),
    );
    servers.push(local, gpt, lead);
    const env = {
      ANTHROPIC_API_KEY: "sk-ant-test",
      ANTHROPIC_BASE_URL: lead.url,
      OPENAI_API_KEY: "sk-test",
      OPENAI_BASE_URL: `${gpt.url}/v1`,
      COLLEAGUE_RETRY_BASE_MS: "1",
    };
    const models = new ModelPool((id) => createConfiguredModel(id, {}, env));
    const { team, events } = await startTeam({}, { models, lead: { model: "anthropic:claude-opus-4-6" } });
    const result = await team.run();
    expect(ofType(events, "model_error")).toEqual([]);
    expect(result.status, result.error).toBe("completed");
    expect(result.answer).toBe("both halves done");
    expect(result.tasks.map((t) => [t.id, t.status, t.owner, t.result])).toEqual([
      ["T1", "completed", "gpt", "T1 on GPT"],
      ["T2", "completed", "local", "T2 on a local model"],
    ]);
    expect(lead.requests.length).toBe(4);
    expect(gpt.requests.length).toBe(3);
    expect(local.requests.length).toBe(4);
    // The message from the OpenAI teammate reached the local one over Chat Completions.
    expect(JSON.stringify(local.requests.at(-2)!.body)).toContain("T1 is in");
    // Each member's system prompt is identical across its requests (a cacheable prefix).
    const systems = lead.requests.map((r) => JSON.stringify((r.body as { system: unknown }).system));
    expect(new Set(systems).size).toBe(1);
    expect(ofType(events, "session_started").map((e) => [e.agentId, e.model])).toEqual([
      ["lead", "anthropic:claude-opus-4-6"],
      ["local", localModel],
      ["gpt", "openai:gpt-5.3-codex"],
    ]);
  });
});

describe("the model pool", () => {
  it("shares one model (one client) among members with the same model id", async () => {
    let created = 0;
    const pool = new ModelPool(async (id) => {
      created++;
      return createScriptedModel({ steps: [{ text: "hi" }] }, id);
    });
    const a = await pool.modelFor("openai:gpt-5.3-codex", { name: "a", role: "x" });
    const b = await pool.modelFor("openai:gpt-5.3-codex", { name: "b", role: "y" });
    const c = await pool.modelFor("anthropic:claude-opus-4-6", { name: "c", role: "y" });
    expect(a).toBe(b);
    expect(c).not.toBe(a);
    expect(created).toBe(2);
  });
});
