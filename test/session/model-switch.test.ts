import { describe, expect, it } from "vitest";
import type { AgentEvent } from "../../src/agent/events.js";
import { Inbox } from "../../src/agent/inbox.js";
import type { Scenario } from "../../src/model/scenario.js";
import { createScriptedModel } from "../../src/model/scripted.js";
import type { Message, Model, ModelInfo } from "../../src/model/types.js";
import { replay } from "../../src/session/replay.js";
import { resumeSession, startSession } from "../../src/session/session.js";
import { SqliteStore } from "../../src/store/sqlite.js";
import { ofType, tempRepo } from "../helpers.js";

const info = (name: string, window: number, outputPrice: number): ModelInfo => ({
  name,
  api: "scripted",
  contextWindow: window,
  maxOutput: 8_000,
  price: { input: 0, output: outputPrice, cacheRead: 0, cacheWrite: 0 },
  capabilities: { tools: true, images: false, reasoning: "none" },
});

/** A scripted model that records the history of each request it is sent. */
function recorded(scenario: Scenario, id: string, modelInfo: ModelInfo): { model: Model; requests: Message[][] } {
  const base = createScriptedModel(scenario, id, modelInfo);
  const requests: Message[][] = [];
  return {
    requests,
    model: {
      ...base,
      stream: (request) => {
        requests.push(structuredClone(request.messages.map(({ ...m }) => m)));
        return base.stream(request);
      },
    },
  };
}

// Model A thinks, then lists; after the switch B answers the second request (scripted models play by turn index).
const scenarioA: Scenario = { steps: [{ thinking: "the folder first", toolCalls: [{ name: "list", args: {} }] }, { text: "A again" }] };
const scenarioB: Scenario = { steps: [{ text: "never asked" }, { text: "B answers", usage: { input: 10, output: 1_000_000 } }] };

describe("switching a running session's model", () => {
  it("sends the next step to the new model, records model_changed, prices with it, and bridges the old thinking", async () => {
    const a = recorded(scenarioA, "scripted:a", info("a", 100_000, 0));
    const b = recorded(scenarioB, "scripted:b", info("b", 50_000, 2));
    const inbox = new Inbox();
    const store = new SqliteStore(":memory:");
    const events: AgentEvent[] = [];
    const result = await startSession("look around", {
      store,
      model: a.model,
      cwd: tempRepo(),
      inbox,
      onEvent: (e) => {
        events.push(e);
        if (e.type === "tool_started") inbox.setModel(b.model);
      },
    });

    expect(result.status).toBe("completed");
    expect(result.answer).toBe("B answers");
    expect(a.requests).toHaveLength(1);
    expect(b.requests).toHaveLength(1);
    expect(ofType(events, "model_changed")).toMatchObject([{ from: "scripted:a", to: "scripted:b" }]);
    // Recorded between step 1's end and step 2's start.
    const types = events.map((e) => e.type);
    expect(types.indexOf("model_changed")).toBeGreaterThan(types.indexOf("step_finished"));
    expect(types.indexOf("model_changed")).toBeLessThan(types.lastIndexOf("step_started"));

    // A's thinking reaches B as text: B's adapter would drop a foreign thinking block.
    const assistant = b.requests[0]!.find((m) => m.role === "assistant")!;
    expect(assistant.content.some((p) => p.type === "thinking")).toBe(false);
    expect(assistant.content).toContainEqual({ type: "text", text: "<thinking>\nthe folder first\n</thinking>" });

    // Step 2 is priced at B's rate ($2 per million output tokens) and measured against B's window.
    expect(result.costUsd).toBeCloseTo(2, 5);
    expect(ofType(events, "context").at(-1)).toMatchObject({ window: 50_000 });

    // The store's row and the replayed log name B, so a resume continues with it.
    expect(store.getSession(result.sessionId)!.model).toBe("scripted:b");
    expect(replay(store.events(result.sessionId)).model).toBe("scripted:b");
  });

  it("ignores a switch to the model already running", async () => {
    const a = recorded(scenarioA, "scripted:a", info("a", 100_000, 0));
    const inbox = new Inbox();
    const events: AgentEvent[] = [];
    await startSession("look around", {
      store: new SqliteStore(":memory:"),
      model: a.model,
      cwd: tempRepo(),
      inbox,
      onEvent: (e) => {
        events.push(e);
        if (e.type === "tool_started") inbox.setModel(a.model);
      },
    });
    expect(ofType(events, "model_changed")).toEqual([]);
    expect(a.requests).toHaveLength(2);
  });

  it("a stopped session resumed with another model records the switch and runs on it", async () => {
    const store = new SqliteStore(":memory:");
    const stopper: Scenario = { steps: [{ toolCalls: [{ name: "list", args: {} }] }] };
    const first = await startSession("look around", { store, model: createScriptedModel(stopper, "scripted:a"), cwd: tempRepo(), maxSteps: 1 });
    expect(first.status).not.toBe("completed");

    const b = recorded(scenarioB, "scripted:b", info("b", 50_000, 0));
    const resumed = await resumeSession(first.sessionId, { store, model: b.model, followUp: "go on" });
    expect(resumed.status).toBe("completed");
    expect(resumed.answer).toBe("B answers");
    expect(ofType(store.events(first.sessionId), "model_changed")).toMatchObject([{ from: "scripted:a", to: "scripted:b" }]);
    expect(store.getSession(first.sessionId)!.model).toBe("scripted:b");
  });
});
