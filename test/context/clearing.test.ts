import { describe, expect, it } from "vitest";
import { applyClearing, isCleared, oneLine, placeholderFor, planClearing } from "../../src/context/clearing.js";
import type { Message, ToolResultMessage } from "../../src/model/types.js";

const call = (id: string): Message => ({
  role: "assistant",
  content: [{ type: "tool_call", id, name: "read_file", args: { path: `${id}.txt` } }],
  model: "m",
  api: "scripted",
  stopReason: "tool_use",
  usage: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, reasoning: 0 },
});
const result = (id: string, text: string, isError = false): ToolResultMessage => ({
  role: "tool",
  callId: id,
  name: "read_file",
  content: [{ type: "text", text }],
  isError,
});
/** n calls, each with a result of `size` characters. */
function history(n: number, size: number): Message[] {
  const messages: Message[] = [{ role: "user", content: [{ type: "text", text: "task" }] }];
  for (let i = 0; i < n; i++) messages.push(call(`c${i}`), result(`c${i}`, `line one of ${i}\n${"x".repeat(size)}`));
  return messages;
}
const tokensOf = (m: Message) => Math.ceil(JSON.stringify(m.content).length / 4);

describe("planClearing", () => {
  it("clears nothing while tool results stay under the trigger", () => {
    expect(planClearing(history(5, 100), tokensOf, { triggerTokens: 10_000, targetTokens: 5_000, keepRecent: 2 })).toEqual([]);
  });

  it("clears oldest first down to the target and never the newest N", () => {
    const messages = history(10, 4_000); // ~1,000 tokens each
    const ids = planClearing(messages, tokensOf, { triggerTokens: 8_000, targetTokens: 3_000, keepRecent: 3 });
    expect(ids[0]).toBe("c0");
    expect(ids).not.toContain("c7");
    expect(ids).not.toContain("c9");
    // 10 results of ~1,000 tokens: 7 must go to reach 3,000, and the newest 3 stay.
    expect(ids).toEqual(["c0", "c1", "c2", "c3", "c4", "c5", "c6"]);
  });

  it("keeps the newest N even when they alone exceed the target", () => {
    const ids = planClearing(history(4, 40_000), tokensOf, { triggerTokens: 1_000, targetTokens: 500, keepRecent: 3 });
    expect(ids).toEqual(["c0"]);
  });

  it("does not count results that are already placeholders", () => {
    const messages = history(6, 4_000);
    applyClearing(messages, ["c0", "c1", "c2"]);
    expect(planClearing(messages, tokensOf, { triggerTokens: 3_500, targetTokens: 1_000, keepRecent: 3 })).toEqual([]);
  });
});

describe("placeholders", () => {
  it("keep the tool, size and a one-line gist, and replace the result in place", () => {
    const messages = history(2, 50_000);
    const before = messages[2];
    expect(applyClearing(messages, ["c0"])).toBe(1);
    const cleared = messages[2] as ToolResultMessage;
    expect(cleared).not.toBe(before);
    expect(isCleared(cleared)).toBe(true);
    expect(cleared.callId).toBe("c0");
    const text = (cleared.content[0] as { text: string }).text;
    expect(text).toContain("read_file returned");
    expect(text).toContain("line one of 0");
    expect(text.length).toBeLessThan(400);
    // the call itself (in the assistant message) is untouched
    expect(messages[1]).toEqual(call("c0"));
    expect(applyClearing(messages, ["c0"])).toBe(0);
  });

  it("say when the call failed", () => {
    const text = (placeholderFor(result("e", "ENOENT: no such file", true)).content[0] as { text: string }).text;
    expect(text).toMatch(/read_file failed .*ENOENT/);
  });

  it("oneLine takes the first non-empty line and clips it", () => {
    expect(oneLine("\n\n  hello world\nsecond", 100)).toBe("hello world");
    expect(oneLine("abcdef", 3)).toBe("abc…");
    expect(oneLine("   ", 3)).toBe("");
  });
});
