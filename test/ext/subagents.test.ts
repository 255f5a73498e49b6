import { existsSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createScriptedModel } from "../../src/model/scripted.js";
import { replay } from "../../src/session/replay.js";
import { loadSubagents } from "../../src/subagents/definitions.js";
import { ofType } from "../helpers.js";
import { collect, hostFor, places, routedModel } from "./ext-helpers.js";

const reviewer = "---\nname: reviewer\ndescription: Reviews code for bugs\ntools: Read, Grep\nmodel: inherit\neffort: low\n---\nYou are the reviewer subagent. Report bugs only.\n";

const taskCall = (subagent_type: string, prompt = "review a.ts") => ({ name: "task", args: { description: "review a.ts", prompt, subagent_type } });

describe("subagents", () => {
  it("come from the project's and the user's agents folders, with general-purpose built in; a bad file is one notice", () => {
    const p = places({
      project: { ".claude/agents/reviewer.md": reviewer, ".colleague/agents/broken.md": "---\nname: broken\n---\n" },
      home: { "agents/writer.md": "---\nname: writer\ndescription: Writes docs\nmodel: sonnet\n---\nYou write docs." },
    });
    const notices: string[] = [];
    const agents = loadSubagents({ cwd: p.ws, home: p.home, userHome: p.user }, {}, (n) => notices.push(n));
    expect(agents.map((a) => [a.name, a.source])).toEqual([
      ["general-purpose", "built-in"],
      ["reviewer", "project"],
      ["writer", "user"],
    ]);
    expect(agents[1]).toMatchObject({ tools: ["Read", "Grep"], model: "inherit", effort: "low", prompt: "You are the reviewer subagent. Report bugs only." });
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(/skipped the subagent in .*broken\.md: no `description`/);
  });

  it("the task tool runs one with its own context and tools; its answer returns and its cost counts in the parent", async () => {
    const p = places({ project: { ".claude/agents/reviewer.md": reviewer, "a.ts": "let x = 1 / 0;\n" } });
    const { host } = hostFor(p);
    const parent = {
      steps: [
        { expect: { systemIncludes: ["colleague"] }, toolCalls: [taskCall("reviewer")] },
        { expect: { lastMessageIncludes: ["division by zero on line 1"], toolResultsOk: true }, text: "the reviewer found one bug" },
      ],
    };
    const child = {
      steps: [
        // Its own context: the subagent's prompt as system prompt, the parent's prompt as the task, nothing else.
        { expect: { systemIncludes: ["You are the reviewer subagent."], lastMessageIncludes: ["review a.ts"] }, toolCalls: [{ name: "read_file", args: { path: "a.ts" } }] },
        { expect: { toolResultsOk: true }, text: "division by zero on line 1", usage: { input: 5000, output: 700 } },
      ],
    };
    const { events, onEvent } = collect();
    const result = await host.startSession({ task: "get a.ts reviewed", cwd: p.ws, model: routedModel(parent, child, "You are the reviewer"), sandbox: "off" }, { onEvent });
    expect(result.status, result.error).toBe("completed");

    const finished = ofType(events, "tool_finished").find((e) => e.name === "task")!;
    const childId = finished.details?.sessionId as string;
    const childEvents = host.store.events(childId);
    const childStarted = ofType(childEvents, "session_started")[0]!;
    expect(childStarted.parent).toEqual({ sessionId: result.sessionId, callId: finished.callId, subagent: "reviewer" });
    expect(childStarted.tools).toEqual(["read_file", "grep"]);
    expect(childStarted.effort).toBe("low");
    const childFinished = ofType(childEvents, "session_finished")[0]!;
    expect(childFinished.costUsd).toBeGreaterThan(0);

    // The parent's totals hold its own steps and the child's run, live and after a replay of its log.
    const own = ofType(events, "assistant_message").reduce((sum, e) => sum + e.costUsd, 0);
    expect(result.costUsd).toBeCloseTo(own + childFinished.costUsd, 10);
    expect(result.usage.input).toBeGreaterThanOrEqual(5000);
    expect(result.usage.output).toBeGreaterThanOrEqual(700);
    const replayed = replay(host.store.events(result.sessionId));
    expect(replayed.costUsd).toBeCloseTo(result.costUsd, 10);
    expect(replayed.usage).toEqual(result.usage);
    host.close();
  });

  it("a deny rule holds inside a subagent", async () => {
    const p = places({ home: { "config.json": JSON.stringify({ permissions: { deny: ["write_file"] } }) } });
    const { host } = hostFor(p);
    const parent = {
      steps: [{ toolCalls: [taskCall("general-purpose", "write notes.txt")] }, { expect: { lastMessageIncludes: ["could not write"] }, text: "it was denied" }],
    };
    const child = {
      steps: [
        { expect: { systemIncludes: ["You are a subagent"] }, toolCalls: [{ name: "write_file", args: { path: "notes.txt", content: "x" } }] },
        { expect: { lastMessageIncludes: ["denied by user rule"], toolResultsOk: false }, text: "could not write: denied" },
      ],
    };
    const { events, onEvent } = collect();
    const result = await host.startSession(
      { task: "delegate", cwd: p.ws, model: routedModel(parent, child, "You are a subagent"), sandbox: "off", permissionMode: "full-auto" },
      { onEvent },
    );
    expect(result.status, result.error).toBe("completed");
    expect(existsSync(path.join(p.ws, "notes.txt"))).toBe(false);
    const childId = ofType(events, "tool_finished").find((e) => e.name === "task")!.details?.sessionId as string;
    const decision = ofType(host.store.events(childId), "permission_decision").find((d) => d.name === "write_file");
    expect(decision).toMatchObject({ decision: "deny", via: "rule", rule: "write_file" });
    host.close();
  });

  it("interrupting the parent interrupts the child", async () => {
    const p = places();
    const { host } = hostFor(p);
    const parent = { steps: [{ toolCalls: [taskCall("general-purpose", "think for a long time")] }, { text: "never" }] };
    const child = { steps: [{ delayMs: 60_000, text: "too late" }] };
    const controller = new AbortController();
    const { events, onEvent } = collect();
    const run = host.startSession(
      { task: "delegate", cwd: p.ws, model: routedModel(parent, child, "You are a subagent"), sandbox: "off" },
      {
        onEvent: (e) => {
          onEvent(e);
          if (e.type === "tool_started" && e.name === "task") setTimeout(() => controller.abort(), 100);
        },
        signal: controller.signal,
      },
    );
    const result = await run;
    expect(result.status).toBe("aborted");
    const finished = ofType(events, "tool_finished").find((e) => e.name === "task")!;
    expect(finished.isError).toBe(true);
    const childRow = host.store.getSession(finished.details?.sessionId as string)!;
    expect(childRow.status).toBe("aborted");
    host.close();
  });

  it("an unknown subagent_type is an error the model can act on", async () => {
    const p = places();
    const { host } = hostFor(p);
    const model = createScriptedModel({
      steps: [{ toolCalls: [taskCall("nobody")] }, { expect: { lastMessageIncludes: ['No subagent "nobody"', "general-purpose"], toolResultsOk: false }, text: "ok" }],
    });
    const result = await host.startSession({ task: "delegate", cwd: p.ws, model, sandbox: "off" });
    expect(result.status, result.error).toBe("completed");
    host.close();
  });
});
