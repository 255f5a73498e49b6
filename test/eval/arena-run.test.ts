import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { SqliteEvalStore, type RunRecord } from "../../src/eval/eval-store.js";
import { meanPassAtK, passAtK, wilsonInterval } from "../../src/eval/pass-at-k.js";
import { runEval } from "../../src/eval/runner.js";
import { summarize } from "../../src/eval/summary.js";
import { Host } from "../../src/host/host.js";
import { tempRepo } from "../helpers.js";

const suite = path.join(import.meta.dirname, "fixtures", "arena");
const host = new Host({ store: ":memory:", home: tempRepo() });
afterAll(() => host.close());

describe("pass@k", () => {
  it("is the unbiased estimator: exact small cases", () => {
    expect(passAtK(5, 0, 1)).toBe(0);
    expect(passAtK(5, 5, 3)).toBe(1);
    expect(passAtK(4, 1, 1)).toBeCloseTo(0.25);
    // 1 − C(3,2)/C(4,2) = 1 − 3/6
    expect(passAtK(4, 1, 2)).toBeCloseTo(0.5);
    expect(passAtK(10, 3, 10)).toBe(1);
    expect(() => passAtK(2, 1, 3)).toThrow(RangeError);
    expect(meanPassAtK([{ n: 2, c: 2 }, { n: 2, c: 0 }], 1)).toBeCloseTo(0.5);
  });

  it("Wilson intervals contain the rate and stay inside [0, 1]", () => {
    const w = wilsonInterval(0, 10);
    expect(w.low).toBe(0);
    expect(w.high).toBeGreaterThan(0.2);
    const m = wilsonInterval(7, 10);
    expect(m.low).toBeLessThan(0.7);
    expect(m.high).toBeGreaterThan(0.7);
  });
});

describe("eval run", () => {
  it("records every run with its outcome, steps, tokens and time, and diagnoses the failure", async () => {
    const store = new SqliteEvalStore(":memory:");
    const outcome = await runEval({ host, store, suiteDir: suite, models: ["scripted"], k: 2, concurrency: 2 });
    expect(outcome.ran).toBe(6);
    const runs = store.runs(outcome.evalId);
    expect(runs.map((r) => `${r.taskId}#${r.attempt}:${r.pass}`)).toEqual([
      "arena/ok#0:true",
      "arena/ok#1:true",
      "arena/slow#0:true",
      "arena/slow#1:true",
      "arena/wrong#0:false",
      "arena/wrong#1:false",
    ]);
    const ok = runs[0]!;
    expect(ok).toMatchObject({ status: "completed", steps: 2, model: "scripted" });
    expect(ok.sessionId).toBeTruthy();
    expect(ok.outputTokens).toBeGreaterThan(0);
    expect(ok.patch).toContain("+++ b/a.txt");
    expect(ok.patch).not.toContain("readme.txt");
    const wrong = runs[4]!;
    expect(wrong.reasons).toEqual(["a.txt does not say ok"]);
    expect(wrong.cause).toBe("claimed_success_without_evidence");
    expect(wrong.evidence?.[0]).toContain("Done: a.txt is fixed");
    const summary = summarize(runs);
    expect(summary.models[0]).toMatchObject({ runs: 6, passes: 4 });
    expect(summary.models[0]!.passAtK.map((p) => p.k)).toEqual([1, 2]);
    expect(summary.models[0]!.passAtK[0]!.value).toBeCloseTo(2 / 3);
    expect(summary.causes).toEqual([{ cause: "claimed_success_without_evidence", count: 2 }]);
    store.close();
  });

  it("resumes an interrupted evaluation without repeating finished runs", async () => {
    const store = new SqliteEvalStore(":memory:");
    const controller = new AbortController();
    const first: RunRecord[] = [];
    const stopped = await runEval({
      host,
      store,
      suiteDir: suite,
      models: ["scripted"],
      k: 2,
      signal: controller.signal,
      onRun: (r) => {
        first.push(r);
        if (first.length === 3) controller.abort();
      },
    });
    expect(stopped.interrupted).toBe(true);
    expect(first).toHaveLength(3);
    expect(store.runs(stopped.evalId)).toHaveLength(3);
    const second: RunRecord[] = [];
    const resumed = await runEval({ host, store, suiteDir: suite, models: ["scripted"], evalId: stopped.evalId, onRun: (r) => second.push(r) });
    expect(resumed).toMatchObject({ ran: 3, skipped: 3, interrupted: false });
    const key = (r: RunRecord) => `${r.taskId}#${r.attempt}`;
    expect(second.map(key).filter((k) => first.map(key).includes(k))).toEqual([]);
    const all = store.runs(stopped.evalId);
    expect(all).toHaveLength(6);
    // The finished runs kept their first sessions: nothing was run again.
    for (const r of first) expect(all.find((a) => key(a) === key(r))!.sessionId).toBe(r.sessionId);
    store.close();
  });

  it("a task that needs what the machine lacks fails as an environment problem, saying what", async () => {
    const store = new SqliteEvalStore(":memory:");
    const lacking = new Host({ store: ":memory:", home: tempRepo(), env: { ...process.env, PATH: "/nonexistent" } });
    const outcome = await runEval({ host: lacking, store, suiteDir: path.join(import.meta.dirname, "fixtures", "needs"), models: ["scripted"] });
    lacking.close();
    expect(outcome.runs[0]).toMatchObject({ pass: false, status: "unavailable", cause: "environment" });
    expect(outcome.runs[0]!.reasons[0]).toContain("git (not on PATH)");
    store.close();
  });
});
