import { expect, it } from "vitest";
import { type EvalStore, type RunRecord, SqliteEvalStore } from "../../src/eval/eval-store.js";
import { PostgresEvalStore } from "../../src/eval/eval-store-postgres.js";
import { describeIfAvailable } from "../requires.js";
import { freshPostgresUrl, postgresMissing } from "./services.js";

const run = (over: Partial<RunRecord> = {}): RunRecord => ({
  evalId: "e1", taskId: "s/a", model: "m", attempt: 0, pass: true, reasons: ["fine"], status: "completed", steps: 3, inputTokens: 5_000_000_000,
  outputTokens: 20, costUsd: 0.125, durationMs: 1234.6, sessionId: "ev1", patch: "+x\u0000y\n", answer: "done", finishedAt: "2026-12-02T05:00:00.000Z", ...over,
});

/** What both evaluation stores promise; the PostgreSQL one is where scaled-out workers record. */
function contract(open: () => EvalStore) {
  const store = open();
  try {
    store.createEval({ id: "e1", suite: "s", suiteDir: "/s", models: ["m", "n"], k: 2, createdAt: "2026-12-02T05:00:00.000Z" });
    store.createEval({ id: "e2", suite: "s", suiteDir: "/s", models: ["m"], k: 1, createdAt: "2026-12-02T06:00:00.000Z" });
    expect(store.listEvals().map((e) => e.id)).toEqual(["e2", "e1"]);
    expect(store.getEval("e1")).toEqual({ id: "e1", suite: "s", suiteDir: "/s", models: ["m", "n"], k: 2, createdAt: "2026-12-02T05:00:00.000Z" });

    // Recorded once: the second worker to finish the same run loses, and the first record stands.
    expect(store.recordRun(run())).toBe(true);
    expect(store.recordRun(run({ pass: false, reasons: ["late"] }))).toBe(false);
    const back = store.findRun("e1", "s/a", "m", 0)!;
    expect(back).toMatchObject({ pass: true, reasons: ["fine"], inputTokens: 5_000_000_000, durationMs: 1235, sessionId: "ev1", answer: "done" });
    expect(back.patch).toMatch(/^\+x.y\n$/);
    expect(store.findRun("e1", "s/a", "m", 1)).toBeUndefined();

    store.recordRun(run({ taskId: "s/b", pass: false, cause: "gave_up_early", evidence: ["#3 x"], patch: undefined, answer: undefined, sessionId: undefined }));
    expect(store.runs("e1").map((r) => r.taskId)).toEqual(["s/a", "s/b"]);
    store.setCause("e1", "s/b", "m", 0, "tool_misuse", ["#4 y"]);
    expect(store.findRun("e1", "s/b", "m", 0)).toMatchObject({ cause: "tool_misuse", evidence: ["#4 y"] });
    expect(store.findRun("e1", "s/b", "m", 0)).not.toHaveProperty("patch");

    store.recordJudgement({ evalId: "e1", taskId: "s/a", a: "m", b: "n", winner: "a", reason: "r1" });
    store.recordJudgement({ evalId: "e1", taskId: "s/a", a: "m", b: "n", winner: "tie", reason: "r2" });
    expect(store.judgements("e1")).toEqual([{ taskId: "s/a", a: "m", b: "n", winner: "tie", reason: "r2" }]);
  } finally {
    store.close();
  }
}

it("the SQLite evaluation store keeps the contract", () => contract(() => new SqliteEvalStore(":memory:")));

describeIfAvailable("the PostgreSQL evaluation store", postgresMissing, () => {
  it("keeps the same contract", () => contract(() => new PostgresEvalStore(freshPostgresUrl())));
});
