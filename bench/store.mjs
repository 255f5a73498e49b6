// The session store benchmark: what an event costs to commit, SQLite (the embedded default)
// against PostgreSQL (the scaled-out store, through its synchronous connection thread), and a
// scripted session of ~500 events run start to end on each. Runs against the BUILT library.
// PostgreSQL is measured when COLLEAGUE_BENCH_POSTGRES_URL or COLLEAGUE_TEST_POSTGRES_URL is set
// (eval "$(scripts/services.sh up)"). Prints a table, then one JSON object as its last line.
//
//   npm run build && node bench/store.mjs [--events N]
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";

const { values } = parseArgs({ options: { events: { type: "string" } } });
const EVENTS = Number(values.events ?? 500);
const root = path.resolve(import.meta.dirname, "..");
const lib = await import(path.join(root, "dist/index.js"));
const { createAgent, createScriptedModel, SqliteStore, PostgresStore } = lib;
const postgresUrl = process.env.COLLEAGUE_BENCH_POSTGRES_URL ?? process.env.COLLEAGUE_TEST_POSTGRES_URL;

const temp = mkdtempSync(path.join(os.tmpdir(), "colleague-bench-store-"));
const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

/** A fresh, empty PostgreSQL schema per measurement, so runs never see each other's rows. */
async function postgresStore() {
  const schema = `bench_${Date.now().toString(36)}_${Math.floor(Math.random() * 1e6)}`;
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  await client.query(`CREATE SCHEMA ${schema}`);
  await client.end();
  const url = new URL(postgresUrl);
  // Options the URL already carries (e.g. -c synchronous_commit=on) are kept.
  url.searchParams.set("options", [url.searchParams.get("options"), `-c search_path=${schema}`].filter(Boolean).join(" "));
  return new PostgresStore(url.toString());
}

const stores = [["sqlite", () => new SqliteStore(path.join(temp, `s-${Math.random()}.db`))]];
if (postgresUrl) stores.push(["postgres", postgresStore]);

/** Events shaped like a session's: a tool call's start and end, an assistant message, ~1 KB each. */
function event(sessionId, seq) {
  const base = { seq, sessionId, agentId: "main", time: new Date().toISOString() };
  const text = `line ${seq} `.repeat(80);
  switch (seq % 4) {
    case 0:
      return { ...base, type: "assistant_message", message: { role: "assistant", content: [{ type: "text", text }] } };
    case 1:
      return { ...base, type: "tool_started", callId: `c${seq}`, name: "shell", args: { command: "ls" } };
    case 2:
      return { ...base, type: "tool_finished", callId: `c${seq - 1}`, name: "shell", content: [{ type: "text", text }], isError: false, durationMs: 3 };
    default:
      return { ...base, type: "step_finished", step: seq, usage: { input: 10, output: 5, cacheRead: 0, cacheWrite: 0, reasoning: 0 }, costUsd: 0.001 };
  }
}

const rows = {};
for (const [name, open] of stores) {
  const store = await open();
  store.createSession({ id: "bench", task: "bench", model: "scripted:x", cwd: temp });
  const times = [];
  for (let seq = 1; seq <= EVENTS; seq++) {
    const e = event("bench", seq);
    const t = performance.now();
    store.append(e);
    times.push(performance.now() - t);
  }
  const t = performance.now();
  const read = store.events("bench").length;
  const readMs = performance.now() - t;
  times.sort((a, b) => a - b);
  // A scripted session whose log has about EVENTS events (≈8 per tool step), through the host.
  const steps = Math.round(EVENTS / 8);
  const scenario = { steps: [...Array.from({ length: steps }, () => ({ toolCalls: [{ name: "list", args: {} }] })), { text: "done" }] };
  const agent = await createAgent({ model: createScriptedModel(scenario), store, cwd: temp, userDir: temp, permissionMode: "full-auto", sandbox: "off" });
  const started = performance.now();
  const result = await agent.run("list the folder again and again");
  const sessionMs = performance.now() - started;
  const sessionEvents = store.events(result.sessionId).length;
  agent.close();
  store.close();
  rows[name] = {
    appendMeanMs: times.reduce((a, b) => a + b, 0) / times.length,
    appendP50Ms: quantile(times, 0.5),
    appendP95Ms: quantile(times, 0.95),
    readEvents: read,
    readMs,
    session: { status: result.status, steps: result.steps, events: sessionEvents, ms: sessionMs },
  };
}
rmSync(temp, { recursive: true, force: true });

const f = (n) => n.toFixed(2);
console.log(`| store | append mean | p50 | p95 | read ${EVENTS} events | ${Math.round(EVENTS / 8)}-step scripted session (events) |`);
console.log("|---|---|---|---|---|---|");
for (const [name, r] of Object.entries(rows)) {
  console.log(`| ${name} | ${f(r.appendMeanMs)} ms | ${f(r.appendP50Ms)} ms | ${f(r.appendP95Ms)} ms | ${f(r.readMs)} ms | ${Math.round(r.session.ms)} ms (${r.session.events}) |`);
}
if (!postgresUrl) console.log("(PostgreSQL not measured: set COLLEAGUE_BENCH_POSTGRES_URL or run scripts/services.sh up)");
// The last line in the shape bench/run.mjs folds into its report (bench/lib/external.mjs).
const benchRows = Object.entries(rows).flatMap(([name, r]) => [
  { metric: `${name}: append p50`, median: r.appendP50Ms, unit: "ms" },
  { metric: `${name}: ${Math.round(EVENTS / 8)}-step scripted session`, median: r.session.ms, unit: "ms" },
]);
if (rows.sqlite && rows.postgres)
  benchRows.push({ metric: "store overhead per session (PostgreSQL − SQLite)", median: rows.postgres.session.ms - rows.sqlite.session.ms, unit: "ms" });
console.log(JSON.stringify({ ok: true, events: EVENTS, rows: benchRows, stores: rows }));
