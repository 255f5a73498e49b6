import { describe, expect, it } from "vitest";
import { judgePair, parseVerdict } from "../../src/eval/compare.js";
import type { RunRecord } from "../../src/eval/eval-store.js";
import { fitBradleyTerry, type Outcome, rate } from "../../src/eval/ratings.js";
import { seededRandom } from "../../src/seeded-random.js";
import { createScriptedModel } from "../../src/model/scripted.js";
import type { Model, ModelEvent } from "../../src/model/types.js";

const TRUE_ELO: Record<string, number> = { weak: 1300, fair: 1450, good: 1550, best: 1700 };
const models = Object.keys(TRUE_ELO);
const centred = (() => {
  const mean = models.reduce((s, m) => s + TRUE_ELO[m]!, 0) / models.length;
  return Object.fromEntries(models.map((m) => [m, TRUE_ELO[m]! - mean + 1500]));
})();

function synthetic(gamesPerPair: number, seed: number): Outcome[] {
  const random = seededRandom(seed);
  const out: Outcome[] = [];
  for (let i = 0; i < models.length; i++)
    for (let j = i + 1; j < models.length; j++)
      for (let g = 0; g < gamesPerPair; g++) {
        const [a, b] = [models[i]!, models[j]!];
        const pa = 1 / (1 + 10 ** ((TRUE_ELO[b]! - TRUE_ELO[a]!) / 400));
        out.push({ a, b, winner: random() < pa ? "a" : "b" });
      }
  return out;
}

describe("Bradley–Terry / Elo", () => {
  it("recovers the order of known strengths from synthetic judgements", () => {
    const fit = fitBradleyTerry(models, synthetic(200, 1));
    const order = [...fit.entries()].sort((x, y) => y[1] - x[1]).map(([m]) => m);
    expect(order).toEqual(["best", "good", "fair", "weak"]);
    for (const m of models) expect(Math.abs(fit.get(m)! - centred[m]!)).toBeLessThan(40);
  });

  it("its 95% bootstrap intervals cover the true ratings at about the stated rate", () => {
    let covered = 0;
    let total = 0;
    for (let trial = 0; trial < 40; trial++) {
      for (const r of rate(models, synthetic(30, 100 + trial), { samples: 200, seed: trial })) {
        total++;
        if (r.low <= centred[r.model]! && centred[r.model]! <= r.high) covered++;
      }
    }
    // 160 intervals at a nominal 95%: well above 85% unless the intervals are wrong.
    expect(covered / total).toBeGreaterThan(0.85);
    expect(covered / total).toBeLessThanOrEqual(1);
  });

  it("a tie counts half to each; no outcomes leaves everyone at 1500", () => {
    const fit = fitBradleyTerry(["x", "y"], [{ a: "x", b: "y", winner: "tie" }]);
    expect(fit.get("x")).toBeCloseTo(1500);
    expect(fit.get("y")).toBeCloseTo(1500);
  });
});

const run = (model: string, patch: string): RunRecord => ({
  evalId: "e", taskId: "s/t", model, attempt: 0, pass: true, reasons: [], status: "completed", steps: 1, inputTokens: 0, outputTokens: 0, costUsd: 0, durationMs: 0, patch, answer: "done", finishedAt: "",
});

/** A judge that reads the deliverables: it prefers the one whose diff adds "correct". */
function contentJudge(): Model {
  const scripted = createScriptedModel({ steps: [{ text: "unused" }] });
  return {
    ...scripted,
    id: "test:content-judge",
    async *stream(request): AsyncIterable<ModelEvent> {
      const text = request.messages.map((m) => (m.role === "user" ? m.content.map((p) => (p.type === "text" ? p.text : "")).join("") : "")).join("");
      const a = /<deliverable id="A">([\s\S]*?)<\/deliverable>/.exec(text)![1]!;
      const verdict = a.includes("+correct") ? "WINNER: A" : "WINNER: B";
      yield { type: "text_delta", delta: verdict } as ModelEvent;
    },
  };
}

describe("blind pairwise judging", () => {
  it("parses the verdict line", () => {
    expect(parseVerdict("WINNER: b\nbecause")).toBe("B");
    expect(parseVerdict("no idea")).toBeUndefined();
  });

  it("a judge that always prefers the first position gives a tie once both orders are asked (scripted judge)", async () => {
    const judge = createScriptedModel({ steps: [{ text: "WINNER: A\nA looks better." }] });
    const verdict = await judgePair(judge, "fix it", run("m1", "+correct"), run("m2", "+wrong"));
    expect(verdict.winner).toBe("tie");
    expect(verdict.reason).toMatch(/disagree/);
  });

  it("a judge that reads the work picks the better deliverable in both orders", async () => {
    expect((await judgePair(contentJudge(), "fix it", run("m1", "+correct"), run("m2", "+wrong"))).winner).toBe("a");
    expect((await judgePair(contentJudge(), "fix it", run("m1", "+wrong"), run("m2", "+correct"))).winner).toBe("b");
  });
});
