import { describe, expect, it } from "vitest";
import { firstStop, stepLimit, tokenBudget, usdBudget } from "../../src/agent/stop.js";
import { costUsd, findModel } from "../../src/model/catalog.js";
import { emptyUsage } from "../../src/model/types.js";

describe("stop conditions and cost", () => {
  it("stop at the first condition that holds", () => {
    const usage = { ...emptyUsage(), input: 900, output: 200 };
    const conditions = [stepLimit(5), usdBudget(0.5), tokenBudget(1000)];
    expect(firstStop(conditions, { step: 2, usage, costUsd: 0.1 })).toMatchObject({ status: "budget", reason: "used 1100 of the 1000-token budget" });
    expect(firstStop(conditions, { step: 2, usage: emptyUsage(), costUsd: 0.6 })?.reason).toMatch(/\$0\.6000 of the \$0\.5 budget/);
    expect(firstStop(conditions, { step: 5, usage: emptyUsage(), costUsd: 0 })?.status).toBe("max_steps");
    expect(firstStop(conditions, { step: 4, usage: emptyUsage(), costUsd: 0 })).toBeUndefined();
  });

  it("prices usage from the catalog, with long-context rates past 200K input", () => {
    const opus = findModel("anthropic", "claude-opus-4-6")!;
    const small = costUsd(opus, { input: 1_000_000, output: 1_000_000, cacheRead: 1_000_000, cacheWrite: 1_000_000, reasoning: 0 });
    // Above the threshold already (4M prompt tokens): 2x input, 1.5x output.
    expect(small).toBeCloseTo(10 + 37.5 + 1 + 12.5, 6);
    const normal = costUsd(opus, { input: 100_000, output: 10_000, cacheRead: 50_000, cacheWrite: 0, reasoning: 0 });
    expect(normal).toBeCloseTo(0.5 + 0.25 + 0.025, 6);
    const mini = findModel("openai", "gpt-5-mini")!;
    expect(costUsd(mini, { input: 1_000_000, output: 0, cacheRead: 1_000_000, cacheWrite: 0, reasoning: 0 })).toBeCloseTo(0.275, 6);
  });
});
