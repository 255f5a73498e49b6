import { describe, expect, it } from "vitest";
import type { ContextEngine } from "../../src/context/engine.js";
import type { Scenario } from "../../src/model/scenario.js";
import { createScriptedModel } from "../../src/model/scripted.js";
import type { Message, ModelInfo, UserMessage } from "../../src/model/types.js";
import { replay } from "../../src/session/replay.js";
import { createAgent } from "../../src/host/agent.js";
import { resumeSession } from "../../src/session/session.js";
import { ofType, runScenario, tempRepo } from "../helpers.js";

const smallWindow = (window: number): ModelInfo => ({
  name: "small",
  api: "scripted",
  contextWindow: window,
  maxOutput: 4_000,
  price: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 },
  capabilities: { tools: true, images: false, reasoning: "none" },
});

const bigText = Array.from({ length: 400 }, (_, i) => `line ${i} ${"x".repeat(60)}`).join("\n"); // ~26 KB ≈ 6.5K tokens

const steer = (text: string): UserMessage => ({ role: "user", content: [{ type: "text", text }] });

/** A scenario of `n` reads of a big file, then an answer. */
function reads(n: number): Scenario {
  return {
    steps: [
      ...Array.from({ length: n }, (_, i) => ({ text: `reading part ${i}`, toolCalls: [{ name: "read_file", args: { path: "big.txt" } }] })),
      { text: "finished" },
    ],
  };
}

describe("the context engine in a session", () => {
  it("clears and compacts so every request stays under a small window, and the scenario keeps its place", async () => {
    const big = Array.from({ length: 400 }, (_, i) => `line ${i} ${"x".repeat(60)}`).join("\n"); // ~26 KB ≈ 6.5K tokens
    const cwd = tempRepo({ "big.txt": big, "AGENTS.md": "Always answer in English." });
    const scenario = reads(30);
    const { result, events } = await runScenario(scenario, {
      cwd,
      task: "summarise big.txt",
      model: createScriptedModel(scenario, "scripted:small", smallWindow(40_000)),
      maxSteps: 50,
      // Keep more results than fit, so that clearing alone cannot hold the window: compaction must.
      context: { clearAt: 0.5, keepToolResults: 5 },
      hooks: { drainInbox: steeringAt(5, "Mention the line count.") },
    });
    expect(result.status).toBe("completed");
    expect(result.answer).toBe("finished");
    const contexts = ofType(events, "context");
    expect(contexts).toHaveLength(31);
    for (const c of contexts) expect(c.used).toBeLessThan(40_000);
    const compactions = ofType(events, "context_compacted");
    expect(compactions.length).toBeGreaterThan(0);
    for (const c of compactions) expect(c.handoff).toContain("summarise big.txt");
    // The steer (step 5) stays verbatim in the tail until a later compaction folds it into the handoff.
    expect(compactions.at(-1)!.handoff).toContain("Mention the line count.");
  });

  it("clears old tool results to placeholders, keeping the newest intact", async () => {
    const cwd = tempRepo({ "big.txt": bigText });
    const scenario = reads(10);
    const { result, events } = await runScenario(scenario, {
      cwd,
      model: createScriptedModel(scenario, "scripted:small", smallWindow(40_000)),
      context: { clearAt: 0.3, keepToolResults: 1 },
    });
    expect(result.status).toBe("completed");
    const contexts = ofType(events, "context");
    const cleared = contexts.flatMap((c) => c.cleared);
    expect(cleared).toEqual(Array.from({ length: 9 }, (_, i) => `call_${i}_0`).slice(0, cleared.length));
    expect(cleared.length).toBeGreaterThanOrEqual(8);
    for (const c of contexts) expect(c.used).toBeLessThan(0.5 * 40_000);
    expect(ofType(events, "context_compacted")).toHaveLength(0);
  });

  it("compacts on request; the next request holds the task, AGENTS.md and every steering message verbatim", async () => {
    const cwd = tempRepo({ "big.txt": "hello", "AGENTS.md": "Never use tabs for indentation." });
    const scenario = reads(5);
    const requests: Message[][] = [];
    const base = createScriptedModel(scenario);
    const systems: string[] = [];
    let engine: ContextEngine | undefined;
    let step = 0;
    const { result, events } = await runScenario(scenario, {
      cwd,
      task: "the original task, word for word",
      model: {
        ...base,
        stream: (r) => {
          requests.push([...r.messages]);
          systems.push(r.system);
          return base.stream(r);
        },
      },
      onContextEngine: (e) => {
        engine = e;
      },
      hooks: {
        drainInbox: () => {
          step++;
          if (step === 2) return [steer("first steer: keep it short")];
          if (step === 3) return [steer("second steer: cite line numbers")];
          if (step === 4) engine!.requestCompaction();
          return [];
        },
      },
    });
    expect(result.status).toBe("completed");
    const compacted = ofType(events, "context_compacted");
    expect(compacted).toHaveLength(1);
    expect(compacted[0]!.reason).toBe("manual");
    const after = JSON.stringify(requests[3]);
    expect(after).toContain("the original task, word for word");
    expect(after).toContain("first steer: keep it short");
    expect(after).toContain("second steer: cite line numbers");
    expect(systems[3]).toContain("Never use tabs for indentation.");
    expect(requests[3]!.length).toBeLessThan(requests[2]!.length);
    expect(ofType(events, "context").at(3)!.compacted).toBe(true);
  });

  it("resume rebuilds the cleared and compacted history exactly as the live loop had it", async () => {
    const cwd = tempRepo({ "big.txt": bigText });
    const scenario = reads(12);
    let live: Message[] = [];
    let engine: ContextEngine | undefined;
    let step = 0;
    const model = createScriptedModel(scenario, "scripted:small", smallWindow(40_000));
    const first = await runScenario(scenario, {
      cwd,
      model,
      maxSteps: 9,
      context: { clearAt: 0.3, keepToolResults: 1 },
      onContextEngine: (e) => {
        engine = e;
      },
      hooks: {
        drainInbox: () => {
          if (++step === 6) engine!.requestCompaction();
          return step === 3 ? [steer("a steer to keep")] : [];
        },
        transformContext: (messages) => {
          live = messages;
          return messages;
        },
      },
    });
    expect(first.result.status).toBe("max_steps");
    const log = first.store.events(first.result.sessionId);
    expect(ofType(log, "context_compacted").length).toBeGreaterThan(0);
    expect(ofType(log, "context").some((c) => c.cleared.length > 0)).toBe(true);
    expect(JSON.stringify(replay(log).messages)).toBe(JSON.stringify(live));

    const resumed = await resumeSession(first.result.sessionId, { store: first.store, model, maxSteps: 20 });
    expect(resumed.status).toBe("completed");
    expect(resumed.answer).toBe("finished");
    const handoff = replay(first.store.events(first.result.sessionId)).messages[0]!;
    expect(JSON.stringify(handoff)).toContain("a steer to keep");
  });
});

/** A drainInbox hook that steers once, at step `at`. */
function steeringAt(at: number, text: string) {
  let step = 0;
  return () => (++step === at ? [steer(text)] : []);
}

describe("agent.compact()", () => {
  it("compacts the running session before its next request", async () => {
    const scenario = reads(4);
    const agent = await createAgent({ model: createScriptedModel(scenario), store: ":memory:", cwd: tempRepo({ "big.txt": "b" }) });
    expect(agent.compact()).toBe(false); // nothing running
    let asked = false;
    agent.subscribe((e) => {
      if (e.type === "step_finished" && e.step === 2) asked = agent.compact();
    });
    const result = await agent.run("read it four times");
    expect(result.status).toBe("completed");
    expect(asked).toBe(true);
    const compacted = ofType(agent.store.events(result.sessionId), "context_compacted");
    expect(compacted).toHaveLength(1);
    expect(compacted[0]!.reason).toBe("manual");
    expect(compacted[0]!.handoff).toContain("read it four times");
    agent.close();
  });
});

describe("/compact", () => {
  it("arriving as a steering message compacts instead of reaching the model, live and on resume", async () => {
    const scenario = reads(6);
    const requests: Message[][] = [];
    const base = createScriptedModel(scenario);
    let step = 0;
    let live: Message[] = [];
    const first = await runScenario(scenario, {
      cwd: tempRepo({ "big.txt": "b" }),
      maxSteps: 5,
      model: {
        ...base,
        stream: (r) => {
          requests.push([...r.messages]);
          return base.stream(r);
        },
      },
      hooks: {
        drainInbox: () => (++step === 3 ? [steer("/compact")] : []),
        transformContext: (messages) => {
          live = messages;
          return messages;
        },
      },
    });
    expect(first.result.status).toBe("max_steps");
    const compacted = ofType(first.events, "context_compacted");
    expect(compacted).toHaveLength(1);
    expect(compacted[0]!.reason).toBe("manual");
    expect(JSON.stringify(requests)).not.toContain("/compact");
    const log = first.store.events(first.result.sessionId);
    expect(JSON.stringify(replay(log).messages)).toBe(JSON.stringify(live));
  });
});
