import { describe, expect, it } from "vitest";
import { judgeFor } from "../../src/host/guard.js";

const layers = { user: {}, project: {} };
const keys = { ANTHROPIC_API_KEY: "test-key-a", OPENAI_API_KEY: "test-key-o" };

describe("the monitors' default judge", () => {
  it("follows the session's model, not only COLLEAGUE_MODEL or the config", async () => {
    const env = { ...keys, COLLEAGUE_MODEL: "anthropic:claude-opus-4-6" };
    expect((await judgeFor(layers, {}, env, "openai:gpt-5"))?.model).toBe("openai:gpt-5-mini");
    expect((await judgeFor(layers, {}, env))?.model).toBe("anthropic:claude-haiku-4-5");
  });

  it("is none without the provider's key, through a base URL, or when the user turned it off", async () => {
    expect(await judgeFor(layers, {}, { OPENAI_API_KEY: "k" }, "anthropic:claude-opus-4-6")).toBeUndefined();
    expect(await judgeFor(layers, {}, { ...keys, ANTHROPIC_BASE_URL: "http://127.0.0.1:9" }, "anthropic:claude-opus-4-6")).toBeUndefined();
    expect(await judgeFor({ user: { monitors: { judge: false } }, project: {} }, {}, keys, "openai:gpt-5")).toBeUndefined();
    expect(await judgeFor(layers, {}, keys, "scripted:/tmp/s.json")).toBeUndefined();
  });
});
