import { describe, expect, it } from "vitest";
import { applyCompaction, buildHandoff, findCutPoint, renderHandoff, shouldCompact, turnsIn } from "../../src/context/compaction.js";
import type { AssistantMessage, Message } from "../../src/model/types.js";

const usage = { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, reasoning: 0 };
const user = (text: string): Message => ({ role: "user", content: [{ type: "text", text }] });
const assistant = (text: string, calls: { id: string; name: string; args: unknown }[] = []): AssistantMessage => ({
  role: "assistant",
  content: [...(text ? [{ type: "text" as const, text }] : []), ...calls.map((c) => ({ type: "tool_call" as const, ...c }))],
  model: "m",
  api: "scripted",
  stopReason: calls.length ? "tool_use" : "end",
  usage,
});
const tool = (callId: string, name: string, text: string, isError = false): Message => ({
  role: "tool",
  callId,
  name,
  content: [{ type: "text", text }],
  isError,
});
const tokensOf = (m: Message) => Math.ceil(JSON.stringify(m).length / 4);

function session(): Message[] {
  return [
    user("Fix the failing test in src/cart.js"),
    assistant("Let me look at the test first.", [{ id: "a", name: "read_file", args: { path: "test/cart.test.js" } }]),
    tool("a", "read_file", "test('total', ...)"),
    user("Use node:test, not jest."),
    assistant("I will edit the cart.", [{ id: "b", name: "edit_file", args: { path: "src/cart.js", old: "x", new: "y" } }]),
    tool("b", "edit_file", "Edited src/cart.js"),
    assistant("Now run the tests.", [{ id: "c", name: "shell", args: { command: "npm test" } }]),
    tool("c", "shell", "1 failing: expected 3 got 2", true),
    assistant("The rounding is off; next I will fix rounding in total().", [{ id: "d", name: "read_file", args: { path: "src/round.js" } }]),
    tool("d", "read_file", "export const round = ..."),
  ];
}

describe("shouldCompact", () => {
  it("fires at the configured share of the window", () => {
    expect(shouldCompact(84_999, 100_000, 0.85)).toBe(false);
    expect(shouldCompact(85_000, 100_000, 0.85)).toBe(true);
  });
});

describe("findCutPoint", () => {
  it("keeps a tail within the budget and never starts it on a tool result", () => {
    const messages = session();
    const cut = findCutPoint(messages, tokensOf, tokensOf(messages[9]!) + tokensOf(messages[8]!) + 5);
    expect(cut).toBe(8);
    expect(messages[cut]!.role).not.toBe("tool");
  });

  it("moves forward past tool results", () => {
    const messages = session();
    const cut = findCutPoint(messages, tokensOf, tokensOf(messages[9]!) + 1); // only the last result fits
    expect(messages[cut]?.role ?? "end").not.toBe("tool");
    expect(cut).toBeGreaterThan(1);
  });

  it("keeps at least the newest turn when the budget holds nothing", () => {
    const messages = session();
    expect(findCutPoint(messages, tokensOf, 0)).toBe(8);
  });

  it("returns 0 when only the task would go", () => {
    const messages = [user("task"), assistant("done")];
    expect(findCutPoint(messages, tokensOf, 0)).toBe(0);
  });
});

describe("the handoff", () => {
  it("holds the task, every user message verbatim, files, work, problems and next steps", () => {
    const messages = session();
    const s = buildHandoff(undefined, messages.slice(0, 8));
    expect(s.userMessages).toEqual(["Fix the failing test in src/cart.js", "Use node:test, not jest."]);
    expect(s.filesChanged).toEqual(["src/cart.js"]);
    expect(s.filesRead).toEqual(["test/cart.test.js"]);
    expect(s.work).toHaveLength(3);
    expect(s.work[2]).toContain("shell");
    expect(s.problems[0]).toContain("expected 3 got 2");
    expect(s.next[0]).toBe("Now run the tests.");
    expect(s.turns).toBe(3);
    const text = (renderHandoff(s).content[0] as { text: string }).text;
    for (const heading of ["## Task", "## Constraints and instructions", "## Decisions", "## Files touched", "## Work done", "## Open problems", "## Next steps"]) {
      expect(text).toContain(heading);
    }
    expect(text).toContain("Fix the failing test in src/cart.js");
    expect(text).toContain("Use node:test, not jest.");
    expect(text).toContain("AGENTS.md");
    expect(renderHandoff(s).handoff).toEqual({ turns: 3 });
  });

  it("carries the previous handoff into the next one and stays bounded", () => {
    let s = buildHandoff(undefined, session().slice(0, 8));
    const messages: Message[] = [renderHandoff(s)];
    for (let i = 0; i < 200; i++) {
      messages.push(assistant(`step ${i}`, [{ id: `x${i}`, name: "read_file", args: { path: `f${i}.ts` } }]), tool(`x${i}`, "read_file", "ok"));
    }
    messages.push(user("Stop touching f*.ts files."));
    s = buildHandoff(s, messages);
    expect(s.userMessages).toEqual(["Fix the failing test in src/cart.js", "Use node:test, not jest.", "Stop touching f*.ts files."]);
    expect(s.turns).toBe(203);
    expect(s.work.length).toBeLessThanOrEqual(40);
    expect(s.work[0]).toMatch(/^… \d+ earlier tool calls/);
    expect(s.filesRead.length).toBeLessThanOrEqual(60);
    expect(s.filesChanged).toEqual(["src/cart.js"]);
    expect(JSON.stringify(s).length).toBeLessThan(20_000);
  });

  it("applyCompaction replaces the head in place and turnsIn still counts every turn", () => {
    const messages = session();
    const cut = 8;
    const head = renderHandoff(buildHandoff(undefined, messages.slice(0, cut)));
    const same = messages;
    applyCompaction(messages, cut, [head]);
    expect(messages).toBe(same);
    expect(messages).toHaveLength(3);
    expect(turnsIn(messages)).toBe(4);
  });
});
