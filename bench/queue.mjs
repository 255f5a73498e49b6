// The scale-out benchmark: scripted sessions per minute through Redis (BullMQ) and PostgreSQL
// with 1, 2 and 4 `colleague worker` processes, and the same sessions run in one process on
// SQLite (the queue's and the store's overhead per session). Runs the BUILT CLI and library
// against the services of scripts/services.sh (COLLEAGUE_TEST_REDIS_URL, COLLEAGUE_TEST_POSTGRES_URL).
// Prints a table, then one JSON object as its last line.
//
//   npm run build && eval "$(scripts/services.sh up)" && node bench/queue.mjs [--sessions N] [--workers 1,2,4]
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
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
  console.error('bench/queue.mjs needs Redis and PostgreSQL: eval "$(scripts/services.sh up)" first');
  process.exit(1);
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
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...env, ...extraEnv }, stdio: ["ignore", "pipe", "pipe"] });
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
  const started = performance.now();
  const children = Array.from({ length: workers }, () =>
    spawn(process.execPath, [BIN, "worker", "--queue-name", queueName, "--store", url], { env, stdio: "ignore" }),
  );
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

console.log(`| ${SESSIONS} scripted sessions (5 shell steps each) | seconds | sessions / minute | seconds per session |`);
console.log("|---|---|---|---|");
for (const r of rows) console.log(`| ${r.row} (Redis + PostgreSQL) | ${r.seconds.toFixed(1)} | ${r.perMinute.toFixed(1)} | ${(r.seconds / SESSIONS).toFixed(2)} |`);
console.log(`| in one process (SQLite, no queue) | ${localSeconds.toFixed(1)} | ${((SESSIONS / localSeconds) * 60).toFixed(1)} | ${(localSeconds / SESSIONS).toFixed(2)} |`);
console.log(JSON.stringify({ sessions: SESSIONS, rows, inProcess: { seconds: localSeconds } }));
process.exit(0);
