import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { anthropicFakeFromScenario, startAnthropicFake } from "../fakes/anthropic.js";
import type { FakeServer } from "../fakes/http.js";
import { openaiFakeFromScenario } from "../fakes/openai.js";
import { cleanEnv, jsonEvents, runCli } from "./cli-helpers.js";

let servers: FakeServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

const workspace = () => mkdtempSync(path.join(os.tmpdir(), "colleague-models-"));
const hello = { steps: [{ text: "Hello from a model newer than the catalog." }] };

describe("a model the catalog does not know", () => {
  it("of Anthropic runs against the fake with a one-line warning and default capabilities", async () => {
    const server = await startAnthropicFake(anthropicFakeFromScenario(hello));
    servers.push(server);
    const env = cleanEnv({ ANTHROPIC_API_KEY: "sk-ant-test", ANTHROPIC_BASE_URL: server.url });
    const out = await runCli(["-p", "hi", "--model", "anthropic:claude-opus-4-7", "--cwd", workspace()], { env });
    expect(out.code).toBe(0);
    expect(out.stdout).toBe("Hello from a model newer than the catalog.\n");
    const warnings = out.stderr.split("\n").filter((l) => l.includes("unknown model"));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^colleague: unknown model "anthropic:claude-opus-4-7": running it with default capabilities \(200K window/);
    expect(warnings[0]).toContain('describe it under "models" in ~/.colleague/config.json');
    expect((server.requests[0]!.body as { model: string }).model).toBe("claude-opus-4-7");
  });

  it("of OpenAI runs as well", async () => {
    const server = await openaiFakeFromScenario(hello);
    servers.push(server);
    const env = cleanEnv({ OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: `${server.url}/v1` });
    const out = await runCli(["-p", "hi", "--model", "openai:gpt-5.4", "--cwd", workspace()], { env });
    expect(out.code).toBe(0);
    expect(out.stderr).toContain('unknown model "openai:gpt-5.4"');
  });

  it("described under `models` in the user config runs with those facts and no warning", async () => {
    const server = await startAnthropicFake(anthropicFakeFromScenario(hello));
    servers.push(server);
    const env = cleanEnv({ ANTHROPIC_API_KEY: "sk-ant-test", ANTHROPIC_BASE_URL: server.url });
    mkdirSync(env.COLLEAGUE_HOME!, { recursive: true });
    writeFileSync(
      path.join(env.COLLEAGUE_HOME!, "config.json"),
      `{
        // released after this colleague
        "models": {
          "anthropic:claude-opus-4-7": { "contextWindow": 300000, "maxOutput": 64000, "price": { "input": 5, "output": 25 }, "reasoning": "adaptive", },
        },
      }`,
    );
    const out = await runCli(["run", "hi", "--model", "anthropic:claude-opus-4-7", "--json", "--cwd", workspace()], { env });
    expect(out.code).toBe(0);
    expect(out.stderr).not.toContain("unknown model");
    const context = jsonEvents(out.stdout).find((e) => e.type === "context") as { window: number } | undefined;
    expect(context?.window).toBe(300_000);
    // reasoning "adaptive" from the config (the default for an unknown Anthropic model is "budget").
    expect((server.requests[0]!.body as { thinking?: { type: string } }).thinking).toEqual({ type: "adaptive" });
    const models = await runCli(["models"], { env });
    expect(models.stdout).toMatch(/anthropic:claude-opus-4-7 \(config\)\s+300\.0k/);
  });

  it("of an unknown provider is still a usage error", async () => {
    const out = await runCli(["-p", "hi", "--model", "nope:model"], { env: cleanEnv() });
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('unknown model "nope:model"');
  });
});
