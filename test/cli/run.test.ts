import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadScenario } from "../../src/model/scripted.js";
import { anthropicFakeFromScenario, startAnthropicFake } from "../fakes/anthropic.js";
import { compatibleFakeFromScenario } from "../fakes/compatible.js";
import type { FakeServer } from "../fakes/http.js";
import { openaiFakeFromScenario } from "../fakes/openai.js";
import { cleanEnv, jsonEvents, runCli } from "./cli-helpers.js";
import { withoutPartNotices } from "../helpers.js";

const demoScenario = loadScenario("examples/demo/scenario.json");
demoScenario.chunkDelayMs = 0;
const TASK = "The discount test fails; fix it, run the tests, note the fix in a changelog.";

function demoRepo(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "colleague-cli-"));
  cpSync("examples/demo-repo", dir, { recursive: true });
  return dir;
}

let servers: FakeServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

async function expectFixedRepo(repo: string) {
  expect(readFileSync(path.join(repo, "src/cart.js"), "utf8")).toContain("gross * (1 - discountPercent / 100)");
  expect(readFileSync(path.join(repo, "CHANGELOG.md"), "utf8")).toContain("applies the discount as a percentage");
}

describe("colleague run against fake provider servers", () => {
  it("completes a multi-step coding session over the Anthropic Messages API", async () => {
    const server = await startAnthropicFake(anthropicFakeFromScenario(demoScenario));
    servers.push(server);
    const repo = demoRepo();
    const env = cleanEnv({ ANTHROPIC_API_KEY: "sk-ant-test", ANTHROPIC_BASE_URL: server.url });
    const out = await runCli(["run", TASK, "--model", "anthropic:claude-opus-4-6", "--json", "--cwd", repo], { env });
    expect(withoutPartNotices(out.stderr)).toBe("");
    expect(out.code).toBe(0);
    await expectFixedRepo(repo);
    const events = jsonEvents(out.stdout);
    const finished = events.at(-1)!;
    expect(finished).toMatchObject({ type: "session_finished", status: "completed", steps: 8 });
    expect(events.filter((e) => e.type === "tool_finished").map((e) => (e as { name: string }).name)).toEqual([
      "list",
      "read_file",
      "read_file",
      "shell",
      "grep",
      "edit_file",
      "shell",
      "write_file",
    ]);
    expect(server.requests).toHaveLength(8);
    // The system prompt carries the repo's AGENTS.md and is identical on every request (cacheable prefix).
    const systems = server.requests.map((r) => JSON.stringify((r.body as { system: unknown }).system));
    expect(new Set(systems).size).toBe(1);
    expect(systems[0]).toContain("Run the tests with `npm test`");
  });

  it("completes the same session over the OpenAI Responses API", async () => {
    const server = await openaiFakeFromScenario(demoScenario);
    servers.push(server);
    const repo = demoRepo();
    const env = cleanEnv({ OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: `${server.url}/v1` });
    const out = await runCli(["run", TASK, "--model", "openai:gpt-5.3-codex", "--cwd", repo], { env });
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/✓ completed · 8 steps/);
    await expectFixedRepo(repo);
    const bodies = server.requests.map((r) => r.body as { store: boolean; prompt_cache_key: string });
    expect(bodies.every((b) => b.store === false)).toBe(true);
    expect(new Set(bodies.map((b) => b.prompt_cache_key)).size).toBe(1);
  });

  it("completes the same session against a Chat Completions server (Ollama-style base URL)", async () => {
    const server = await compatibleFakeFromScenario(demoScenario, { flavor: "ollama" });
    servers.push(server);
    const repo = demoRepo();
    const out = await runCli(["run", TASK, "--model", `compatible:qwen3-coder@${server.url}/v1`, "--cwd", repo], {
      env: cleanEnv(),
    });
    expect(out.code).toBe(0);
    await expectFixedRepo(repo);
  });
});

describe("bad input gets one clear line and a non-zero exit", () => {
  const run = (args: string[], extra: Record<string, string> = {}, cwd?: string) =>
    runCli(args, { env: cleanEnv(extra), ...(cwd ? { cwd } : {}) });
  const oneLine = (text: string) => text.trim().split("\n").length === 1;

  it("no API key", async () => {
    const out = await run(["run", "hi", "--model", "anthropic:claude-opus-4-6", "--cwd", demoRepo()]);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/ANTHROPIC_API_KEY is not set/);
    expect(oneLine(out.stderr)).toBe(true);
  });

  it("unknown model", async () => {
    // A model id newer than the catalog is tried (with a warning); here the key is missing.
    const out = await run(["run", "hi", "--model", "anthropic:claude-nope-9"]);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/unknown model "anthropic:claude-nope-9": running it with default capabilities/);
    expect(out.stderr).toMatch(/ANTHROPIC_API_KEY is not set/);
    const provider = await run(["run", "hi", "--model", "nope:claude"]);
    expect(provider.code).toBe(2);
    expect(oneLine(provider.stderr)).toBe(true);
    const bare = await run(["run", "hi", "--model", "gpt-nope"]);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toMatch(/unknown model "gpt-nope": use provider:model/);
  });

  it("broken config file", async () => {
    const repo = demoRepo();
    // JSONC: comments and trailing commas are fine; a missing comma is an error at file:line:col.
    writeFileSync(path.join(repo, "colleague.json"), '{\n  // the model\n  "model": "anthropic:claude-opus-4-6"\n  "effort": "low",\n}');
    const out = await run(["run", "hi", "--cwd", repo]);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain(`${path.join(repo, "colleague.json")}:4:3: expected a comma`);
    expect(oneLine(out.stderr)).toBe(true);
    writeFileSync(path.join(repo, "colleague.json"), '{ "maxSteps": "ten" }');
    const typed = await run(["run", "hi", "--cwd", repo]);
    expect(typed.code).toBe(2);
    expect(typed.stderr).toMatch(/colleague\.json:1:15: maxSteps: .*number/);
  });

  it("unknown flag and bad flag value", async () => {
    const flag = await run(["run", "hi", "--turbo"]);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toMatch(/run: unknown flag --turbo \(see `colleague run --help`\)/);
    const steps = await run(["run", "hi", "--max-steps", "zero"]);
    expect(steps.code).toBe(2);
    expect(steps.stderr).toMatch(/--max-steps must be a positive whole number/);
  });

  it("unreachable base URL: exit 1, a readable error, and the session log kept", async () => {
    const server = await startAnthropicFake([]);
    const url = server.url;
    await server.close(); // nothing listens there now
    const extra = { ANTHROPIC_API_KEY: "k", ANTHROPIC_BASE_URL: url, COLLEAGUE_MAX_RETRIES: "2" };
    const env = cleanEnv(extra);
    const out = await runCli(["run", "hi", "--model", "anthropic:claude-opus-4-6", "--cwd", demoRepo()], { env });
    expect(out.code).toBe(1);
    expect(out.stdout).toContain(`cannot reach ${url}`);
    const sessions = await runCli(["sessions", "--json"], { env });
    const [row] = jsonEvents(sessions.stdout) as unknown as { status: string; task: string }[];
    expect(row).toMatchObject({ status: "error", task: "hi" });
  });

  it("a path outside the workspace is refused as a tool error the model sees", async () => {
    const repo = demoRepo();
    const scenarioFile = path.join(repo, "..", `escape-${path.basename(repo)}.json`);
    writeFileSync(
      scenarioFile,
      JSON.stringify({
        steps: [
          { toolCalls: [{ name: "read_file", args: { path: "../../etc/passwd" } }] },
          { expect: { lastMessageIncludes: ["outside the workspace"] }, toolCalls: [{ name: "write_file", args: { path: "/tmp/x-colleague-escape", content: "x" } }] },
          { expect: { lastMessageIncludes: ["outside the workspace"] }, text: "refused, as expected" },
        ],
      }),
    );
    const out = await run(["run", "try to escape", "--model", `scripted:${scenarioFile}`, "--cwd", repo, "--json"]);
    expect(out.code).toBe(0);
    const errors = jsonEvents(out.stdout).filter((e) => e.type === "tool_finished" && e.isError);
    expect(errors).toHaveLength(2);
  });
});
