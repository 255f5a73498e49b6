// `colleague serve` under load: SESSIONS scripted sessions at once on one server (the built CLI,
// its own process), two SSE subscribers each. Every subscriber must receive every stored event of
// its session (counted against the log); delivery latency is event time → arrival at the
// subscriber; the server's peak RSS comes from /proc. Then the HTTP overhead of a turn: the same
// scripted session through the server versus in process (createAgent), medians, interleaved.
// Prints one JSON object as its last line (see bench/README.md).
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const { ColleagueClient } = await import(path.join(ROOT, "dist/client.js"));
const { createAgent, createScriptedModel } = await import(path.join(ROOT, "dist/index.js"));

const SESSIONS = Number(process.env.BENCH_SESSIONS ?? 50);
const SUBSCRIBERS = 2;
const TURN_RUNS = 7;
const problems = [];

const base = mkdtempSync(path.join(os.tmpdir(), "colleague-bench-serve-"));
const home = path.join(base, "home");
mkdirSync(home);
const steps = (n) => ({
  chunkDelayMs: 2,
  steps: [...Array.from({ length: n }, (_, i) => ({ text: `Looking, step ${i}.`, toolCalls: [{ name: "list", args: {} }] })), { text: "All done." }],
});
const scenario = path.join(base, "load.json");
writeFileSync(scenario, JSON.stringify(steps(5)));
const oneTurn = path.join(base, "turn.json");
writeFileSync(oneTurn, JSON.stringify({ steps: [{ text: "Hello." }] }));

const env = { ...process.env, COLLEAGUE_HOME: home, COLLEAGUE_PERMISSION_MODE: "auto-edit" };
for (const k of Object.keys(env)) if (/^(ANTHROPIC|OPENAI|COMPATIBLE)_/.test(k)) delete env[k];
const server = spawn(process.execPath, [path.join(ROOT, "bin/colleague.js"), "serve", "--port", "0", "--root", base], { env, stdio: ["ignore", "pipe", "pipe"] });
const url = await new Promise((resolve, reject) => {
  let out = "";
  server.stdout.on("data", (d) => {
    out += d;
    const m = /colleague serve on (http:\/\/\S+)/.exec(out);
    if (m && /bearer token/.test(out)) resolve(m[1]);
  });
  server.on("exit", (code) => reject(new Error(`serve exited with ${code}`)));
});
const token = readFileSync(path.join(home, "server-token"), "utf8").trim();
const client = new ColleagueClient({ url, token });
let peakKb = 0;
const rssTimer = setInterval(() => {
  try {
    const hwm = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${server.pid}/status`, "utf8"));
    if (hwm) peakKb = Math.max(peakKb, Number(hwm[1]));
  } catch {}
}, 100);

const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};
const median = (xs) => quantile(xs, 0.5);

try {
  // 1. Load: sessions created at once, subscribers attached at once.
  const workspace = path.join(base, "ws");
  mkdirSync(workspace);
  const started = performance.now();
  const latencies = [];
  // Each session's subscribers attach as soon as it is created, not after all are: a session
  // that finished before its subscribers came has nothing live to measure.
  const sessions = [];
  const subscribed = await Promise.all(
    Array.from({ length: SESSIONS }, async (_, i) => {
      const s = await client.createSession({ task: `load ${i}`, cwd: workspace, model: `scripted:${scenario}` });
      sessions.push(s);
      return subscribe(s);
    }),
  );
  const received = subscribed.flat();
  function subscribe(s) {
    return Promise.all(
      Array.from({ length: SUBSCRIBERS }, async () => {
        let attached;
        const events = [];
        for await (const event of client.events(s.id)) {
          const at = Date.now();
          const time = Date.parse(event.time);
          // Only live deliveries measure latency: from the first frame on (the stream is open),
          // events emitted after it; what came before was replayed from the log.
          attached ??= at;
          if (time > attached) latencies.push(at - time);
          events.push(event);
        }
        return { id: s.id, seqs: events.filter((e) => !["text_delta", "thinking_delta", "tool_call_delta", "tool_output"].includes(e.type)).map((e) => e.seq) };
      }),
    );
  }
  const loadMs = performance.now() - started;
  let complete = 0;
  for (const s of sessions) {
    const log = [];
    for await (const event of client.stream(s.id, 0, AbortSignal.timeout(5_000))) {
      log.push(event.event.seq);
      if (event.event.type === "session_finished") break;
    }
    const last = log.at(-1);
    const detail = await client.getSession(s.id);
    if (detail.session.status !== "completed") problems.push(`session ${s.id} ended ${detail.session.status}`);
    for (const r of received.filter((r) => r.id === s.id)) {
      if (r.seqs.join(",") === log.join(",")) complete++;
      else problems.push(`a subscriber of ${s.id} got ${r.seqs.length} of ${log.length} events (last ${last})`);
    }
  }

  // 2. One turn through the server vs in process, interleaved.
  const viaServer = [];
  const inProcess = [];
  for (let i = 0; i < TURN_RUNS; i++) {
    let t = performance.now();
    const s = await client.createSession({ task: "hi", cwd: workspace, model: `scripted:${oneTurn}` });
    for await (const _ of client.events(s.id)) void _;
    viaServer.push(performance.now() - t);
    t = performance.now();
    const agent = await createAgent({ model: createScriptedModel(JSON.parse(readFileSync(oneTurn, "utf8"))), store: ":memory:", cwd: workspace, userDir: home });
    const result = await agent.run("hi");
    agent.close();
    inProcess.push(performance.now() - t);
    if (result.status !== "completed") problems.push(`in-process turn ended ${result.status}`);
  }

  const rows = [
    { metric: `subscribers that received every stored event (${SESSIONS} sessions × ${SUBSCRIBERS})`, unit: "count", median: complete, n: SESSIONS * SUBSCRIBERS },
    { metric: "event delivery, p50 (emit → subscriber)", unit: "ms", median: median(latencies), n: latencies.length },
    { metric: "event delivery, p99", unit: "ms", median: quantile(latencies, 0.99), n: latencies.length, target: { max: 50, goal: "serve" } },
    { metric: `server peak RSS (${SESSIONS} sessions, ${SESSIONS * SUBSCRIBERS} subscribers)`, unit: "MB", median: peakKb / 1024, target: { max: 400, goal: "serve" } },
    { metric: `wall for all ${SESSIONS} sessions`, unit: "ms", median: loadMs },
    { metric: "one turn through the server (create → session_finished)", unit: "ms", median: median(viaServer), min: Math.min(...viaServer), max: Math.max(...viaServer), n: TURN_RUNS },
    { metric: "the same turn in process (createAgent)", unit: "ms", median: median(inProcess), min: Math.min(...inProcess), max: Math.max(...inProcess), n: TURN_RUNS },
    { metric: "HTTP overhead per turn (server − in process, medians)", unit: "ms", median: median(viaServer) - median(inProcess), target: { max: 5, goal: "serve adds ≤ 5 ms per turn (issue 19)" } },
  ];
  if (complete !== SESSIONS * SUBSCRIBERS) problems.push(`${SESSIONS * SUBSCRIBERS - complete} subscriber(s) missed events`);
  console.log(JSON.stringify({ name: "serve", ok: problems.length === 0, ...(problems.length ? { problems: problems.slice(0, 10) } : {}), rows }));
} catch (error) {
  console.log(JSON.stringify({ name: "serve", ok: false, problems: [String(error?.stack ?? error)] }));
  process.exitCode = 1;
} finally {
  clearInterval(rssTimer);
  server.kill("SIGTERM");
  await new Promise((r) => server.once("exit", r));
  rmSync(base, { recursive: true, force: true });
}
if (problems.length) process.exitCode = 1;
