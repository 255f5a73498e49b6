// The scale-out benchmark: scripted sessions per minute through Redis (BullMQ) and PostgreSQL
// with 1, 2 and 4 `colleague worker` processes, and the same sessions run in one process on
// SQLite (the queue's and the store's overhead per session). Runs the BUILT CLI and library
// against the services of scripts/services.sh (COLLEAGUE_TEST_REDIS_URL, COLLEAGUE_TEST_POSTGRES_URL).
// Prints a table, then one JSON object as its last line.
//
//   npm run build && eval "$(scripts/services.sh up)" && node bench/queue.mjs [--sessions N] [--workers 1,2,4]
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";

const { values } = parseArgs({ options: { sessions: { type: "string" }, workers: { type: "string" } } });
const SESSIONS = Number(values.sessions ?? 12);
const WORKERS = (values.workers ?? "1,2,4").split(",").map(Number);
const redisUrl = process.env.COLLEAGUE_TEST_REDIS_URL;
const postgresUrl = process.env.COLLEAGUE_TEST_POSTGRES_URL;
if (!redisUrl || !postgresUrl) {
  // Under `npm run bench` without the services: a row that says so, not a failure of the bench.
  console.log('bench/queue.mjs needs Redis and PostgreSQL: eval "$(scripts/services.sh up)" first');
  console.log(JSON.stringify({ ok: true, rows: [{ metric: "all", note: "not measured: COLLEAGUE_TEST_REDIS_URL / COLLEAGUE_TEST_POSTGRES_URL not set (scripts/services.sh up)" }] }));
  process.exit(0);
}
const root = path.resolve(import.meta.dirname, "..");
const BIN = path.join(root, "bin/colleague.js");
const temp = mkdtempSync(path.join(os.tmpdir(), "colleague-bench-queue-"));
// Five tool steps and an answer: a small but real session (a shell call, the guard, the log).
const scenario = path.join(temp, "scenario.json");
writeFileSync(scenario, JSON.stringify({ steps: [...Array.from({ length: 5 }, (_, i) => ({ toolCalls: [{ name: "shell", args: { command: `echo ${i} >> out.txt` } }] })), { text: "done" }] }));
const env = { ...process.env, COLLEAGUE_HOME: path.join(temp, "home"), COLLEAGUE_PERMISSION_MODE: "full-auto", COLLEAGUE_QUEUE: redisUrl };

const run = (args, extraEnv = {}) =>
  new Promise((resolve, reject) => {
    // A variable set to undefined in extraEnv is left out (the in-process eval must not see COLLEAGUE_QUEUE).
    const merged = Object.fromEntries(Object.entries({ ...env, ...extraEnv }).filter(([, v]) => v !== undefined));
    const child = spawn(process.execPath, [BIN, ...args], { env: merged, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    child.on("close", (code) => (code === 0 ? resolve(out) : reject(new Error(`colleague ${args[0]} exited ${code}: ${out}`))));
  });

async function freshSchema() {
  const schema = `bench_q_${Date.now().toString(36)}`;
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  await client.query(`CREATE SCHEMA ${schema}`);
  await client.end();
  const url = new URL(postgresUrl);
  url.searchParams.set("options", `-c search_path=${schema}`);
  return { url: url.toString(), schema };
}

async function completed(schema) {
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  try {
    const r = await client.query(`SELECT COUNT(*)::int AS n FROM ${schema}.sessions WHERE status = 'completed'`).catch(() => ({ rows: [{ n: 0 }] }));
    return r.rows[0].n;
  } finally {
    await client.end();
  }
}

/** Worker processes, resolved once each is taking jobs: the figures are throughput, not start-up. */
async function startWorkers(count, queueName, storeUrl) {
  return Promise.all(
    Array.from({ length: count }, () => {
      const child = spawn(process.execPath, [BIN, "worker", "--queue-name", queueName, "--store", storeUrl], { env: { ...env, COLLEAGUE_SANDBOX: "off" }, stdio: ["ignore", "pipe", "ignore"] });
      return new Promise((resolve, reject) => {
        let out = "";
        child.stdout.on("data", (d) => {
          out += d;
          if (out.includes("colleague worker")) resolve(child);
        });
        child.on("exit", (code) => reject(new Error(`a worker exited ${code} before it started: ${out}`)));
      });
    }),
  );
}

const rows = [];
for (const workers of WORKERS) {
  const { url, schema } = await freshSchema();
  const queueName = `bench-${schema}`;
  // Queued first, so the figure is the workers' throughput, not the enqueueing's.
  await Promise.all(
    Array.from({ length: SESSIONS }, () => {
      const cwd = mkdtempSync(path.join(temp, "ws-"));
      return run(["run", "--queue-name", queueName, "--model", `scripted:${scenario}`, "--sandbox", "off", "--cwd", cwd, "bench task"]);
    }),
  );
  const children = await startWorkers(workers, queueName, url);
  const started = performance.now();
  while ((await completed(schema)) < SESSIONS) await new Promise((r) => setTimeout(r, 250));
  const seconds = (performance.now() - started) / 1000;
  for (const child of children) child.kill("SIGTERM");
  rows.push({ row: `${workers} worker${workers === 1 ? "" : "s"}`, workers, seconds, perMinute: (SESSIONS / seconds) * 60 });
}

// The same sessions in one process on SQLite, one after another: no queue, no PostgreSQL.
const lib = await import(path.join(root, "dist/index.js"));
const startedLocal = performance.now();
for (let i = 0; i < SESSIONS; i++) {
  const cwd = mkdtempSync(path.join(temp, "ws-"));
  const agent = await lib.createAgent({ model: `scripted:${scenario}`, store: path.join(temp, "local.db"), cwd, userDir: env.COLLEAGUE_HOME, permissionMode: "full-auto", sandbox: "off" });
  const result = await agent.run("bench task");
  agent.close();
  if (result.status !== "completed") throw new Error(`in-process session ended ${result.status}`);
}
const localSeconds = (performance.now() - startedLocal) / 1000;

// An evaluation of SESSIONS tasks (the same five shell steps, then a checker) through
// `eval run --queue` on 4 workers, against `eval run` in one process.
const suite = path.join(temp, "suite", "bench");
for (let i = 0; i < SESSIONS; i++) {
  const task = path.join(suite, `t${i}`);
  mkdirSync(task, { recursive: true });
  writeFileSync(path.join(task, "task.json"), JSON.stringify({ instruction: "append 0 to 4 to out.txt" }));
  writeFileSync(path.join(task, "check.mjs"), 'import { readFileSync } from "node:fs";\nexport default ({ workspace }) => ({ pass: readFileSync(workspace + "/out.txt", "utf8") === "0\\n1\\n2\\n3\\n4\\n", reasons: [] });\n');
  writeFileSync(path.join(task, "solution.json"), readFileSync(scenario, "utf8"));
}
const evalRun = async (args, extraEnv) => {
  const started = performance.now();
  const out = await run(["eval", "run", suite, "--json", ...args], { COLLEAGUE_SANDBOX: "off", COLLEAGUE_QUEUE: undefined, ...extraEnv });
  const summary = JSON.parse(out.trim().split("\n").at(-1));
  if (summary.models[0].passes !== SESSIONS) throw new Error(`eval run ${args.join(" ")}: ${summary.models[0].passes}/${SESSIONS} passed`);
  return (performance.now() - started) / 1000;
};
const evalLocal = await evalRun(["--db", path.join(temp, "evals.db")], {});
const evalSchema = await freshSchema();
const evalQueue = `bench-${evalSchema.schema}`;
const evalWorkers = await startWorkers(4, evalQueue, evalSchema.url);
const evalQueued = await evalRun(["--queue", redisUrl, "--queue-name", evalQueue], { COLLEAGUE_STORE: evalSchema.url });
for (const child of evalWorkers) child.kill("SIGTERM");

console.log(`| ${SESSIONS} scripted sessions (5 shell steps each) | seconds | sessions / minute | seconds per session |`);
console.log("|---|---|---|---|");
for (const r of rows) console.log(`| ${r.row} (Redis + PostgreSQL) | ${r.seconds.toFixed(1)} | ${r.perMinute.toFixed(1)} | ${(r.seconds / SESSIONS).toFixed(2)} |`);
console.log(`| in one process (SQLite, no queue) | ${localSeconds.toFixed(1)} | ${((SESSIONS / localSeconds) * 60).toFixed(1)} | ${(localSeconds / SESSIONS).toFixed(2)} |`);
console.log(`| eval of ${SESSIONS} tasks, \`eval run --queue\` on 4 workers | ${evalQueued.toFixed(1)} | ${((SESSIONS / evalQueued) * 60).toFixed(1)} | ${(evalQueued / SESSIONS).toFixed(2)} |`);
console.log(`| eval of ${SESSIONS} tasks, \`eval run\` in one process | ${evalLocal.toFixed(1)} | ${((SESSIONS / evalLocal) * 60).toFixed(1)} | ${(evalLocal / SESSIONS).toFixed(2)} |`);
// The last line in the shape bench/run.mjs folds into its report (bench/lib/external.mjs).
const perSession = (seconds) => (seconds / SESSIONS) * 1000;
const one = rows.find((r) => r.workers === 1);
const benchRows = [
  ...rows.map((r) => ({ metric: `sessions/min, ${r.row}`, median: r.perMinute, unit: "sessions/min", n: SESSIONS })),
  { metric: "sessions/min, in process (SQLite, no queue)", median: (SESSIONS / localSeconds) * 60, unit: "sessions/min", n: SESSIONS },
  ...(one ? [{ metric: "queue + store overhead per session (1 worker − in process)", median: perSession(one.seconds) - perSession(localSeconds), unit: "ms" }] : []),
  { metric: "eval runs/min, eval run --queue on 4 workers", median: (SESSIONS / evalQueued) * 60, unit: "runs/min", n: SESSIONS },
  { metric: "eval runs/min, eval run in process", median: (SESSIONS / evalLocal) * 60, unit: "runs/min", n: SESSIONS },
];
console.log(JSON.stringify({ ok: true, sessions: SESSIONS, rows: benchRows, workers: rows, inProcess: { seconds: localSeconds }, eval: { queuedSeconds: evalQueued, localSeconds: evalLocal } }));
process.exit(0);
