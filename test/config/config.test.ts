import { writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { trustProject } from "../../src/config/trust.js";
import { loadConfig } from "../../src/config/config.js";
import { createConfiguredModel } from "../../src/config/models.js";
import { ConfigError, parseModelId } from "../../src/model/resolve.js";
import type { ModelRequest } from "../../src/model/types.js";
import { startFakeServer } from "../fakes/http.js";
import { tempRepo } from "../helpers.js";
import { collect } from "../model/stream-helpers.js";

const ask: ModelRequest = { system: "s", messages: [{ role: "user", content: [{ type: "text", text: "hi" }] }], tools: [] };

describe("configuration", () => {
  it("merges user then project files, provider blocks field by field", () => {
    const home = tempRepo({
      "config.json": JSON.stringify({ model: "openai:gpt-5.2", maxSteps: 10, providers: { openai: { baseURL: "http://user.example/v1", timeoutMs: 5 } } }),
    });
    const repo = tempRepo({ "colleague.json": JSON.stringify({ maxSteps: 20, providers: { openai: { baseURL: "http://project.example/v1" } } }) });
    // An untrusted project's endpoint is left out; a trusted one's wins, field by field.
    expect(loadConfig(repo, { COLLEAGUE_HOME: home }).config.providers?.openai).toEqual({ baseURL: "http://user.example/v1", timeoutMs: 5 });
    trustProject(home, repo);
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

  it("over the wire: the environment's key and base URL win over the file's, for each wire API", async () => {
    const refuse = (_req: unknown, res: import("node:http").ServerResponse) => {
      res.writeHead(400, { "content-type": "application/json" });
      res.end(JSON.stringify({ type: "error", error: { type: "invalid_request_error", message: "recorded" } }));
    };
    const fromEnv = await startFakeServer(refuse);
    const fromFile = await startFakeServer(refuse);
    try {
      const cases = [
        ["openai:gpt-5-mini", "openai", "OPENAI_API_KEY", "OPENAI_BASE_URL", `${fromEnv.url}/v1`, `${fromFile.url}/v1`],
        ["anthropic:claude-opus-4-6", "anthropic", "ANTHROPIC_API_KEY", "ANTHROPIC_BASE_URL", fromEnv.url, fromFile.url],
      ] as const;
      for (const [id, api, keyVar, urlVar, envUrl, fileUrl] of cases) {
        const config = { providers: { [api]: { apiKey: "key-from-file", baseURL: fileUrl } } };
        const model = await createConfiguredModel(id, config, { [keyVar]: "key-from-env", [urlVar]: envUrl, COLLEAGUE_RETRY_BASE_MS: "1" });
        await collect(model.stream(ask));
        const sent = fromEnv.requests.at(-1);
        expect(sent, id).toBeDefined();
        expect(`${sent!.headers.authorization ?? ""}${sent!.headers["x-api-key"] ?? ""}`, id).toContain("key-from-env");
        expect(fromFile.requests, id).toHaveLength(0);
        // Without the environment, the file's key and URL are used.
        const fallback = await createConfiguredModel(id, config, { COLLEAGUE_RETRY_BASE_MS: "1" });
        await collect(fallback.stream(ask));
        const fileSent = fromFile.requests.at(-1);
        expect(fileSent, id).toBeDefined();
        expect(`${fileSent!.headers.authorization ?? ""}${fileSent!.headers["x-api-key"] ?? ""}`, id).toContain("key-from-file");
        fromFile.requests.length = 0;
      }
    } finally {
      await Promise.all([fromEnv.close(), fromFile.close()]);
    }
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
