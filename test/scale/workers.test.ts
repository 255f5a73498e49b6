import type { ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, expect, it } from "vitest";
import type { AgentEvent } from "../../src/agent/events.js";
import { PostgresStore } from "../../src/store/postgres/postgres-store.js";
import { cleanEnv, runCli, scenarioFile, startCli } from "../cli/cli-helpers.js";
import { ofType, tempRepo } from "../helpers.js";
import { describeIfAvailable } from "../requires.js";
import { freshPostgresUrl, freshQueueName, redisUrl, servicesMissing } from "./services.js";

interface RunningWorker {
  child: ChildProcess;
  output: () => string;
}

const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
});

/** Polls until `check` gives a value (the test's own deadline bounds it). */
async function until<T>(check: () => T | undefined, what: string, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describeIfAvailable("queued sessions on workers (Redis + PostgreSQL)", servicesMissing, () => {
  const setup = () => {
    const store = freshPostgresUrl();
    const queue = freshQueueName();
    const env = cleanEnv({ COLLEAGUE_STORE: store, COLLEAGUE_QUEUE: redisUrl! });
    const startWorker = async (): Promise<RunningWorker> => {
      // --lock-seconds 2: a killed worker's job moves on within seconds, not the default 30.
      const child = startCli(["worker", "--queue-name", queue, "--lock-seconds", "2"], { env });
      children.push(child);
      let out = "";
      child.stdout!.on("data", (d: Buffer) => (out += d));
      child.stderr!.on("data", (d: Buffer) => (out += d));
      await until(() => (out.includes("colleague worker") ? true : undefined), "the worker to start", 30_000);
      return { child, output: () => out };
    };
    const queueRun = (task: string, model: string, cwd: string, extra: string[] = []) =>
      runCli(["run", "--queue-name", queue, "--model", `scripted:${model}`, "--cwd", cwd, "--sandbox", "off", ...extra, task], { env });
    return { store, queue, env, startWorker, queueRun };
  };

  it("runs queued sessions on two workers, all through the shared store", async () => {
    const { store: url, startWorker, queueRun } = setup();
    const workers = [await startWorker(), await startWorker()];
    const scenario = scenarioFile({ steps: [{ toolCalls: [{ name: "shell", args: { command: "echo ran >> side.txt && sleep 1" } }] }, { text: "finished" }] });
    const cwds = [tempRepo(), tempRepo(), tempRepo(), tempRepo()];
    const queued = await Promise.all(cwds.map((cwd) => queueRun("do it", scenario, cwd)));
    const ids = queued.map((r) => {
      expect(r.code).toBe(0);
      return /queued session (\S+)/.exec(r.stdout)![1]!;
    });
    const store = new PostgresStore(url);
    try {
      await until(() => (ids.every((id) => store.getSession(id)?.status === "completed") ? true : undefined), "four completed sessions");
      for (const cwd of cwds) expect(readFileSync(path.join(cwd, "side.txt"), "utf8")).toBe("ran\n");
      // Both workers took some: a session's row names the process that ran it.
      const pids = new Set(ids.map((id) => store.getSession(id)!.pid));
      expect(pids).toEqual(new Set(workers.map((w) => w.child.pid)));

      // --wait: the answer comes back through the queue.
      const waited = await queueRun("again", scenario, tempRepo(), ["--wait"]);
      expect(waited.stdout.trim()).toBe("finished");
      expect(waited.code).toBe(0);
    } finally {
      store.close();
    }
  }, 240_000);

  it("resumes a session on another worker after kill -9, without repeating a finished tool call", async () => {
    const { store: url, startWorker, queueRun } = setup();
    const workers = [await startWorker(), await startWorker()];
    const scenario = scenarioFile({
      steps: [
        { toolCalls: [{ name: "shell", args: { command: "echo one >> side.txt" } }] },
        { toolCalls: [{ name: "shell", args: { command: "echo two >> side.txt && sleep 5" } }] },
        { text: "finished" },
      ],
    });
    const cwd = tempRepo();
    const queued = await queueRun("do it", scenario, cwd);
    const id = /queued session (\S+)/.exec(queued.stdout)![1]!;
    const store = new PostgresStore(url);
    try {
      const events = () => store.events(id);
      // Killed while the second call runs: its start is logged, its end is not.
      const sideEffects = () => {
        try {
          return readFileSync(path.join(cwd, "side.txt"), "utf8");
        } catch {
          return "";
        }
      };
      await until(() => (ofType(events(), "tool_started").length === 2 && sideEffects().includes("two") ? true : undefined), "the second tool call to run");
      const victimPid = store.getSession(id)!.pid;
      const victim = workers.find((w) => w.child.pid === victimPid)!;
      const survivor = workers.find((w) => w !== victim)!;
      victim.child.kill("SIGKILL");

      const row = await until(() => {
        const r = store.getSession(id);
        return r?.status === "completed" ? r : undefined;
      }, "the other worker to finish the session");
      expect(row.pid).toBe(survivor.child.pid);
      const log: AgentEvent[] = events();
      const finished = ofType(log, "tool_finished").map((e) => e.callId);
      expect(new Set(finished).size).toBe(finished.length);
      // The first call ran once; the second, cut off, is reported to the model instead of run again.
      expect(ofType(log, "tool_started")).toHaveLength(2);
      expect(ofType(log, "session_resumed")[0]!.interruptedCalls).toEqual([ofType(log, "tool_started")[1]!.callId]);
      expect(readFileSync(path.join(cwd, "side.txt"), "utf8")).toBe("one\ntwo\n");
      expect(ofType(log, "session_finished").at(-1)).toMatchObject({ status: "completed", answer: "finished" });
      // The worker prints its line after the store has the session's end, through a pipe: it may come a moment later.
      const line = `session ${id} completed (resumed)`;
      await until(() => (survivor.output().includes(line) ? true : undefined), "the survivor's line for the session", 10_000);
    } finally {
      store.close();
    }
  }, 240_000);
});
