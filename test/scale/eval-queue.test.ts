import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";
import { PostgresEvalStore } from "../../src/eval/eval-store-postgres.js";
import { PostgresStore } from "../../src/store/postgres/postgres-store.js";
import { ofType } from "../helpers.js";
import { describeIfAvailable } from "../requires.js";
import { coordinatorExit, inToolCall, startQueuedEval, until } from "./eval-helpers.js";
import { servicesMissing } from "./services.js";

const TASKS = 40;

describeIfAvailable("an evaluation scaled out over Redis and PostgreSQL", servicesMissing, () => {
  it(`runs ${TASKS} tasks on 4 worker processes, one killed with SIGKILL mid-session: each completes once, and the report is written`, async () => {
    // --lock-seconds 5: a killed worker's job moves on within seconds, not the default 30. A
    // worker stalled past its lock on a loaded machine loses its job while it still runs it; the
    // job's lease then keeps the second worker off it (eval-stalled-worker.test.ts).
    const started = await startQueuedEval({ tasks: TASKS, workers: 4, lockSeconds: 5 });
    const { storeUrl, workspaces, out, workers, coordinator } = started;
    const sessions = new PostgresStore(storeUrl);
    const evals = new PostgresEvalStore(storeUrl);
    try {
      // The victim: a worker inside a tool call (its line written, the call not finished) once a few runs are in.
      const { victimPid, sessionId } = await until(() => (evals.runs(evals.listEvals()[0]?.id ?? "").length >= 4 ? inToolCall(sessions, workers) : undefined), "a worker in the middle of a tool call", 60_000, 50);
      const victim = workers.find((w) => w.child.pid === victimPid)!;
      victim.child.kill("SIGKILL");

      expect(await coordinatorExit(started, evals, 150_000)).toBe(0);
      const evaluation = evals.listEvals()[0]!;
      expect(coordinator.output()).toContain(`evaluation ${evaluation.id}`);
      const runs = evals.runs(evaluation.id);
      expect(runs).toHaveLength(TASKS);
      expect(new Set(runs.map((r) => r.taskId)).size).toBe(TASKS);
      // Every checker saw its line exactly once: no tool call ran twice, none was lost.
      expect(runs.filter((r) => !r.pass).map((r) => `${r.taskId}: ${r.reasons.join("; ")}`)).toEqual([]);
      expect(coordinator.output()).toContain(`scripted: ${TASKS}/${TASKS} passed`);

      // The killed worker's session was continued elsewhere from its log, its cut-off call not run again.
      const row = sessions.getSession(sessionId)!;
      expect(row.status).toBe("completed");
      expect(row.pid).not.toBe(victimPid);
      const log = sessions.events(sessionId);
      expect(ofType(log, "tool_started")).toHaveLength(1);
      expect(ofType(log, "session_resumed")[0]!.interruptedCalls).toEqual([ofType(log, "tool_started")[0]!.callId]);
      expect(runs.find((r) => r.sessionId === sessionId)?.pass).toBe(true);
      // No finished tool call twice in any session of the evaluation.
      for (const r of runs) {
        const finished = ofType(sessions.events(r.sessionId!), "tool_finished").map((e) => e.callId);
        expect(new Set(finished).size).toBe(finished.length);
      }

      const html = readFileSync(path.join(out, "report.html"), "utf8");
      expect(html).toContain("<svg");
      expect(readFileSync(path.join(out, "report.md"), "utf8")).toContain(evaluation.id);
      // Workspaces are removed once their run is recorded.
      expect(existsSync(path.join(workspaces, evaluation.id)) ? readdirSync(path.join(workspaces, evaluation.id)).length : 0).toBe(0);
    } finally {
      sessions.close();
      evals.close();
    }
  }, 240_000);
});
