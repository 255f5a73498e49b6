import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/config.js";
import { lineCol, parseJsonc } from "../../src/config/jsonc.js";
import { loadPolicyLayers } from "../../src/policy/config.js";
import { tempRepo } from "../helpers.js";

const load = (text: string) => {
  const repo = tempRepo({ "colleague.json": text });
  return { repo, run: () => loadConfig(repo, { COLLEAGUE_HOME: tempRepo() }) };
};

describe("config files in JSONC", () => {
  it("accept comments and trailing commas", () => {
    const { run } = load(`{
      // which model
      "model": "openai:gpt-5.2", /* inline */
      "context": { "compactAt": 0.8, },
    }`);
    expect(run().config).toMatchObject({ model: "openai:gpt-5.2", context: { compactAt: 0.8 } });
  });

  it("report a syntax error as file:line:col", () => {
    const { repo, run } = load('{\n  "model": "x",\n  "effort" "low"\n}');
    expect(run).toThrow(`${path.join(repo, "colleague.json")}:3:12: expected a colon`);
  });

  it("name an unknown key where it is, with the key that was meant, at any depth", () => {
    const { repo, run } = load('{\n  "model": "x",\n  "contxt": {}\n}');
    expect(run).toThrow(`${path.join(repo, "colleague.json")}:3:3: unknown key "contxt"; did you mean "context"?`);
    const nested = load('{ "context": { "compactat": 0.5 } }');
    expect(nested.run).toThrow(/colleague\.json:1:16: unknown key "context\.compactat"; did you mean "compactAt"\?/);
    const provider = load('{ "providers": { "anthropic": { "apikey": "k" } } }');
    expect(provider.run).toThrow(/unknown key "providers\.anthropic\.apikey"; did you mean "apiKey"\?/);
    const model = load('{ "models": { "anthropic:claude-x": { "window": 1 } } }');
    expect(model.run).toThrow(/unknown key "models\.anthropic:claude-x\.window"/);
  });

  it("point a wrong value at the value", () => {
    const { run } = load('{\n  "maxSteps": -3\n}');
    expect(run).toThrow(/colleague\.json:2:15: maxSteps: /);
  });

  it("are read the same way by the policy layers (a commented deny rule still denies)", () => {
    const home = tempRepo({ "config.json": '{\n  // never push\n  "permissions": { "deny": ["shell: git push*",], },\n}' });
    const layers = loadPolicyLayers(path.join(home, "config.json"), []);
    expect(layers.user.permissions?.deny).toEqual(["shell: git push*"]);
  });

  it("count lines and columns from 1", () => {
    expect(lineCol("ab\ncd", 4)).toEqual({ line: 2, col: 2 });
    expect(parseJsonc('{"a": [1, {"b": 2}]}', "f").locate(["a", 1, "b"])).toBe("f:1:17");
  });
});

describe("the missing-key message", () => {
  it("points at the user config, never at the project file", async () => {
    const { createConfiguredModel } = await import("../../src/config/models.js");
    for (const id of ["anthropic:claude-opus-4-6", "openai:gpt-5.2"]) {
      const error = await createConfiguredModel(id, {}, {}).catch((e: Error) => e);
      expect((error as Error).message).toContain("~/.colleague/config.json");
      expect((error as Error).message).not.toContain("colleague.json");
    }
  });
});
