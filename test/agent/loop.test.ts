import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { createScriptedModel } from "../../src/model/scripted.js";
import type { Model, ModelEvent } from "../../src/model/types.js";
import { defineTool } from "../../src/tools/define.js";
import { defaultTools } from "../../src/tools/index.js";
import { localProcessRunner } from "../../src/tools/local-io.js";
import { ofType, runScenario, tempRepo } from "../helpers.js";

describe("agent loop", () => {
  it("carries a task through tools to a final answer, in order, with usage and cost", async () => {
    const cwd = tempRepo({ "notes.txt": "alpha\nbeta\n" });
    const { result, events } = await runScenario(
      {
        steps: [
          { toolCalls: [{ name: "read_file", args: { path: "notes.txt" } }] },
          {
            expect: { lastMessageIncludes: ["beta"], toolResultsOk: true },
            toolCalls: [{ name: "write_file", args: { path: "out/summary.txt", content: "two lines" } }],
          },
          { expect: { toolResultsOk: true }, text: "Wrote the summary." },
        ],
      },
      { cwd },
    );
    expect(result.status).toBe("completed");
    expect(result.answer).toBe("Wrote the summary.");
    expect(result.steps).toBe(3);
    expect(readFileSync(path.join(cwd, "out/summary.txt"), "utf8")).toBe("two lines");
    const types = events.filter((e) => !["text_delta", "thinking_delta", "tool_call_delta", "tool_output"].includes(e.type)).map((e) => e.type);
    expect(types).toEqual([
      "session_started",
      "user_message",
      "step_started",
      "context",
      "assistant_message",
      "tool_started",
      "tool_finished",
      "step_finished",
      "step_started",
      "context",
      "assistant_message",
      "tool_started",
      "tool_finished",
      "step_finished",
      "step_started",
      "context",
      "assistant_message",
      "step_finished",
      "session_finished",
    ]);
    expect(result.usage.input).toBeGreaterThan(0);
    const seqs = events.filter((e) => e.type !== "text_delta").map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  });

  it("sends malformed JSON arguments and schema violations back to the model as tool errors", async () => {
    const { result, events } = await runScenario({
      steps: [
        { toolCalls: [{ name: "read_file", rawArgs: '{"path": "a.txt"' }] },
        {
          expect: { toolResultsOk: false, lastMessageIncludes: ["not valid JSON"] },
          toolCalls: [{ name: "read_file", args: { path: 42 } }],
        },
        {
          expect: { toolResultsOk: false, lastMessageIncludes: ["Invalid arguments for read_file", "path"] },
          toolCalls: [{ name: "no_such_tool", args: {} }],
        },
        { expect: { lastMessageIncludes: ['Unknown tool "no_such_tool"'] }, text: "done" },
      ],
    });
    expect(result.status).toBe("completed");
    expect(ofType(events, "tool_finished").every((e) => e.isError)).toBe(true);
  });

  it("stops at the step limit and at a token budget", async () => {
    const loop = { steps: Array.from({ length: 10 }, () => ({ toolCalls: [{ name: "list", args: {} }] })) };
    const capped = await runScenario(loop, { maxSteps: 3 });
    expect(capped.result.status).toBe("max_steps");
    expect(capped.result.steps).toBe(3);
    expect(capped.result.error).toMatch(/step limit \(3/);

    const budget = await runScenario(
      { steps: Array.from({ length: 10 }, () => ({ usage: { input: 400, output: 100 }, toolCalls: [{ name: "list", args: {} }] })) },
      { budgetTokens: 1200 },
    );
    expect(budget.result.status).toBe("budget");
    expect(budget.result.steps).toBe(3); // 500 tokens a step: 1,500 ≥ 1,200 after step 3
  });

  it("runs the read-only calls of one step in parallel and the others one at a time", async () => {
    let running = 0;
    let peak = 0;
    const trace: string[] = [];
    const slow = (name: string, readOnly: boolean) =>
      defineTool({
        name,
        description: name,
        parameters: z.object({ id: z.string() }),
        readOnly,
        async execute({ id }) {
          running++;
          peak = Math.max(peak, running);
          trace.push(`start ${id}`);
          await new Promise((r) => setTimeout(r, 40));
          running--;
          trace.push(`end ${id}`);
          return { content: id };
        },
      });
    const tools = [slow("look", true), slow("change", false)];
    const { result, events } = await runScenario(
      {
        steps: [
          {
            toolCalls: [
              { name: "look", args: { id: "r1" } },
              { name: "look", args: { id: "r2" } },
              { name: "look", args: { id: "r3" } },
              { name: "change", args: { id: "w1" } },
              { name: "look", args: { id: "r4" } },
            ],
          },
          { text: "ok" },
        ],
      },
      { tools },
    );
    expect(result.status).toBe("completed");
    expect(peak).toBe(3);
    // The write starts only after the three reads ended, and the last read after the write.
    expect(trace.indexOf("start w1")).toBeGreaterThan(trace.indexOf("end r3"));
    expect(trace.indexOf("start r4")).toBeGreaterThan(trace.indexOf("end w1"));
    expect(ofType(events, "tool_finished").map((e) => e.callId)).toHaveLength(5);
  });

  it("lets beforeToolCall block a call: the model sees why, and nothing runs", async () => {
    const cwd = tempRepo();
    const { result, events } = await runScenario(
      {
        steps: [
          { toolCalls: [{ name: "shell", args: { command: "touch should-not-exist" } }] },
          { expect: { toolResultsOk: false, lastMessageIncludes: ["Blocked: no shell in this test"] }, text: "understood" },
        ],
      },
      {
        cwd,
        hooks: { beforeToolCall: (call) => (call.name === "shell" ? { block: true, reason: "no shell in this test" } : undefined) },
      },
    );
    expect(result.status).toBe("completed");
    expect(ofType(events, "tool_finished")[0]!.isError).toBe(true);
    expect(existsSync(path.join(cwd, "should-not-exist"))).toBe(false);
  });

  it("delivers inbox messages at the next step boundary, recorded as steering", async () => {
    let calls = 0;
    const steering = () =>
      ++calls === 2 ? [{ role: "user" as const, content: [{ type: "text" as const, text: "use the read tools" }] }] : [];
    const { result, events } = await runScenario(
      {
        steps: [
          { toolCalls: [{ name: "list", args: {} }] },
          { expect: { lastMessageIncludes: ["use the read tools"] }, text: "ok" },
        ],
      },
      { hooks: { drainInbox: steering } },
    );
    expect(result.status).toBe("completed");
    expect(ofType(events, "user_message").map((e) => e.kind)).toEqual(["task", "steer"]);
  });

  it("ends with a clear error when the model fails, and records it", async () => {
    const { result, events } = await runScenario({ steps: [{ error: { status: 400, message: "bad request: tools[0] invalid" } }] });
    expect(result.status).toBe("error");
    expect(result.error).toContain("bad request: tools[0] invalid");
    expect(ofType(events, "model_error")).toHaveLength(1);
    expect(ofType(events, "session_finished")[0]!.status).toBe("error");
  });

  it("aborts a running shell command promptly and ends as aborted", async () => {
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 300);
    const { result, events } = await runScenario(
      { steps: [{ toolCalls: [{ name: "shell", args: { command: "sleep 30" } }] }, { text: "never" }] },
      { signal: controller.signal, tools: defaultTools() },
    );
    expect(result.status).toBe("aborted");
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(ofType(events, "tool_finished")[0]!.isError).toBe(true);
  });

  it("treats a stream that ends without a result as a model error, not a crash", async () => {
    const broken: Model = {
      ...createScriptedModel({ steps: [{ text: "x" }] }),
      stream: async function* (): AsyncGenerator<ModelEvent> {
        yield { type: "text_delta", delta: "partial" };
      },
    };
    const { result } = await runScenario({ steps: [{ text: "x" }] }, { model: broken });
    expect(result.status).toBe("error");
    expect(result.error).toMatch(/ended without a result/);
  });
});

describe("the sandbox is warmed when a session starts using tools", () => {
  const countingRunner = () => {
    const runner = { warms: 0, run: localProcessRunner.run, warm: () => void runner.warms++ };
    return runner;
  };

  it("once tools run, before the first of them", async () => {
    const runner = countingRunner();
    const { result } = await runScenario({ steps: [{ toolCalls: [{ name: "list", args: { path: "." } }] }, { text: "done" }] }, { runner });
    expect(result.status).toBe("completed");
    expect(runner.warms).toBeGreaterThan(0);
  });

  it("not for a session that only talks", async () => {
    const runner = countingRunner();
    await runScenario({ steps: [{ text: "hello" }] }, { runner });
    expect(runner.warms).toBe(0);
  });
});
