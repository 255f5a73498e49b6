
import { expect, it } from "vitest";
import { PostgresEvalStore } from "../../src/eval/eval-store-postgres.js";
import { PostgresStore } from "../../src/store/postgres/postgres-store.js";
import { ofType } from "../helpers.js";
import { describeIfAvailable } from "../requires.js";
import { coordinatorExit, inToolCall, startQueuedEval, until } from "./eval-helpers.js";
import { servicesMissing } from "./services.js";

const TASKS = 6;
const LOCK_SECONDS = 2;

// A worker that stalls past its lock (a long pause, a starved machine, a suspended VM) loses its
// job to another worker while it still runs it; when it wakes, both hold the job.
describeIfAvailable("an evaluation whose worker stalls past its queue lock", servicesMissing, () => {
  it("hands the job on, the second worker backs off while the first still holds the run, and each run is recorded once and passes", async () => {
    const started = await startQueuedEval({ tasks: TASKS, workers: 2, lockSeconds: LOCK_SECONDS });
    const { storeUrl, workers } = started;
    const sessions = new PostgresStore(storeUrl);
    const evals = new PostgresEvalStore(storeUrl);
    try {
      const { victimPid, sessionId } = await until(() => inToolCall(sessions, workers), "a worker in the middle of a tool call", 60_000, 50);
      const sleeper = workers.find((w) => w.child.pid === victimPid)!;
      const other = workers.find((w) => w !== sleeper)!;
      sleeper.child.kill("SIGSTOP");
      // Past the lock and a stalled check: the other worker is handed the job and finds it held.
      await until(() => (other.output().includes("is being run by another worker") ? true : undefined), "the job handed to the other worker", 30_000);
      sleeper.child.kill("SIGCONT");

      expect(await coordinatorExit(started, evals, 90_000)).toBe(0);
      const runs = evals.runs(evals.listEvals()[0]!.id);
      expect(runs).toHaveLength(TASKS);
      expect(runs.filter((r) => !r.pass).map((r) => `${r.taskId}: ${r.reasons.join("; ")}`)).toEqual([]);
      // The stalled worker finished its own session; the other neither ran nor resumed it.
      const log = sessions.events(sessionId);
      expect(ofType(log, "session_started")).toHaveLength(1);
      expect(ofType(log, "session_resumed")).toHaveLength(0);
      expect(ofType(log, "tool_finished")).toHaveLength(1);
      expect(runs.find((r) => r.sessionId === sessionId)?.pass).toBe(true);
    } finally {
      sessions.close();
      evals.close();
    }
  }, 120_000);
});
