import { writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { AgentEvent, AgentEventBody } from "../../src/agent/events.js";
import { clipToWidth, terminalPrompt, wrap } from "../../src/cli/live-region.js";
import { Renderer, styleFor } from "../../src/cli/render.js";
import { emptyUsage } from "../../src/model/types.js";
import { tempRepo } from "../helpers.js";

/** A stream that records what was written; a terminal of `columns` when `tty`. */
function screen(tty: boolean, columns = 80) {
  const writes: string[] = [];
  const out = Object.assign(
    {
      write(s: string) {
        writes.push(s);
        return true;
      },
    },
    tty ? { isTTY: true, columns } : {},
  ) as unknown as NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  return { out, writes, text: () => writes.join("") };
}

let seq = 0;
const ev = (body: AgentEventBody): AgentEvent => ({ seq: ++seq, sessionId: "s1", agentId: "main", time: new Date().toISOString(), ...body }) as AgentEvent;
const finished = (status: "completed" | "error" = "completed", error?: string) =>
  ev({ type: "session_finished", status, steps: 3, usage: emptyUsage(), costUsd: 0, durationMs: 1200, ...(error ? { error } : {}) });
const plain = { dim: (s: string) => s, bold: (s: string) => s, red: (s: string) => s, green: (s: string) => s, yellow: (s: string) => s, cyan: (s: string) => s };

describe("the run renderer", () => {
  it("ends with ⚠ and the discrepancy when the honesty check flagged the answer, never ✓", () => {
    const s = screen(false);
    const r = new Renderer(s.out, plain);
    r.render(ev({ type: "honesty_check", result: "flagged", discrepancies: ["claims the tests pass, but `npm test` exited 1"] }));
    r.render(finished());
    expect(s.text()).toContain("⚠ completed, but the honesty check flagged the answer · 3 steps");
    expect(s.text()).toContain("  - claims the tests pass, but `npm test` exited 1");
    expect(s.text()).not.toContain("✓ completed");
  });

  it("never clips a long message: a denial keeps how to allow it", () => {
    const s = screen(false);
    const r = new Renderer(s.out, plain);
    const text = `Permission denied: shell \`rm -rf build\` needs approval and there is no terminal to ask on; ${"x".repeat(80)} allow it with --permission-mode full-auto`;
    r.render(ev({ type: "tool_started", callId: "c1", name: "shell", args: { command: "rm -rf build" } }));
    r.render(ev({ type: "tool_finished", callId: "c1", name: "shell", content: [{ type: "text", text }], isError: true, durationMs: 1 }));
    expect(s.text()).toContain("allow it with --permission-mode full-auto");
  });

  it("wraps long messages at the terminal width with a hanging indent", () => {
    const s = screen(true, 40);
    const r = new Renderer(s.out, plain);
    r.render(ev({ type: "model_error", error: { kind: "network", message: "the provider could not be reached at all after several attempts, check the network" } }));
    const lines = s.text().split("\n").filter(Boolean);
    expect(lines.length).toBeGreaterThan(2);
    expect(lines.every((l) => l.length <= 40)).toBe(true);
    expect(lines.slice(1).every((l) => l.startsWith("  "))).toBe(true);
    expect(wrap("a ".repeat(40).trim(), 40, "  ").split("\n").every((l) => l.length <= 40)).toBe(true);
  });

  it("shows the diff of each edit (edit_file from its details, write_file against the file before)", () => {
    const repo = tempRepo({ "a.txt": "one\ntwo\n" });
    const s = screen(false);
    const r = new Renderer(s.out, plain);
    r.render(ev({ type: "session_started", task: "t", model: "scripted:x", cwd: repo, system: "", tools: [] }));
    r.render(ev({ type: "tool_started", callId: "e1", name: "edit_file", args: { path: "a.txt", old_string: "two", new_string: "TWO" } }));
    r.render(ev({ type: "tool_finished", callId: "e1", name: "edit_file", content: [{ type: "text", text: "Edited a.txt" }], isError: false, details: { diff: "@@ -2,1 +2,1 @@\n-two\n+TWO" }, durationMs: 1 }));
    expect(s.text()).toContain("    -two\n    +TWO\n");
    r.render(ev({ type: "tool_started", callId: "w1", name: "write_file", args: { path: "a.txt", content: "one\nthree\n" } }));
    writeFileSync(path.join(repo, "a.txt"), "one\nthree\n");
    r.render(ev({ type: "tool_finished", callId: "w1", name: "write_file", content: [{ type: "text", text: "Wrote a.txt" }], isError: false, durationMs: 1 }));
    expect(s.text()).toContain("    -two\n    +three\n");
  });

  it("makes retries visible", () => {
    const s = screen(false);
    new Renderer(s.out, plain).render(ev({ type: "model_retry", attempt: 2, delayMs: 1500, error: { kind: "overloaded", message: "Overloaded (529)" } }));
    expect(s.text()).toBe("  ↻ Overloaded (529); retry 2 in 1.5 s\n");
  });

  it("says the answer starts over when a retry follows part of it on screen", () => {
    const s = screen(false);
    const r = new Renderer(s.out, plain);
    r.render(ev({ type: "step_started", step: 1 }));
    r.render(ev({ type: "text_delta", delta: "The first half" }));
    r.render(ev({ type: "model_retry", attempt: 1, delayMs: 10, error: { kind: "network", message: "stream dropped" } }));
    expect(s.text()).toContain("The first half\n  ↻ stream dropped; retry 1 in 10 ms; the answer starts over below\n");
  });

  it("on a terminal: a spinner with the elapsed time while the model works, the live tail of a command, collapsed after", () => {
    const s = screen(true, 60);
    const r = new Renderer(s.out, plain);
    r.render(ev({ type: "step_started", step: 1 }));
    expect(s.text()).toMatch(/waiting for the model · 0\.\ds\n$/);
    r.render(ev({ type: "tool_started", callId: "c1", name: "shell", args: { command: "make" } }));
    r.render(ev({ type: "tool_output", callId: "c1", chunk: "line 1\nline 2\nline 3\n" }));
    expect(s.writes.at(-1)).toContain("    │ line 3\n");
    expect(s.writes.at(-1)).toMatch(/shell · \d+\.\ds\n$/);
    const before = s.writes.length;
    r.render(ev({ type: "tool_finished", callId: "c1", name: "shell", content: [{ type: "text", text: "line 3\n[exit code 0]" }], isError: false, durationMs: 5 }));
    r.render(finished());
    const after = s.writes.slice(before).join("");
    // The live lines are erased (cursor up, clear to end) and the outcome is printed in their place.
    expect(after).toMatch(/^\x1b\[\d+F\x1b\[J/);
    expect(after).toContain("  ✓ exit code 0 · line 3 (5 ms)");
    expect(after).not.toContain("│");
  });

  it("erases the spinner and stops redrawing while an approval question owns the terminal", async () => {
    const s = screen(true, 60);
    const r = new Renderer(s.out, plain);
    r.render(ev({ type: "step_started", step: 1 }));
    r.render(ev({ type: "tool_started", callId: "c1", name: "shell", args: { command: "rm -rf build" } }));
    const before = s.writes.length;
    await terminalPrompt.around(async () => {
      expect(s.writes.slice(before).join("")).toMatch(/^\x1b\[\d+F\x1b\[J$/);
      const during = s.writes.length;
      r.render(ev({ type: "tool_output", callId: "c1", chunk: "output\n" }));
      expect(s.writes.length).toBe(during);
    });
    r.render(finished());
    r.dispose();
  });

  it("prints nothing live off a terminal (a pipe or a file gets a clean log)", () => {
    const s = screen(false);
    const r = new Renderer(s.out, styleFor(process.stdout, { NO_COLOR: "1" }));
    r.render(ev({ type: "step_started", step: 1 }));
    r.render(ev({ type: "tool_started", callId: "c1", name: "shell", args: { command: "make" } }));
    r.render(ev({ type: "tool_output", callId: "c1", chunk: "noise\n" }));
    expect(s.text()).toBe("⏺ shell make\n");
  });

  it("cuts live lines to the width, keeping colours closed", () => {
    expect(clipToWidth("\x1b[2mabcdefgh\x1b[22m", 5)).toBe("\x1b[2mabcd…\x1b[0m");
    expect(clipToWidth("abc", 5)).toBe("abc");
  });
});
