import type { ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, onTestFailed } from "vitest";
import type { PostgresStore } from "../../src/store/postgres/postgres-store.js";
import { startCli } from "../cli/cli-helpers.js";
import { ofType } from "../helpers.js";

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
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
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
