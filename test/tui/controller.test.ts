import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { createScriptedModel } from "../../src/model/scripted.js";
import type { Model } from "../../src/model/types.js";
import { SqliteStore } from "../../src/store/sqlite.js";
import { Host } from "../../src/host/host.js";
import { TuiController } from "../../src/tui/controller.js";
import type { Item } from "../../src/tui/view-model.js";
import { tempRepo } from "../helpers.js";

function controller(models: Record<string, Model>) {
  const store = new SqliteStore(":memory:");
  const c = new TuiController({
    host: new Host({ store, home: tempRepo() }),
    cwd: tempRepo(),
    modelId: "scripted:a",
    effort: undefined,
    maxSteps: 10,
    makeModel: async (id) => {
      const model = models[id];
      if (!model) throw new Error(`unknown model ${id}`);
      return model;
    },
  });
  return { c, store };
}

const notes = (items: Item[]) => items.filter((i) => i.kind === "note").map((i) => (i as { text: string }).text);
/** A model that records each request's messages before answering as `base` does. */
const recording = (base: Model, into: string[]): Model => ({
  ...base,
  stream: (request) => {
    into.push(JSON.stringify(request.messages));
    return base.stream(request);
  },
});
const idle = async (c: TuiController) => {
  while (c.busy) await new Promise((r) => setTimeout(r, 5));
};

describe("TUI controller", () => {
  it("runs a task, continues the same session with the next message, and /new starts another", async () => {
    const a = createScriptedModel({ steps: [{ text: "first answer" }, { expect: { lastMessageIncludes: ["and more"] }, text: "second answer" }] }, "scripted:a");
    const { c, store } = controller({ "scripted:a": a });
    await c.init(() => {});
    c.submit("do it", false);
    await idle(c);
    c.submit("and more", false);
    await idle(c);
    expect(store.listSessions()).toHaveLength(1);
    expect(c.view.items.filter((i) => i.kind === "assistant").map((i) => (i as { text: string }).text)).toEqual(["first answer", "second answer"]);
    c.submit("/new", false);
    await new Promise((r) => setTimeout(r, 5));
    expect(notes(c.view.items).at(-1)).toMatch(/new session/);
  });

  it("handles /effort, /model, /resume, /cost and unknown commands with a note each", async () => {
    const a = createScriptedModel({ steps: [{ text: "done" }, { text: "resumed answer" }] }, "scripted:a");
    const { c, store } = controller({ "scripted:a": a, "scripted:b": createScriptedModel({ steps: [{ text: "b" }] }, "scripted:b") });
    await c.init(() => {});
    c.submit("task one", false);
    await idle(c);
    const id = store.listSessions()[0]!.id;
    const run = async (line: string) => {
      c.submit(line, false);
      await new Promise((r) => setTimeout(r, 20));
      return notes(c.view.items).at(-1) ?? "";
    };
    expect(await run("/effort huge")).toMatch(/usage: \/effort/);
    expect(await run("/effort low")).toBe("effort → low");
    expect(c.view.effort).toBe("low");
    expect(await run("/model nope:x")).toMatch(/unknown model nope:x/);
    expect(await run("/model scripted:b")).toMatch(/^model → scripted:b; the session goes on with it/);
    expect(c.view.model).toBe("scripted:b");
    expect(await run("/cost")).toMatch(new RegExp(`session ${id}: [\\d.]+k? tokens`));
    expect(await run("/frobnicate")).toMatch(/unknown command \/frobnicate/);
    await run("/model scripted:a");
    await run("/new");
    expect(await run(`/resume ${id.slice(0, 8)}`)).toMatch(new RegExp(`resuming ${id}`));
    c.submit("more please", false);
    await idle(c);
    expect(store.listSessions()).toHaveLength(1);
    expect(c.view.items.some((i) => i.kind === "assistant" && i.text === "resumed answer")).toBe(true);
  });
});

describe("TUI controller steering", () => {
  it("sends Enter as a steer, Tab as a queue, !text as an urgent steer that cuts the stream", async () => {
    const base = createScriptedModel({ steps: [{ text: "unused" }] }, "scripted:a");
    const requests: string[] = [];
    const slow: Model = {
      ...base,
      async *stream(request) {
        requests.push(JSON.stringify(request.messages));
        if (requests.length === 1) {
          yield { type: "text_delta", delta: "thinking about it" };
          if (!request.signal?.aborted) await new Promise((r) => request.signal?.addEventListener("abort", r, { once: true }));
          yield { type: "error", error: { kind: "aborted", message: "aborted", retryable: false } };
          return;
        }
        yield { type: "done", message: { role: "assistant", content: [{ type: "text", text: `answer ${requests.length}` }], model: "scripted:a", api: "scripted", stopReason: "end", usage: { input: 1, output: 1, cacheRead: 0, cacheWrite: 0, reasoning: 0 } } };
      },
    };
    const { c } = controller({ "scripted:a": slow });
    await c.init(() => {});
    c.submit("start", false);
    while (!c.view.liveText) await new Promise((r) => setTimeout(r, 5));
    c.submit("later please", true);
    c.submit("!stop that", false);
    await idle(c);
    expect(requests).toHaveLength(3);
    expect(requests[1]).toContain("stop that");
    expect(requests[1]).not.toContain("later please");
    expect(requests[2]).toContain("later please");
    expect(c.view.items.some((i) => i.kind === "assistant" && i.interrupted === true && i.text === "thinking about it")).toBe(true);
    expect(c.view.items.filter((i) => i.kind === "user").map((i) => (i as { mode: string }).mode)).toEqual(["task", "steer", "queue"]);
  });
});

describe("TUI controller: sessions, reports and the workspace", () => {
  const wait = (ms = 30) => new Promise((r) => setTimeout(r, ms));

  it("/new resets the token count; /status and /permissions report; /rename names the next session", async () => {
    const a = createScriptedModel({ steps: [{ text: "one" }, { text: "two" }] }, "scripted:a");
    const { c, store } = controller({ "scripted:a": a });
    await c.init(() => {});
    c.submit("task", false);
    await idle(c);
    expect(c.view.tokens).toBeGreaterThan(0);
    c.submit("/new", false);
    await wait();
    expect([c.view.tokens, c.view.costUsd, c.view.sessionId]).toEqual([0, 0, undefined]);
    c.submit("/status", false);
    await wait();
    expect(notes(c.view.items).some((n) => n.startsWith("session    (none yet"))).toBe(true);
    expect(notes(c.view.items).some((n) => n.startsWith("model      scripted:a"))).toBe(true);
    c.submit("/permissions", false);
    await wait();
    expect(notes(c.view.items).some((n) => n.startsWith("mode "))).toBe(true);
    c.submit("/rename the port fix", false);
    await wait();
    expect(notes(c.view.items).at(-1)).toBe('the next session will be "the port fix"');
    c.submit("task two", false);
    await idle(c);
    // The name is kept by the store: `colleague show "the port fix"` finds the session.
    expect(store.findSession("the port fix")?.id).toBe(c.view.sessionId);
  });

  it("/diff shows what changed in the workspace since the session started; /init asks the agent for AGENTS.md", async () => {
    const cwd = tempRepo({ "README.md": "hello\n" });
    execFileSync("git", ["init", "-q"], { cwd });
    const requests: string[] = [];
    const base = createScriptedModel({ steps: [{ toolCalls: [{ name: "write_file", args: { path: "README.md", content: "hello\nworld\n" } }] }, { text: "done" }, { text: "AGENTS.md written" }] }, "scripted:a");
    const model = recording(base, requests);
    const store = new SqliteStore(":memory:");
    const c = new TuiController({ host: new Host({ store, home: tempRepo() }), cwd, modelId: "scripted:a", effort: undefined, maxSteps: 10, guard: { permissionMode: "full-auto", sandbox: "off" }, makeModel: async () => model });
    await c.init(() => {});
    c.submit("add a line", false);
    await idle(c);
    c.submit("/diff", false);
    // Generous: git on a loaded machine; a failure shows as a note instead.
    for (let i = 0; i < 600 && !c.view.items.some((i) => i.kind === "output"); i++) await wait(50);
    const output = c.view.items.find((i) => i.kind === "output") as { text: string; diff?: boolean } | undefined;
    expect(output, notes(c.view.items).join("\n")).toBeDefined();
    expect(output?.diff).toBe(true);
    expect(output?.text).toContain("+world");
    c.submit("/init", false);
    await idle(c);
    expect(requests.at(-1)).toContain("AGENTS.md");
  });

  it("a model switched mid-session reads the earlier model's thinking as text", async () => {
    const a = createScriptedModel({ steps: [{ thinking: "The port is 8080.", text: "first" }] }, "scripted:a");
    const seen: string[] = [];
    const bBase = createScriptedModel({ steps: [{ text: "second" }] }, "scripted:b");
    const b = recording(bBase, seen);
    const { c } = controller({ "scripted:a": a, "scripted:b": b });
    await c.init(() => {});
    c.submit("go", false);
    await idle(c);
    c.submit("/model scripted:b", false);
    await wait();
    c.submit("and now?", false);
    await idle(c);
    expect(seen[0]).toContain("<thinking>\\nThe port is 8080.\\n</thinking>");
  });

  it("/model while the agent works switches at its next step", async () => {
    const seenA: string[] = [];
    const a = recording(createScriptedModel({ steps: [{ delayMs: 1000, toolCalls: [{ name: "list", args: {} }] }, { text: "A again" }] }, "scripted:a"), seenA);
    const seen: string[] = [];
    const b = recording(createScriptedModel({ steps: [{ text: "unused" }, { text: "B answered" }] }, "scripted:b"), seen);
    const { c } = controller({ "scripted:a": a, "scripted:b": b });
    await c.init(() => {});
    c.submit("look", false);
    // Switched while A is answering step 1 (not before the session starts, which would start it on B).
    while (seenA.length === 0) await new Promise((r) => setTimeout(r, 5));
    c.submit("/model scripted:b", false);
    await idle(c);
    expect(seenA).toHaveLength(1);
    expect(seen).toHaveLength(1);
    expect(notes(c.view.items)).toContain("model → scripted:b");
    expect(c.view.model).toBe("scripted:b");
  });

  it("@file in a message attaches the file and says so", async () => {
    const cwd = tempRepo({ "notes.txt": "remember the milk\n" });
    const seen: string[] = [];
    const base = createScriptedModel({ steps: [{ text: "ok" }] }, "scripted:a");
    const model = recording(base, seen);
    const c = new TuiController({ host: new Host({ store: new SqliteStore(":memory:"), home: tempRepo() }), cwd, modelId: "scripted:a", effort: undefined, maxSteps: 5, makeModel: async () => model });
    await c.init(() => {});
    c.submit("read @notes.txt", false);
    await idle(c);
    expect(seen[0]).toContain("remember the milk");
    expect(notes(c.view.items)).toContain("📎 notes.txt (1 line)");
  });
});
