import { describe, expect, it } from "vitest";
import { estimateText, loadO200k, MessageTokens, promptTokens } from "../../src/context/tokens.js";

describe("token accounting", () => {
  it("estimates about four characters a token and caches per message", () => {
    expect(estimateText("x".repeat(400))).toBe(100);
    let calls = 0;
    const counter = new MessageTokens((t) => {
      calls++;
      return estimateText(t);
    });
    const m = { role: "user" as const, content: [{ type: "text" as const, text: "y".repeat(40) }] };
    expect(counter.of(m)).toBe(14);
    expect(counter.sum([m, m, m])).toBe(42);
    expect(calls).toBe(1);
  });

  it("counts OpenAI text with the o200k tokenizer", async () => {
    const count = await loadO200k();
    expect(count("hello world")).toBe(2);
    expect(count("The quick brown fox jumps over the lazy dog.")).toBe(10);
  }, 30_000); // loading the ranks takes seconds on a busy machine

  it("sums all prompt token kinds from usage", () => {
    expect(promptTokens({ input: 10, cacheRead: 1000, cacheWrite: 5 })).toBe(1015);
  });
});
