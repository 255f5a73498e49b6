import { describe, expect, it } from "vitest";
import type { AgentEvent } from "../../src/agent/events.js";
import { Inbox } from "../../src/agent/inbox.js";
import type { Scenario } from "../../src/model/scenario.js";
import { createScriptedModel } from "../../src/model/scripted.js";
import type { Model } from "../../src/model/types.js";
import { replay } from "../../src/session/replay.js";
import { resumeSession, startSession } from "../../src/session/session.js";
import { SqliteStore } from "../../src/store/sqlite.js";
import { ofType, tempRepo } from "../helpers.js";

/** A model that records what each request held when it was sent (the loop's history array grows later). */
function recording(model: Model): { model: Model; requests: string[] } {
  const requests: string[] = [];
  const stream: Model["stream"] = (request) => {
    requests.push(JSON.stringify(request.messages));
    return model.stream(request);
  };
  return { requests, model: { ...model, stream } };
}

const inputText = (request: string) => request;

/** Runs a scenario with an inbox; `react` sees every event as it happens (to steer at the right moment). */
async function steered(scenario: Scenario, inbox: Inbox, react: (e: AgentEvent) => void, model?: Model) {
  const store = new SqliteStore(":memory:");
  const rec = recording(model ?? createScriptedModel(scenario));
  const events: AgentEvent[] = [];
  const result = await startSession("do the task", {
    store,
    model: rec.model,
    cwd: tempRepo(),
    inbox,
    onEvent: (e) => {
      events.push(e);
      react(e);
    },
  });
  return { result, events, store, requests: rec.requests };
}

describe("live steering", () => {
  it("delivers a steer sent during a long tool call on the very next request, reporting the skipped calls", async () => {
    const inbox = new Inbox();
    const { result, events, requests } = await steered(
      {
        steps: [
          {
            toolCalls: [
              { name: "shell", args: { command: "sleep 0.5; echo first-done" } },
              { name: "shell", args: { command: "echo second > second.txt" } },
              { name: "list", args: {} },
            ],
          },
          { expect: { lastMessageIncludes: ["use port 8080", "Skipped because the user steered"] }, text: "ok, port 8080" },
        ],
      },
      inbox,
      (e) => {
        if (e.type === "tool_started" && e.callId === "call_0_0") inbox.steer("use port 8080");
      },
    );
    expect(result.status).toBe("completed");
    expect(requests).toHaveLength(2);
    expect(inputText(requests[1]!)).toContain("use port 8080");
    const finished = ofType(events, "tool_finished");
    expect(finished.map((e) => [e.callId, e.isError])).toEqual([
      ["call_0_0", false],
      ["call_0_1", true],
      ["call_0_2", true],
    ]);
    expect(finished[0]!.content[0]).toMatchObject({ text: expect.stringContaining("first-done") });
    expect(finished[1]!.details).toEqual({ skipped: true });
    expect(ofType(events, "tool_started").map((e) => e.callId)).toEqual(["call_0_0"]);
    const order = events.filter((e) => ["step_finished", "user_message", "step_started"].includes(e.type)).map((e) => e.type);
    expect(order).toEqual(["user_message", "step_started", "step_finished", "user_message", "step_started", "step_finished"]);
    expect(ofType(events, "user_message")[1]).toMatchObject({ kind: "steer", text: "use port 8080" });
  });

  it("cuts the model stream for an urgent steer and asks again with the steer", async () => {
    const inbox = new Inbox();
    let calls = 0;
    const base = createScriptedModel({ steps: [{ text: "done" }] });
    const slowFirst: Model = {
      ...base,
      async *stream(request) {
        calls += 1;
        if (calls === 1) {
          yield { type: "text_delta", delta: "Let me think about " };
          if (!request.signal?.aborted) await new Promise((resolve) => request.signal?.addEventListener("abort", resolve, { once: true }));
          yield { type: "error", error: { kind: "aborted", message: "aborted", retryable: false } };
          return;
        }
        yield* base.stream(request);
      },
    };
    const { result, events, requests } = await steered(
      { steps: [{ text: "unused" }] },
      inbox,
      (e) => {
        if (e.type === "text_delta" && calls === 1) inbox.steer("stop, do X instead", { urgent: true });
      },
      slowFirst,
    );
    expect(result.status).toBe("completed");
    expect(ofType(events, "interrupted")).toMatchObject([{ reason: "urgent_steer", partialText: "Let me think about " }]);
    expect(inputText(requests[1]!)).toContain("stop, do X instead");
  });

  it("delivers a queued message only after the final answer, as the next user turn", async () => {
    const inbox = new Inbox();
    const { result, events, requests } = await steered(
      {
        steps: [
          { toolCalls: [{ name: "shell", args: { command: "sleep 0.2" } }] },
          { text: "first task done" },
          { expect: { lastMessageIncludes: ["then update the changelog"] }, text: "changelog updated" },
        ],
      },
      inbox,
      (e) => {
        if (e.type === "tool_started") inbox.queue("then update the changelog");
      },
    );
    expect(result.status).toBe("completed");
    expect(result.answer).toBe("changelog updated");
    expect(requests).toHaveLength(3);
    expect(inputText(requests[1]!)).not.toContain("changelog");
    expect(ofType(events, "tool_finished")[0]!.isError).toBe(false);
    const answerSeq = ofType(events, "assistant_message").find((e) => e.message.content.some((p) => p.type === "text" && p.text === "first task done"))!.seq;
    const queued = ofType(events, "user_message").find((e) => e.kind === "queue")!;
    expect(queued.seq).toBeGreaterThan(answerSeq);
  });

  it("interrupt kills a running `sleep 30` in under a second; the agent waits and continues with the next message", async () => {
    const inbox = new Inbox({ waitAfterInterrupt: true });
    let interruptedAt = 0;
    let killedAfterMs = Number.POSITIVE_INFINITY;
    const { result, events } = await steered(
      {
        steps: [
          { toolCalls: [{ name: "shell", args: { command: "echo started; sleep 30" } }] },
          { expect: { lastMessageIncludes: ["try a shorter sleep"] }, text: "continuing" },
        ],
      },
      inbox,
      (e) => {
        if (e.type === "tool_output" && !interruptedAt) {
          interruptedAt = performance.now();
          inbox.interrupt();
        }
        if (e.type === "tool_finished") killedAfterMs = performance.now() - interruptedAt;
        if (e.type === "interrupted") setTimeout(() => inbox.steer("try a shorter sleep"), 20);
      },
    );
    expect(killedAfterMs).toBeLessThan(1000);
    expect(result.status).toBe("completed");
    expect(result.answer).toBe("continuing");
    const [finished] = ofType(events, "tool_finished");
    expect(finished!.isError).toBe(true);
    expect(JSON.stringify(finished!.content)).toContain("started"); // the partial output is kept
    expect(ofType(events, "interrupted")).toMatchObject([{ reason: "interrupt", killedCalls: ["call_0_0"] }]);
  });

  it("without a next message an interrupted run ends as interrupted, and resume continues it", async () => {
    const inbox = new Inbox();
    const scenario: Scenario = {
      chunkDelayMs: 5,
      steps: [{ text: "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen" }, { text: "second" }],
    };
    const { result, events, store } = await steered(scenario, inbox, (e) => {
      if (e.type === "text_delta") inbox.interrupt();
    });
    expect(result.status).toBe("interrupted");
    const [cut] = ofType(store.events(result.sessionId), "interrupted");
    expect(cut!.partialText).toMatch(/^one two/);
    expect(ofType(events, "assistant_message")).toHaveLength(0);
    const resumed = await resumeSession(result.sessionId, { store, model: createScriptedModel(scenario), followUp: "go on" });
    expect(resumed.status).toBe("completed");
    const log = replay(store.events(result.sessionId));
    expect(log.messages.map((m) => m.role)).toEqual(["user", "user", "assistant"]);
  });

  it("changes effort mid-run, records it, and resume keeps the new effort", async () => {
    const inbox = new Inbox();
    const seen: (string | undefined)[] = [];
    const scenario: Scenario = {
      steps: [{ toolCalls: [{ name: "list", args: {} }] }, { toolCalls: [{ name: "list", args: {} }] }, { text: "done" }],
    };
    const base = createScriptedModel(scenario);
    const model: Model = {
      ...base,
      stream: (r) => {
        seen.push(r.effort);
        return base.stream(r);
      },
    };
    const { result, events, store } = await steered(
      scenario,
      inbox,
      (e) => {
        if (e.type === "tool_started" && e.callId === "call_0_0") inbox.setEffort("max");
      },
      model,
    );
    expect(result.status).toBe("completed");
    expect(seen).toEqual([undefined, "max", "max"]);
    expect(ofType(events, "effort_changed")).toMatchObject([{ effort: "max" }]);
    expect(replay(store.events(result.sessionId)).effort).toBe("max");
  });

  it("auto effort picks per step and records the reason", async () => {
    const store = new SqliteStore(":memory:");
    const events: AgentEvent[] = [];
    await startSession("fix the typo in README.md", {
      store,
      model: createScriptedModel({
        steps: [
          { toolCalls: [{ name: "read_file", args: { path: "README.md" } }] },
          { toolCalls: [{ name: "list", args: {} }] },
          { text: "done" },
        ],
      }),
      cwd: tempRepo({ "README.md": "teh readme\n" }),
      effort: "auto",
      onEvent: (e) => events.push(e),
    });
    const steps = ofType(events, "step_started");
    expect(steps.map((s) => s.effort)).toEqual(["medium", "low", "low"]);
    expect(steps.every((s) => typeof s.effortReason === "string" && s.effortReason.length > 0)).toBe(true);
  });
});

describe("Inbox", () => {
  it("after an interrupt, waits for the next message; earlier queued messages stay queued", async () => {
    const inbox = new Inbox({ waitAfterInterrupt: true });
    inbox.queue("for later");
    inbox.interrupt();
    const signal = new AbortController().signal;
    const waiting = inbox.waitForMessage(signal);
    inbox.queue("go on"); // while waiting, a queued message starts the next turn at once
    expect(await waiting).toBe(true);
    expect(inbox.drainSteers().map((m) => m.content[0])).toEqual([{ type: "text", text: "go on" }]);
    expect(inbox.takeQueued()?.content[0]).toEqual({ type: "text", text: "for later" });
    expect(inbox.takeInterrupt()).toBe(false); // an interrupt while idle has nothing left to stop
  });

  it("ends the wait when closed, and never waits without waitAfterInterrupt", async () => {
    const inbox = new Inbox({ waitAfterInterrupt: true });
    const waiting = inbox.waitForMessage(new AbortController().signal);
    inbox.close();
    expect(await waiting).toBe(false);
    expect(await new Inbox().waitForMessage(new AbortController().signal)).toBe(false);
  });

  it("gives each step fresh signals, but an interrupt that came between steps still cuts the next", () => {
    const inbox = new Inbox();
    const first = inbox.beginStep();
    inbox.steer("x", { urgent: true });
    expect(first.stream.aborted).toBe(true);
    expect(first.tools.aborted).toBe(false);
    const second = inbox.beginStep();
    expect(second.stream.aborted).toBe(false);
    inbox.interrupt();
    const third = inbox.beginStep();
    expect(third.stream.aborted && third.tools.aborted).toBe(true);
    expect(inbox.cutReason).toBe("interrupt");
  });
});
