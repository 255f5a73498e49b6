import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { anthropicFakeFromScenario, startAnthropicFake } from "../fakes/anthropic.js";
import type { FakeServer } from "../fakes/http.js";
import { cleanEnv, jsonEvents, runCli, runCliWithInput, scenarioFile } from "./cli-helpers.js";

let servers: FakeServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

const ANSWER = "The answer is 42.\nSecond line of the answer.";
const scenario = {
  steps: [
    { text: "Looking around first.", toolCalls: [{ name: "list", args: { path: "." } }] },
    { text: ANSWER },
  ],
};

const workspace = () => mkdtempSync(path.join(os.tmpdir(), "colleague-print-"));

describe("colleague -p (one-shot)", () => {
  it("prints only the final answer on stdout, progress on stderr, exit 0", async () => {
    const model = `scripted:${scenarioFile(scenario)}`;
    const out = await runCli(["-p", "what is the answer?", "--model", model, "--cwd", workspace()], { env: cleanEnv() });
    expect(out.code).toBe(0);
    expect(out.stdout).toBe(`${ANSWER}\n`);
    expect(out.stderr).toContain("⏺ list .");
    expect(out.stderr).toMatch(/✓ completed · 2 steps/);
  });

  it("runs a bare task the same way when stdout is not a terminal", async () => {
    const model = `scripted:${scenarioFile(scenario)}`;
    const out = await runCli(["what is the answer?", "--model", model, "--cwd", workspace()], { env: cleanEnv() });
    expect(out.code).toBe(0);
    expect(out.stdout).toBe(`${ANSWER}\n`);
  });

  it("exits as run does when a limit stops the session (3), with nothing on stdout", async () => {
    const model = `scripted:${scenarioFile(scenario)}`;
    const out = await runCli(["-p", "x", "--model", model, "--max-steps", "1", "--cwd", workspace()], { env: cleanEnv() });
    expect(out.code).toBe(3);
    expect(out.stdout).toBe("");
    expect(out.stderr).toMatch(/■ max_steps/);
  });

  it("--output-format json prints one result object; stream-json (and --json) every event", async () => {
    const model = `scripted:${scenarioFile(scenario)}`;
    const env = cleanEnv();
    const json = await runCli(["-p", "x", "--model", model, "--output-format", "json", "--cwd", workspace()], { env });
    expect(json.code).toBe(0);
    const result = JSON.parse(json.stdout) as Record<string, unknown>;
    expect(result).toMatchObject({ type: "result", subtype: "success", is_error: false, result: ANSWER, num_turns: 2, status: "completed" });
    expect(typeof result.session_id).toBe("string");
    const stream = await runCli(["-p", "x", "--model", model, "--output-format", "stream-json", "--cwd", workspace()], { env });
    const events = jsonEvents(stream.stdout);
    expect(events[0]!.type).toBe("session_started");
    expect(events.at(-1)).toMatchObject({ type: "session_finished", answer: ANSWER });
    const legacy = await runCli(["-p", "x", "--model", model, "--json", "--cwd", workspace()], { env });
    expect(jsonEvents(legacy.stdout).at(-1)).toMatchObject({ type: "session_finished", status: "completed" });
  });

  it("attaches piped stdin to the task: the model receives it (checked at the fake server)", async () => {
    const server = await startAnthropicFake(anthropicFakeFromScenario({ steps: [{ text: "It is a stack trace." }] }));
    servers.push(server);
    const env = cleanEnv({ ANTHROPIC_API_KEY: "sk-ant-test", ANTHROPIC_BASE_URL: server.url });
    const log = "TypeError: cannot read properties of undefined\n    at main (app.js:3:9)\n";
    const out = await runCliWithInput(["-p", "explain this", "--model", "anthropic:claude-opus-4-6", "--cwd", workspace()], log, { env });
    expect(out.code).toBe(0);
    expect(out.stdout).toBe("It is a stack trace.\n");
    const body = server.requests[0]!.body as { messages: { content: { type: string; text: string }[] }[] };
    const text = body.messages[0]!.content.map((p) => p.text).join("");
    expect(text).toContain("explain this");
    expect(text).toContain("<stdin>\nTypeError: cannot read properties of undefined\n    at main (app.js:3:9)\n</stdin>");
  });

  it("takes the piped input as the task when no task is given", async () => {
    const model = `scripted:${scenarioFile(scenario)}`;
    const out = await runCliWithInput(["-p", "--model", model, "--cwd", workspace()], "what is the answer?\n", { env: cleanEnv() });
    expect(out.code).toBe(0);
    expect(out.stdout).toBe(`${ANSWER}\n`);
  });

  it("`run` also attaches piped stdin", async () => {
    const model = `scripted:${scenarioFile({ steps: [{ expect: { lastMessageIncludes: ["explain", "line from the log"] }, text: "ok" }] })}`;
    const out = await runCliWithInput(["run", "explain", "--model", model, "--cwd", workspace()], "line from the log\n", { env: cleanEnv() });
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/✓ completed/);
  });

  it("--continue resumes the newest session of this folder with the task as its follow-up", async () => {
    const dir = workspace();
    const env = cleanEnv();
    const model = `scripted:${scenarioFile({
      steps: [{ text: "first answer" }, { expect: { lastMessageIncludes: ["and then?"] }, text: "second answer" }],
    })}`;
    const first = await runCli(["-p", "start", "--model", model], { env, cwd: dir });
    expect(first.stdout).toBe("first answer\n");
    const other = await runCli(["-p", "elsewhere", "--model", model], { env, cwd: workspace() });
    expect(other.code).toBe(0);
    const next = await runCli(["-p", "--continue", "and then?"], { env, cwd: dir });
    expect(next.stderr).not.toContain("elsewhere");
    expect(next.code).toBe(0);
    expect(next.stdout).toBe("second answer\n");
    const none = await runCli(["-p", "--last", "x"], { env, cwd: workspace() });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/no session in .* yet/);
  });

  it("gives a usage error without a task", async () => {
    const out = await runCli(["-p"], { env: cleanEnv() });
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('give a task: colleague -p "fix the failing test"');
  });
});
