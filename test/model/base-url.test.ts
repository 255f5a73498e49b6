import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createConfiguredModel } from "../../src/config/models.js";
import { ConfigError, parseModelId } from "../../src/model/resolve.js";
import { cleanEnv, runCli } from "../cli/cli-helpers.js";

/** A base URL that is not an absolute http(s) URL is a config error, said once, never a retried connection. */

describe("malformed base URLs", () => {
  it("are refused when the model id is parsed", () => {
    expect(() => parseModelId("compatible:q@not-a-url")).toThrow(ConfigError);
    expect(() => parseModelId("compatible:q@not-a-url")).toThrow(
      'malformed base URL "not-a-url" in the model id "compatible:q@not-a-url": write a full http:// or https:// URL, e.g. http://127.0.0.1:11434/v1',
    );
    expect(() => parseModelId("compatible:q@localhost:11434/v1")).toThrow(/malformed base URL "localhost:11434\/v1"/);
    expect(() => parseModelId("compatible:q@")).toThrow(/malformed base URL \(empty\)/);
    expect(parseModelId("compatible:q@http://127.0.0.1:11434/v1")).toMatchObject({ baseURL: "http://127.0.0.1:11434/v1" });
  });

  it("are refused from the environment and from the config, naming where they came from", async () => {
    await expect(createConfiguredModel("compatible:q", {}, { COMPATIBLE_BASE_URL: "127.0.0.1:8080/v1" })).rejects.toThrow(
      /malformed base URL "127\.0\.0\.1:8080\/v1" in COMPATIBLE_BASE_URL/,
    );
    await expect(
      createConfiguredModel("anthropic:claude-opus-4-6", { providers: { anthropic: { apiKey: "k", baseURL: "ftp://example.com" } } }, {}),
    ).rejects.toThrow(/malformed base URL "ftp:\/\/example\.com" in providers\.anthropic\.baseURL/);
  });

  it("end a CLI run at once with one line and exit 2", async () => {
    const cwd = mkdtempSync(path.join(os.tmpdir(), "colleague-base-url-"));
    writeFileSync(path.join(cwd, "README.md"), "hello\n");
    const out = await runCli(["run", "hi", "--model", "compatible:q@not-a-url", "--cwd", cwd], { env: cleanEnv() });
    expect(out.code).toBe(2);
    expect(out.stderr.trim().split("\n")).toHaveLength(1);
    expect(out.stderr).toContain('malformed base URL "not-a-url"');
    expect(out.stdout).toBe("");
  });
});
