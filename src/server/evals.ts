import type { Hono } from "hono";
import { ratingsFor } from "../eval/compare.js";
import type { EvalStore } from "../eval/eval-store.js";
import { reportPlots } from "../eval/report.js";
import { summarize } from "../eval/summary.js";
import { ProtocolError } from "./errors.js";

/**
 * The evaluations for the dashboard's report page, read from the evaluation store (the shared
 * PostgreSQL one when the sessions are there, so an evaluation that workers run shows up as it
 * lands): the list, and one evaluation's summary (pass rate with its interval per model, cost,
 * failure causes, ratings) with its runs.
 */
export function mountEvals(app: Hono, store: () => Promise<EvalStore>): void {
  app.get("/evals", async (c) => {
    const evals = await store();
    return c.json({
      evals: evals.listEvals().map((e) => {
        const runs = evals.runs(e.id);
        return { ...e, runs: runs.length, passes: runs.filter((r) => r.pass).length };
      }),
    });
  });
  app.get("/evals/:id", async (c) => {
    const evals = await store();
    const evaluation = evals.getEval(c.req.param("id"));
    if (!evaluation) throw new ProtocolError(404, "not_found", `no evaluation ${c.req.param("id")}`);
    const runs = evals.runs(evaluation.id);
    const summary = summarize(runs, evaluation.models);
    return c.json({
      evaluation,
      summary,
      // The report's own plots (escaped SVG), so the page and `eval report` show the same.
      plots: reportPlots(summary),
      ratings: ratingsFor(evals, evaluation),
      // What the page lists per run; patches and answers stay in the store (colleague eval export).
      runs: runs.map(({ taskId, model, attempt, pass, status, steps, costUsd, durationMs, cause, reasons, sessionId }) => ({
        taskId,
        model,
        attempt,
        pass,
        status,
        steps,
        costUsd,
        durationMs,
        ...(cause ? { cause } : {}),
        reason: reasons[0] ?? "",
        ...(sessionId ? { sessionId } : {}),
      })),
    });
  });
}
