// The web dashboard in Debian's Chromium (playwright-core) against the built `colleague serve`:
// the first load of the sessions view with 1,000 sessions in the store (sign-in done; page
// navigation to the first page of rows on screen), a 2,000-event transcript rendered (navigation
// to its last event on screen; rows in the DOM show the virtualisation), and the gzipped size of
// the shipped bundle (dist/web). Prints one JSON object as its last line (see bench/README.md).
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const CHROMIUM = process.env.COLLEAGUE_CHROMIUM ?? "/usr/bin/chromium";
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const problems = [];
const rows = [];

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)], min: s[0], max: s.at(-1), n: s.length };
};

// The bundle: what a browser downloads, compressed as the server sends it.
const webDir = path.join(ROOT, "dist/web");
if (!existsSync(path.join(webDir, "index.html"))) {
  console.log(JSON.stringify({ ok: false, problems: ["dist/web is not built (npm run build)"] }));
  process.exit(1);
}
const assets = readdirSync(path.join(webDir, "assets")).map((f) => path.join(webDir, "assets", f));
const gz = (files) => files.reduce((sum, f) => sum + gzipSync(readFileSync(f), { level: 9 }).length, 0);
const jsKb = gz(assets.filter((f) => f.endsWith(".js"))) / 1024;
const cssKb = gz(assets.filter((f) => f.endsWith(".css"))) / 1024;
rows.push({ metric: "bundle gzipped (js + css + html)", median: Math.round((jsKb + cssKb + gz([path.join(webDir, "index.html")]) / 1024) * 10) / 10, unit: "KB", target: { max: 300 }, note: `js ${jsKb.toFixed(1)} KB, css ${cssKb.toFixed(1)} KB` });

if (!existsSync(CHROMIUM)) {
  console.log(JSON.stringify({ ok: false, rows, problems: [`no Chromium at ${CHROMIUM}`] }));
  process.exit(1);
}

const { SqliteStore } = await import(path.join(ROOT, "dist/index.js"));
const { chromium } = await import("playwright-core");

const base = mkdtempSync(path.join(os.tmpdir(), "colleague-bench-dashboard-"));
const home = path.join(base, "home");
mkdirSync(home);

// The store: 1,000 finished sessions, and one of 2,000 events (tool calls with output, text, steps).
const store = new SqliteStore(path.join(home, "sessions.db"));
const usage = (n) => ({ input: n, output: n / 4, cacheRead: 0, cacheWrite: 0, reasoning: 0 });
const time = (i) => new Date(Date.UTC(2026, 10, 1) + i * 60_000).toISOString();
for (let i = 0; i < 1000; i++) {
  const id = `bench-${String(i).padStart(4, "0")}`;
  store.createSession({ id, task: `Task number ${i}: refactor module ${i % 37} and update its tests`, model: "anthropic:claude-opus-4-6", cwd: `/work/project-${i % 12}` });
  let seq = 0;
  const ev = (body) => store.append({ seq: ++seq, sessionId: id, agentId: "main", time: time(i), ...body });
  ev({ type: "session_started", task: `Task number ${i}`, model: "anthropic:claude-opus-4-6", cwd: `/work/project-${i % 12}`, system: "", tools: [] });
  ev({ type: "session_finished", status: i % 9 === 0 ? "error" : "completed", steps: 3, usage: usage(1000 + i), costUsd: 0.01 * (i % 50), durationMs: 60_000 });
}
const long = "bench-long-transcript";
store.createSession({ id: long, task: "A long session: 2,000 events", model: "anthropic:claude-opus-4-6", cwd: "/work/long" });
{
  let seq = 0;
  const ev = (body) => store.append({ seq: ++seq, sessionId: long, agentId: "main", time: time(0), ...body });
  ev({ type: "session_started", task: "A long session: 2,000 events", model: "anthropic:claude-opus-4-6", cwd: "/work/long", system: "", tools: [] });
  ev({ type: "user_message", text: "A long session: 2,000 events", kind: "task" });
  let step = 0;
  while (seq + 1 < 2000) {
    step++;
    const callId = `c${step}`;
    ev({ type: "step_started", step });
    ev({ type: "assistant_message", costUsd: 0.001, message: { role: "assistant", model: "x", api: "anthropic", stopReason: "tool_use", usage: usage(10), content: [{ type: "text", text: `Step ${step}: reading **file ${step}** and checking \`fn${step}\`.` }, { type: "tool_call", id: callId, name: "read_file", args: { path: `src/file-${step}.ts` } }] } });
    ev({ type: "tool_started", callId, name: "read_file", args: { path: `src/file-${step}.ts` } });
    ev({ type: "tool_finished", callId, name: "read_file", content: [{ type: "text", text: `1  export const x${step} = ${step};\n`.repeat(20) }], isError: false, durationMs: 2 });
    ev({ type: "step_finished", step, usage: usage(step * 100), costUsd: step * 0.001 });
  }
  ev({ type: "session_finished", status: "completed", steps: step, usage: usage(step * 100), costUsd: step * 0.001, durationMs: 1000 });
}
store.close();

const env = { ...process.env, COLLEAGUE_HOME: home };
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

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-dev-shm-usage"],
});
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const signIn = await context.newPage();
  await signIn.goto(`${url}/`);
  await signIn.getByLabel("Server token").fill(token);
  await signIn.getByRole("button", { name: "Sign in" }).click();
  await signIn.getByRole("heading", { name: "Sessions" }).waitFor();
  await signIn.close();

  const listTimes = [];
  const transcriptTimes = [];
  let domRows = 0;
  let items = 0;
  for (let run = 0; run <= RUNS; run++) {
    // A fresh page each time: no warm JS heap (the HTTP cache holds the hashed assets, as for a returning user).
    const page = await context.newPage();
    let t0 = performance.now();
    await page.goto(`${url}/#/`);
    await page.locator("table.sessions tbody tr").nth(49).waitFor();
    const listMs = performance.now() - t0;
    if (process.env.BENCH_DEBUG) {
      const entries = await page.evaluate(() => [...performance.getEntriesByType("navigation"), ...performance.getEntriesByType("resource")].map((e) => `${e.name.slice(-40)} start ${Math.round(e.startTime)} end ${Math.round(e.responseEnd)}`));
      process.stderr.write(`${Math.round(listMs)} ms\n  ${entries.join("\n  ")}\n`);
    }
    const total = await page.getByText("1,001 sessions").count();
    if (!total) problems.push("the sessions view does not count 1,001 sessions");
    await page.close();

    const view = await context.newPage();
    t0 = performance.now();
    await view.goto(`${url}/#/s/${long}`);
    await view.getByText(/Session completed/).waitFor({ timeout: 30_000 });
    const transcriptMs = performance.now() - t0;
    domRows = await view.locator(".virtual > div > div").count();
    items = Number((await view.locator(".details dd").nth(3).textContent())?.replace(/\D/g, ""));
    await view.close();
    if (run > 0) {
      listTimes.push(listMs);
      transcriptTimes.push(transcriptMs);
    }
  }
  const round = (s) => Object.fromEntries(Object.entries(s).map(([k, v]) => [k, k === "n" ? v : Math.round(v)]));
  rows.push({ metric: "first load, sessions view (1,000 sessions)", ...round(stats(listTimes)), unit: "ms", target: { max: 1000 }, note: "navigation to 50 rows on screen, signed in" });
  rows.push({ metric: "2,000-event transcript rendered", ...round(stats(transcriptTimes)), unit: "ms", note: `${items} events, ${domRows} rows in the DOM (virtualised)` });
  if (items < 2000) problems.push(`the long transcript shows ${items} events, not 2,000`);
} catch (error) {
  problems.push(String(error?.message ?? error).split("\n")[0]);
} finally {
  await browser.close();
  server.kill("SIGTERM");
  rmSync(base, { recursive: true, force: true });
}
console.log(JSON.stringify({ ok: problems.length === 0, rows, problems }));
