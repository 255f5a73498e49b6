import { writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/config.js";
import { createConfiguredModel } from "../../src/config/models.js";
import { ConfigError, parseModelId } from "../../src/model/resolve.js";
import { tempRepo } from "../helpers.js";

describe("configuration", () => {
  it("merges user then project files, provider blocks field by field", () => {
    const home = tempRepo({
      "config.json": JSON.stringify({ model: "openai:gpt-5.2", maxSteps: 10, providers: { openai: { baseURL: "http://user.example/v1", timeoutMs: 5 } } }),
    });
    const repo = tempRepo({ "colleague.json": JSON.stringify({ maxSteps: 20, providers: { openai: { baseURL: "http://project.example/v1" } } }) });
    const { config, files } = loadConfig(repo, { COLLEAGUE_HOME: home });
    expect(config.model).toBe("openai:gpt-5.2");
    expect(config.maxSteps).toBe(20);
    expect(config.providers?.openai).toEqual({ baseURL: "http://project.example/v1", timeoutMs: 5 });
    expect(files).toEqual([path.join(home, "config.json"), path.join(repo, "colleague.json")]);
  });

  it("rejects unknown keys and wrong types with the file and key named", () => {
    const repo = tempRepo();
    writeFileSync(path.join(repo, "colleague.json"), JSON.stringify({ modle: "x" }));
    expect(() => loadConfig(repo, { COLLEAGUE_HOME: tempRepo() })).toThrow(/colleague\.json:1:2: unknown key "modle"; did you mean "model"\?/);
    writeFileSync(path.join(repo, "colleague.json"), JSON.stringify({ effort: "extreme" }));
    expect(() => loadConfig(repo, { COLLEAGUE_HOME: tempRepo() })).toThrow(/colleague\.json:1:11: effort:/);
  });

  it("takes keys and base URLs from the environment before the files", async () => {
    const config = { providers: { openai: { apiKey: "from-file", baseURL: "http://file.example/v1" } } };
    const model = await createConfiguredModel("openai:gpt-5-mini", config, { OPENAI_API_KEY: "from-env" });
    expect(model.id).toBe("openai:gpt-5-mini");
    await expect(createConfiguredModel("openai:gpt-5-mini", {}, {})).rejects.toThrow(ConfigError);
  });

  it("parses model ids", () => {
    expect(parseModelId("compatible:qwen3-coder@http://127.0.0.1:11434/v1")).toEqual({
      api: "compatible",
      name: "qwen3-coder",
      baseURL: "http://127.0.0.1:11434/v1",
    });
    expect(parseModelId("claude-opus-4-6")).toEqual({ api: "anthropic", name: "claude-opus-4-6" });
    expect(() => parseModelId("anthropic:")).toThrow(/names no model/);
    expect(() => parseModelId("mystery-model")).toThrow(/unknown model "mystery-model"/);
  });
});
