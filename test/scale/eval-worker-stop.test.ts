import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";
import { PostgresEvalStore } from "../../src/eval/eval-store-postgres.js";
import { PostgresStore } from "../../src/store/postgres/postgres-store.js";
import { cleanEnv } from "../cli/cli-helpers.js";
import { ofType } from "../helpers.js";
import { describeIfAvailable } from "../requires.js";
import { start, tinySuite, until } from "./eval-helpers.js";
import { freshPostgresUrl, freshQueueName, redisUrl, servicesMissing } from "./services.js";

describeIfAvailable("stopping a worker and the coordinator of a queued evaluation", servicesMissing, () => {
  it("a worker on SIGTERM hands its run back and exits 0; a coordinator stopped and started again finishes the evaluation", async () => {
    const storeUrl = freshPostgresUrl();
    const queue = freshQueueName();
    const env = cleanEnv({ COLLEAGUE_STORE: storeUrl, COLLEAGUE_SANDBOX: "off" });
    const suite = tinySuite(2, 4);
    const worker = ["worker", "--queue", redisUrl!, "--queue-name", queue, "--lock-seconds", "2"];
    const first = start(worker, env);
    await until(() => (first.output().includes("colleague worker") ? true : undefined), "the worker to start", 30_000);
    const coordinator = start(["eval", "run", suite, "--queue", redisUrl!, "--queue-name", queue], env);

    const sessions = new PostgresStore(storeUrl);
    const evals = new PostgresEvalStore(storeUrl);
    try {
      const row = await until(() => sessions.listSessions(10).find((r) => r.status === "running" && ofType(sessions.events(r.id), "tool_started").length === 1), "a run in its tool call");
      const side = path.join(row.cwd, "side.txt");
      await until(() => (existsSync(side) && readFileSync(side, "utf8") === "one\n" ? true : undefined), "the call's line");
      first.child.kill("SIGTERM");
      expect(await first.exited).toBe(0);
      expect(first.output()).toContain("the job goes back on the queue");
      // It took nothing more after the signal, and recorded nothing it did not finish.
      const evaluation = evals.listEvals()[0]!;
      expect(evals.runs(evaluation.id)).toEqual([]);
      expect(sessions.getSession(row.id)!.status).not.toBe("completed");

      // The coordinator, interrupted, leaves the runs queued and says how to continue.
      coordinator.child.kill("SIGINT");
      expect(await coordinator.exited).toBe(130);
      expect(coordinator.output()).toContain(`colleague eval run --id ${evaluation.id}`);

      const second = start(worker, env);
      const again = start(["eval", "run", "--id", evaluation.id, "--queue", redisUrl!, "--queue-name", queue], env);
      expect(await again.exited).toBe(0);
      expect(again.output()).toContain("scripted: 2/2 passed");
      const runs = evals.runs(evaluation.id);
      expect(runs.map((r) => r.pass)).toEqual([true, true]);
      // The handed-back run continued its session on the second worker; its call did not run again.
      expect(runs.map((r) => r.sessionId)).toContain(row.id);
      const log = sessions.events(row.id);
      expect(ofType(log, "tool_started")).toHaveLength(1);
      expect(ofType(log, "session_resumed")).toHaveLength(1);
      expect(sessions.getSession(row.id)!.pid).toBe(second.child.pid);
      second.child.kill("SIGTERM");
      expect(await second.exited).toBe(0);
    } finally {
      sessions.close();
      evals.close();
    }
  }, 180_000);
});
