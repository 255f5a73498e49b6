import type { ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, onTestFailed } from "vitest";
import type { PostgresEvalStore } from "../../src/eval/eval-store-postgres.js";
import { connectRedis } from "../../src/queue/redis.js";
import type { PostgresStore } from "../../src/store/postgres/postgres-store.js";
import { cleanEnv, startCli } from "../cli/cli-helpers.js";
import { ofType } from "../helpers.js";
import { freshPostgresUrl, freshQueueName, redisUrl } from "./services.js";

const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
});

export interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

export function start(args: string[], env: NodeJS.ProcessEnv): Started {
  const child = startCli(args, { env });
  children.push(child);
  let out = "";
  child.stdout!.on("data", (d: Buffer) => (out += d));
  child.stderr!.on("data", (d: Buffer) => (out += d));
  // "close", not "exit": by then everything the process printed has been read.
  const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  return { child, output: () => out, exited };
}

/** When the running test fails, what each of these processes printed goes into the test's output (a CI log then tells what happened). */
export function printOnFailure(processes: Started[]): void {
  onTestFailed(() => {
    for (const p of processes) console.log(`--- pid ${p.child.pid}: colleague ${p.child.spawnargs.slice(2).join(" ")}\n${p.output()}`);
  });
}

export async function until<T>(check: () => T | undefined, what: string, timeoutMs = 60_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/**
 * A suite of tiny tasks: one shell call that appends a line and then sleeps (the
 * window in which a worker is killed), then an answer. The checker passes only when the line is
 * there exactly once, so a tool call run twice fails its task.
 */
export function tinySuite(count: number, sleepSeconds: number): string {
  const dir = path.join(mkdtempSync(path.join(os.tmpdir(), "colleague-eval-suite-")), "tiny");
  for (let i = 1; i <= count; i++) {
    const task = path.join(dir, `t${String(i).padStart(2, "0")}`);
    mkdirSync(task, { recursive: true });
    writeFileSync(path.join(task, "task.json"), JSON.stringify({ instruction: `append "one" to side.txt (task ${i})`, timeoutSec: 120 }));
    writeFileSync(
      path.join(task, "check.mjs"),
      `import { readFileSync } from "node:fs";
export default ({ workspace }) => {
  let text = "";
  try { text = readFileSync(workspace + "/side.txt", "utf8"); } catch {}
  return text === "one\\n" ? { pass: true, reasons: [] } : { pass: false, reasons: ["side.txt is " + JSON.stringify(text)] };
};
`,
    );
    writeFileSync(
      path.join(task, "solution.json"),
      JSON.stringify({ steps: [{ toolCalls: [{ name: "shell", args: { command: `echo one >> side.txt && sleep ${sleepSeconds}` } }] }, { text: `done ${i}` }] }),
    );
  }
  return dir;
}


/**
 * A worker inside a tiny task's tool call (its line written, the call not finished), with the
 * session it runs: the moment to kill or pause it.
 */
export function inToolCall(sessions: PostgresStore, workers: Started[]): { victimPid: number; sessionId: string } | undefined {
  const workerPids = new Set(workers.map((w) => w.child.pid));
  for (const row of sessions.listSessions(100)) {
    if (row.status !== "running" || !row.pid || !workerPids.has(row.pid)) continue;
    const log = sessions.events(row.id);
    if (ofType(log, "tool_started").length !== 1 || ofType(log, "tool_finished").length !== 0) continue;
    const side = path.join(row.cwd, "side.txt");
    if (existsSync(side) && readFileSync(side, "utf8") === "one\n") return { victimPid: row.pid, sessionId: row.id };
  }
  return undefined;
}

export interface QueuedEval {
  storeUrl: string;
  /** The BullMQ queue the runs go through (a name of this test's own). */
  queue: string;
  /** Where the workers put the runs' workspaces. */
  workspaces: string;
  /** Where the coordinator writes its report. */
  out: string;
  workers: Started[];
  coordinator: Started;
}

/**
 * A queued evaluation of a tiny suite on a fresh store and queue, sandbox off: the workers
 * (started and ready first), then the coordinator. What they print goes into the test's output
 * if it fails.
 */
export async function startQueuedEval(options: { tasks: number; workers: number; lockSeconds: number }): Promise<QueuedEval> {
  const storeUrl = freshPostgresUrl();
  const queue = freshQueueName();
  const env = cleanEnv({ COLLEAGUE_STORE: storeUrl, COLLEAGUE_SANDBOX: "off" });
  const suite = tinySuite(options.tasks, 1);
  const workspaces = mkdtempSync(path.join(os.tmpdir(), "colleague-eval-ws-"));
  const out = path.join(mkdtempSync(path.join(os.tmpdir(), "colleague-eval-out-")), "report");
  const workers = Array.from({ length: options.workers }, () =>
    start(["worker", "--queue", redisUrl!, "--queue-name", queue, "--lock-seconds", String(options.lockSeconds)], env),
  );
  await until(() => (workers.every((w) => w.output().includes("colleague worker")) ? true : undefined), "the workers to start", 30_000);
  const coordinator = start(["eval", "run", suite, "--queue", redisUrl!, "--queue-name", queue, "--workspaces", workspaces, "--out", out], env);
  printOnFailure([...workers, coordinator]);
  return { storeUrl, queue, workspaces, out, workers, coordinator };
}

/** What of the evaluation store a hung evaluation is explained from. */
type EvalRuns = Pick<PostgresEvalStore, "runs" | "listEvals">;

/**
 * The coordinator's exit code, or, past the deadline, a failure that says where the evaluation
 * stands: which runs are missing and what the queue holds for each, and the last lines every
 * process printed. A CI log keeps its failure summary, so the cause of a hang shows there.
 */
export async function coordinatorExit(started: QueuedEval, evals: EvalRuns, timeoutMs: number): Promise<number | null> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<"late">((resolve) => (timer = setTimeout(() => resolve("late"), timeoutMs)));
  const code = await Promise.race([started.coordinator.exited, late]);
  clearTimeout(timer);
  if (code !== "late") return code;
  throw new Error(`the coordinator did not exit within ${timeoutMs / 1000} s\n${await whereItStands(started, evals)}`);
}

async function whereItStands(started: QueuedEval, evals: EvalRuns): Promise<string> {
  const lines: string[] = [];
  const evalId = evals.listEvals()[0]?.id;
  const recorded = new Set(evalId ? evals.runs(evalId).map((r) => r.taskId) : []);
  lines.push(`evaluation ${evalId ?? "(none)"}: ${recorded.size} runs recorded`);
  const { Queue } = await import("bullmq");
  const connection = await connectRedis(redisUrl!);
  const queue = new Queue(started.queue, { connection });
  try {
    lines.push(`queue: ${JSON.stringify(await queue.getJobCounts())}`);
    // Waiting jobs are only counted: what holds an evaluation up is active, delayed or failed.
    const jobs = await queue.getJobs(["active", "delayed", "failed"]);
    for (const job of jobs) {
      const data = job.data as { taskId?: string };
      if (data.taskId && recorded.has(data.taskId)) continue;
      lines.push(`  ${data.taskId ?? job.name}: ${await job.getState()}, attempts ${job.attemptsMade}, stalled ${job.stalledCounter}, delay ${job.delay} ms${job.failedReason ? `, last error: ${job.failedReason}` : ""}`);
    }
  } catch (error) {
    lines.push(`queue: not readable (${(error as Error).message})`);
  } finally {
    await queue.close();
    connection.disconnect();
  }
  for (const p of [...started.workers, started.coordinator]) {
    const state = p.child.exitCode !== null || p.child.signalCode !== null ? `exited ${p.child.exitCode ?? p.child.signalCode}` : "running";
    const tail = p.output().trimEnd().split("\n").slice(-12).join("\n    ");
    lines.push(`--- pid ${p.child.pid} (${p.child.spawnargs.slice(2, 4).join(" ")}, ${state}):\n    ${tail}`);
  }
  return lines.join("\n");
}
