import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, it } from "vitest";
import { evalJobHandler, type EvalRunJob, evalSessionId, evalWorkspace } from "../../src/eval/eval-job.js";
import { SCRIPTED } from "../../src/eval/eval-run.js";
import { SqliteEvalStore } from "../../src/eval/eval-store.js";
import { Host } from "../../src/host/host.js";
import { SessionBusy } from "../../src/session/errors.js";
import { ofType } from "../helpers.js";
import { tinySuite } from "../scale/eval-helpers.js";

// A queue hands a job on when its lock lapses: a worker stalled past its lock time (a loaded
// machine, a long pause) loses the job while it still runs it, and a second worker takes it.
it("a job handed to a second worker while the first still runs it: the second backs off, the run is recorded once and passes", async () => {
  const home = mkdtempSync(path.join(os.tmpdir(), "colleague-eval-job-"));
  const host = new Host({ store: ":memory:", home, env: { ...process.env, COLLEAGUE_SANDBOX: "off" } });
  const evals = new SqliteEvalStore(":memory:");
  const suiteDir = tinySuite(1, 1);
  evals.createEval({ id: "e1", suite: "tiny", suiteDir, models: [SCRIPTED], k: 1, createdAt: new Date().toISOString() });
  const job: EvalRunJob = { evalId: "e1", taskId: "tiny/t01", model: SCRIPTED, attempt: 0, workspaceRoot: path.join(home, "ws"), keepWorkspaces: true };
  const first = evalJobHandler(host, evals);
  const second = evalJobHandler(host, evals);
  const signal = new AbortController().signal;

  const running = first(job, signal, { attempt: 1 });
  // The second worker's attempt is refused before it touches the workspace or the session.
  await expect(second(job, signal, { attempt: 2 })).rejects.toThrow(SessionBusy);
  await expect(second(job, signal, { attempt: 2 })).rejects.toThrow(/tiny\/t01 scripted#0 is being run by another worker/);
  const done = await running;
  expect(done).toMatchObject({ taskId: "tiny/t01", pass: true, alreadyRecorded: false });
  expect(readFileSync(path.join(evalWorkspace(job), "side.txt"), "utf8")).toBe("one\n");

  // The queue's retry finds the record and runs nothing.
  expect(await second(job, signal, { attempt: 3 })).toMatchObject({ pass: true, alreadyRecorded: true });
  const runs = evals.runs("e1");
  expect(runs).toHaveLength(1);
  expect(runs[0]).toMatchObject({ pass: true, sessionId: evalSessionId(job) });
  expect(ofType(host.store.events(evalSessionId(job)), "session_started")).toHaveLength(1);
  expect(ofType(host.store.events(evalSessionId(job)), "tool_finished")).toHaveLength(1);
  expect(existsSync(evalWorkspace(job))).toBe(true);
  host.close();
});
