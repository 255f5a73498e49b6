import { describe, expect, it } from "vitest";
import type { AgentEvent, AgentEventBody } from "../../src/agent/events.js";
import { emptyUsage } from "../../src/model/types.js";
import { initialView, reduce, resetSession, statusLine, type ViewState } from "../../src/tui/view-model.js";

let seq = 0;
const ev = (body: AgentEventBody): AgentEvent => ({ seq: ++seq, sessionId: "s1", agentId: "main", time: "t", ...body }) as AgentEvent;
const play = (bodies: AgentEventBody[], start: ViewState = initialView("scripted:x", "auto", 200_000)) =>
  bodies.reduce((view, body) => reduce(view, ev(body), 1_000), start);

describe("TUI view model", () => {
  it("shows thinking and text live, then keeps them as finished items from the assistant message", () => {
    const live = play([{ type: "step_started", step: 1, effort: "high" }, { type: "thinking_delta", delta: "hmm " }, { type: "text_delta", delta: "Hel" }]);
    expect(live).toMatchObject({ liveThinking: "hmm ", liveText: "Hel", effort: "high", effortSetting: "auto", items: [] });
    expect(statusLine(live)).toContain("effort auto→high");
    const done = reduce(
      live,
      ev({
        type: "assistant_message",
        costUsd: 0,
        message: {
          role: "assistant",
          content: [{ type: "thinking", text: "hmm yes" }, { type: "text", text: "Hello" }],
          model: "scripted:x",
          api: "scripted",
          stopReason: "end",
          usage: { ...emptyUsage(), input: 50_000 },
        },
      }),
      1_000,
    );
    expect(done.liveText).toBe("");
    expect(done.items.map((i) => i.kind)).toEqual(["thinking", "assistant"]);
    expect(statusLine(done)).toContain("ctx 25%");
  });

  it("tracks running tools, their last output line, and how each finished", () => {
    const view = play([
      { type: "tool_started", callId: "a", name: "shell", args: { command: "npm test" } },
      { type: "tool_output", callId: "a", chunk: "line 1\nline 2\n" },
    ]);
    expect(view.running).toMatchObject([{ name: "shell", summary: "npm test", lastOutput: "line 2", startedAt: 1_000 }]);
    const after = play(
      [
        { type: "tool_finished", callId: "a", name: "shell", content: [{ type: "text", text: "ok\n[exit code 0, 1.0 s]" }], isError: false, durationMs: 1000 },
        { type: "tool_finished", callId: "b", name: "list", content: [{ type: "text", text: "Skipped because the user steered" }], isError: true, details: { skipped: true }, durationMs: 0 },
      ],
      view,
    );
    expect(after.running).toEqual([]);
    expect(after.items).toMatchObject([
      { kind: "tool", name: "shell", ok: true, durationMs: 1000 },
      { kind: "tool", name: "list", ok: false, skipped: true },
    ]);
  });

  it("removes a pending steer once it is delivered, and records interrupts with the partial text", () => {
    const start = { ...initialView("m", "auto", 0), pending: [{ mode: "steer" as const, text: "use X" }] };
    const view = play(
      [
        { type: "text_delta", delta: "partial" },
        { type: "interrupted", step: 1, reason: "interrupt", partialText: "partial", killedCalls: [] },
        { type: "user_message", text: "use X", kind: "steer" },
      ],
      start,
    );
    expect(view.pending).toEqual([]);
    expect(view.items).toMatchObject([
      { kind: "assistant", text: "partial", interrupted: true },
      { kind: "note", tone: "warn" },
      { kind: "user", text: "use X", mode: "steer" },
    ]);
  });

  it("shows a stopped session as a neutral, resumable end, and a failed one in the error colour", () => {
    const end = (status: "stopped" | "error", error: string) =>
      play([{ type: "session_finished", status, error, steps: 2, usage: emptyUsage(), costUsd: 0, durationMs: 5 }]).items.at(-1);
    const stopped = end("stopped", "the process was told to stop (SIGTERM); `colleague resume` continues it");
    expect(stopped).toMatchObject({ kind: "note", tone: "dim" });
    expect(stopped).toMatchObject({ text: expect.stringMatching(/^■ stopped — resume with colleague resume s1 · 2 steps/) });
    expect(end("error", "the provider failed")).toMatchObject({ kind: "note", tone: "error", text: expect.stringMatching(/^■ error: the provider failed/) });
  });

  it("fits the status line in 80 columns even with a long model id", () => {
    const view = { ...initialView(`compatible:${"q".repeat(60)}@http://127.0.0.1:11434/v1`, "auto", 128_000), tokens: 123_456, costUsd: 1.5 };
    expect(statusLine(view, 80).length).toBeLessThanOrEqual(80);
    expect(statusLine(view, 80)).toContain("effort auto");
  });
});

describe("the status line at 80 columns", () => {
  it("keeps the whole model id and drops the least useful parts first", () => {
    let view: ViewState = { ...initialView("anthropic:claude-opus-4-6", "auto", 200_000), effort: "high", tokens: 123_456, costUsd: 1.2345, contextTokens: 50_000, busy: true };
    view = { ...view, permissionMode: "auto-edit", sandbox: "bubblewrap" };
    const line = statusLine(view, 80);
    expect(line.length).toBeLessThanOrEqual(80);
    expect(line).toContain("anthropic:claude-opus-4-6 ·");
    expect(line).toContain("auto-edit/bwrap");
    expect(line).toContain("working");
    const local = { ...view, model: "compatible:qwen3-coder-30b-a3b-instruct@http://127.0.0.1:11434/v1" };
    expect(statusLine(local, 110)).toContain("compatible:qwen3-coder-30b-a3b-instruct@127.0.0.1:11434 ·");
    // Longer than the room left at 80: cut in the middle, both ends kept.
    expect(statusLine(local, 80).length).toBeLessThanOrEqual(80);
    expect(statusLine(local, 80)).toMatch(/^compatible:qwen3.*…@127\.0\.0\.1:11434 · effort auto→high/);
    expect(statusLine(view, 120)).toContain("123.5k tok");
  });

  it("a new session starts its counters at zero", () => {
    const view: ViewState = { ...initialView("scripted:a", "default", 1000), sessionId: "s1", tokens: 900, costUsd: 0.5, contextTokens: 400 };
    const fresh = resetSession(view);
    expect([fresh.sessionId, fresh.tokens, fresh.costUsd, fresh.contextTokens]).toEqual([undefined, 0, 0, 0]);
  });
});
