import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { AgentEvent } from "../../src/agent/events.js";
import type { Scenario } from "../../src/model/scenario.js";
import { createScriptedModel } from "../../src/model/scripted.js";
import { replay } from "../../src/session/replay.js";
import { resumeSession } from "../../src/session/session.js";
import { SqliteStore } from "../../src/store/sqlite.js";
import { ofType, runScenario, tempRepo } from "../helpers.js";

/** A copy of a session's log cut right after event `cut` (what a kill -9 at that moment leaves). */
function truncatedCopy(events: AgentEvent[], cut: (e: AgentEvent) => boolean): SqliteStore {
  const store = new SqliteStore(":memory:");
  const started = ofType(events, "session_started")[0]!;
  store.createSession({ id: started.sessionId, task: started.task, model: started.model, cwd: started.cwd });
  for (const event of events) {
    if (event.type === "text_delta" || event.type === "thinking_delta" || event.type === "tool_call_delta" || event.type === "tool_output") continue;
    store.append(event);
    if (cut(event)) break;
  }
  return store;
}

const finishedCalls = (events: AgentEvent[]) => ofType(events, "tool_finished").map((e) => e.callId);

describe("resume", () => {
  it("continues a failed session from its last completed step without re-running finished calls", async () => {
    const cwd = tempRepo({ "log.txt": "" });
    const steps: Scenario["steps"] = [
      { toolCalls: [{ name: "shell", args: { command: "echo run >> log.txt" } }] },
      { toolCalls: [{ name: "read_file", args: { path: "log.txt" } }] },
      { error: { status: 400, message: "provider said no" } },
    ];
    const first = await runScenario({ steps }, { cwd });
    expect(first.result.status).toBe("error");

    const fixed: Scenario = { steps: [...steps.slice(0, 2), { expect: { lastMessageIncludes: ["run"] }, text: "all done" }] };
    const resumed = await resumeSession(first.result.sessionId, { store: first.store, model: createScriptedModel(fixed) });
    expect(resumed.status).toBe("completed");
    expect(resumed.answer).toBe("all done");
    expect(resumed.steps).toBe(3);
    expect(readFileSync(path.join(cwd, "log.txt"), "utf8")).toBe("run\n"); // the shell call ran once
    const log = first.store.events(first.result.sessionId);
    const ids = finishedCalls(log);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(2);
    expect(first.store.getSession(first.result.sessionId)!.status).toBe("completed");
  });

  it("reports a mutating call cut off mid-run as interrupted, and runs calls that never started", async () => {
    const cwd = tempRepo({ "a.txt": "alpha" });
    const scenario: Scenario = {
      steps: [
        {
          toolCalls: [
            { name: "shell", args: { command: "echo ran >> side-effect.txt" } },
            { name: "read_file", args: { path: "a.txt" } },
          ],
        },
        {
          expect: { lastMessageIncludes: ["stopped while shell was running", "alpha"] },
          text: "checked the state",
        },
      ],
    };
    const live = await runScenario(scenario, { cwd });
    const allEvents = live.store.events(live.result.sessionId);
    // Killed while the shell call ran: its start is logged, its end is not; read_file never started.
    const store = truncatedCopy(allEvents, (e) => e.type === "tool_started" && e.name === "shell");
    const events: AgentEvent[] = [];
    const resumed = await resumeSession(live.result.sessionId, {
      store,
      model: createScriptedModel(scenario),
      onEvent: (e) => events.push(e),
    });
    expect(resumed.status).toBe("completed");
    expect(ofType(events, "session_resumed")[0]!.interruptedCalls).toEqual(["call_0_0"]);
    const log = store.events(live.result.sessionId);
    expect(finishedCalls(log).sort()).toEqual(["call_0_0", "call_0_1"]);
    expect(ofType(log, "tool_finished").find((e) => e.callId === "call_0_0")!.isError).toBe(true);
    expect(ofType(log, "tool_started").filter((e) => e.callId === "call_0_1")).toHaveLength(1);
  });

  it("redoes a step whose model answer was never logged", async () => {
    const scenario: Scenario = { steps: [{ toolCalls: [{ name: "list", args: {} }] }, { text: "final" }] };
    const live = await runScenario(scenario);
    const all = live.store.events(live.result.sessionId);
    const store = truncatedCopy(all, (e) => e.type === "step_started" && e.step === 2);
    const resumed = await resumeSession(live.result.sessionId, { store, model: createScriptedModel(scenario) });
    expect(resumed).toMatchObject({ status: "completed", answer: "final", steps: 2 });
    expect(ofType(store.events(live.result.sessionId), "assistant_message")).toHaveLength(2);
  });

  it("refuses to resume a completed session without a follow-up, and continues it with one", async () => {
    const scenario: Scenario = {
      steps: [{ text: "first answer" }, { expect: { lastMessageIncludes: ["and now?"] }, text: "second answer" }],
    };
    const live = await runScenario(scenario);
    const model = createScriptedModel(scenario);
    await expect(resumeSession(live.result.sessionId, { store: live.store, model })).rejects.toThrow(/already completed/);
    const next = await resumeSession(live.result.sessionId.slice(0, 10), { store: live.store, model, followUp: "and now?" });
    expect(next.answer).toBe("second answer");
  });
});

describe("replay", () => {
  it("puts parallel results back in call order and counts only answered steps", async () => {
    const scenario: Scenario = {
      steps: [
        {
          toolCalls: [
            { name: "list", args: {} },
            { name: "glob", args: { pattern: "**/*" } },
          ],
        },
        { text: "done" },
      ],
    };
    const live = await runScenario(scenario);
    const events = live.store.events(live.result.sessionId);
    // Swap the two tool_finished events, as if the second call finished first.
    const finished = events.filter((e) => e.type === "tool_finished");
    const swapped = events.map((e) => (e === finished[0] ? finished[1]! : e === finished[1] ? finished[0]! : e));
    const state = replay(swapped);
    const results = state.messages.filter((m) => m.role === "tool");
    expect(results.map((m) => (m.role === "tool" ? m.callId : ""))).toEqual(["call_0_0", "call_0_1"]);
    expect(state.step).toBe(2);
    expect(state.unfinished).toEqual([]);
    expect(state.finished?.status).toBe("completed");
  });
});
