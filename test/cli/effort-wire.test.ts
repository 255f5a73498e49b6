import { afterEach, describe, expect, it } from "vitest";
import type { Scenario } from "../../src/model/scenario.js";
import { anthropicFakeFromScenario, startAnthropicFake } from "../fakes/anthropic.js";
import type { FakeServer } from "../fakes/http.js";
import { openaiFakeFromScenario } from "../fakes/openai.js";
import { tempRepo } from "../helpers.js";
import { cleanEnv, runCli } from "./cli-helpers.js";

/** A small concrete task: auto picks medium to start, then low after steps that only looked. */
const scenario: Scenario = {
  steps: [
    { toolCalls: [{ name: "list", args: {} }] },
    { toolCalls: [{ name: "read_file", args: { path: "README.md" } }] },
    { text: "The typo is on line 1." },
  ],
};
const TASK = "find the typo in README.md";

let servers: FakeServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

describe("--effort auto on the wire", () => {
  it("sends auto's per-step choice as Anthropic output_config.effort (high is the default and omitted)", async () => {
    const server = await startAnthropicFake(anthropicFakeFromScenario(scenario));
    servers.push(server);
    const env = cleanEnv({ ANTHROPIC_API_KEY: "sk-ant-test", ANTHROPIC_BASE_URL: server.url });
    const cwd = tempRepo({ "README.md": "teh readme\n" });
    const out = await runCli(["run", TASK, "--model", "anthropic:claude-opus-4-6", "--effort", "auto", "--json", "--cwd", cwd], { env });
    expect(out.code).toBe(0);
    const bodies = server.requests.map((r) => r.body as { output_config?: unknown; thinking?: unknown });
    expect(bodies.map((b) => b.output_config)).toEqual([{ effort: "medium" }, { effort: "low" }, { effort: "low" }]);
    expect(bodies.every((b) => JSON.stringify(b.thinking) === '{"type":"adaptive"}')).toBe(true);
  });

  it("sends auto's per-step choice as OpenAI reasoning.effort", async () => {
    const server = await openaiFakeFromScenario(scenario);
    servers.push(server);
    const env = cleanEnv({ OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: `${server.url}/v1` });
    const cwd = tempRepo({ "README.md": "teh readme\n" });
    const out = await runCli(["run", TASK, "--model", "openai:gpt-5.3-codex", "--effort", "auto", "--json", "--cwd", cwd], { env });
    expect(out.code).toBe(0);
    const efforts = server.requests.map((r) => (r.body as { reasoning?: { effort?: string } }).reasoning?.effort);
    expect(efforts).toEqual(["medium", "low", "low"]);
  });
});
