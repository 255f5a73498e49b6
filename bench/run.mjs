// `npm run bench`: measures the built CLI as a whole process against local fake provider
// servers (the tests' fakes) and writes bench/results/latest.md (+ latest.json).
// Flags: --runs N (measured runs per row, default 5), --quick (3 runs, no external scripts),
// --only a,b (just these rows, e.g. --only hello,session10; for profiling work), --long (also
// bench/steps500.mjs: 500 shell steps of 120 KB each, a few minutes).
import { rmSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { bareNodeRun, bareShellStepRun, benchHome, providers, ROOT, sessionRun, versionRun } from "./lib/cli-runs.mjs";
import { externalRows } from "./lib/external.mjs";
import { loadFakes, traffic } from "./lib/fakes.mjs";
import { hasGnuTime, summarize } from "./lib/measure.mjs";
import { checkTargets, machine, writeResults } from "./lib/report.mjs";
import { fixedRepoProblem, hello, session10, session30, session30read, untouchedRepoProblem } from "./lib/scenarios.mjs";

const { values } = parseArgs({ options: { runs: { type: "string" }, quick: { type: "boolean" }, only: { type: "string" }, long: { type: "boolean" } } });
const runs = Number(values.runs ?? (values.quick ? 3 : 5));
const at = machine();
const fakes = await loadFakes();

// One fake per scenario and wire format; each answers by the number of assistant turns it sees.
const servers = [];
const serve = async (start) => {
  const server = await start();
  servers.push(server);
  return { url: server.url, traffic: traffic(server) };
};
const anthropic = (scenario) => serve(() => fakes.startAnthropicFake(fakes.anthropicFakeFromScenario(scenario)));
const openai = (scenario) => serve(() => fakes.openaiFakeFromScenario(scenario));

const homes = [];
const sessions = (fake, provider, scenario, repoProblem) => {
  const home = benchHome();
  homes.push(home);
  return () =>
    sessionRun({ provider: providers[provider](fake.url), traffic: fake.traffic, steps: scenario.steps.length, repoProblem, home });
};

/** What each round runs; rounds interleave the rows so load from other processes spreads evenly. */
const allCases = [
  { row: "bare node", run: bareNodeRun },
  { row: "bare shell step", run: bareShellStepRun },
  { row: "--version", run: versionRun },
  { row: "hello", run: sessions(await anthropic(hello), "anthropic", hello, untouchedRepoProblem) },
  { row: "session10", run: sessions(await anthropic(session10), "anthropic", session10, fixedRepoProblem) },
  { row: "session30", run: sessions(await anthropic(session30), "anthropic", session30, fixedRepoProblem) },
  {
    row: "session30 (read_file)",
    run: sessions(await anthropic(session30read), "anthropic", session30read, fixedRepoProblem),
  },
  { row: "session10 (openai)", run: sessions(await openai(session10), "openai", session10, fixedRepoProblem) },
];

const only = values.only?.split(",");
const cases = only ? allCases.filter((c) => only.includes(c.row)) : allCases;
const results = new Map(cases.map((c) => [c.row, { ok: [], failed: [] }]));
for (let round = 0; round <= runs; round++) {
  for (const c of cases) {
    const outcome = await c.run();
    if (round === 0) {
      // The warm-up round fills the OS file cache; a warm-up failure is still a failure.
      if (!outcome.ok) results.get(c.row).failed.push(`warm-up: ${outcome.problem}`);
      continue;
    }
    const bucket = results.get(c.row);
    if (outcome.ok) bucket.ok.push(outcome.metrics);
    else bucket.failed.push(outcome.problem);
  }
  process.stderr.write(round === 0 ? "bench: warm-up done\n" : `bench: round ${round}/${runs} done\n`);
}
await Promise.all(servers.map((s) => s.close()));
for (const home of homes) rmSync(home, { recursive: true, force: true });

const METRICS = [
  ["wallMs", "wall", "ms"],
  ["cpuMs", "CPU", "ms"],
  ["peakRssMb", "peak RSS", "MB"],
  ["toolMs", "tool time", "ms"],
  ["requests", "requests", ""],
  ["totalKb", "request bytes, total", "KB"],
  ["firstKb", "request bytes, first", "KB"],
];

const rows = [];
for (const [row, { ok, failed }] of results) {
  const measured = failed.filter((f) => !f.startsWith("warm-up")).length;
  for (const [key, metric, unit] of METRICS) {
    const stats = summarize(ok.map((m) => m[key]));
    if (stats) rows.push({ row, metric, unit, ...stats, ...(measured ? { failed: measured } : {}) });
  }
  if (!ok.length) rows.push({ row, metric: "all", note: "no run completed", failed: measured });
}

// Per extra step: each round's session30 minus its session10, over the 20 extra steps.
// Rounds are paired: a failed run in either row drops out by index, which is fine for medians.
const s10 = results.get("session10")?.ok ?? [];
const harnessMs = (m) => m.wallMs - m.toolMs;
for (const [long, row] of [
  ["session30", "per extra step"],
  ["session30 (read_file)", "per extra step (read_file)"],
]) {
  const s30 = results.get(long)?.ok ?? [];
  const pairs = Math.min(s10.length, s30.length);
  // A failed run in either row fails the derived row too: its pairs are no longer like for like.
  const failedRuns = (results.get("session10")?.failed.length ?? 0) + (results.get(long)?.failed.length ?? 0);
  for (const [get, metric] of [
    [(m) => m.wallMs, "wall"],
    [(m) => m.cpuMs, "CPU"],
    [(m) => m.toolMs, "tool time"],
    [harnessMs, "wall minus tool time (the harness's share)"],
  ]) {
    const perStep = Array.from({ length: pairs }, (_, i) => (get(s30[i]) - get(s10[i])) / 20);
    const stats = summarize(perStep);
    if (stats) rows.push({ row, metric, unit: "ms", ...stats, ...(failedRuns ? { failed: failedRuns } : {}) });
  }
  if (row !== "per extra step") continue;
  // Issue 19: what a sandboxed shell step costs above the command's own time, i.e. above
  // `bash -c 'echo …'` spawned directly, measured in the same round.
  const bare = results.get("bare shell step")?.ok ?? [];
  const n = Math.min(pairs, bare.length);
  const above = summarize(Array.from({ length: n }, (_, i) => (s30[i].wallMs - s10[i].wallMs) / 20 - bare[i].wallMs));
  const bareFailed = results.get("bare shell step")?.failed.length ?? 0;
  if (above) rows.push({ row, metric: "wall above the bare command", unit: "ms", ...above, ...(failedRuns + bareFailed ? { failed: failedRuns + bareFailed } : {}) });
}

// Issue 19: start → answer as a multiple of bare `node -e 0`, round by round.
{
  const hellos = results.get("hello")?.ok ?? [];
  const bares = results.get("bare node")?.ok ?? [];
  const n = Math.min(hellos.length, bares.length);
  const ratio = summarize(Array.from({ length: n }, (_, i) => hellos[i].wallMs / bares[i].wallMs));
  const failedRuns = (results.get("hello")?.failed.length ?? 0) + (results.get("bare node")?.failed.length ?? 0);
  if (ratio) rows.push({ row: "hello ÷ bare node", metric: "wall ratio", unit: "×", ...ratio, ...(failedRuns ? { failed: failedRuns } : {}) });
}

const external = {};
const externalFailures = [];
if (!values.quick && !only) {
  const scripts = [
    ["loop.mjs", "loop (in process)"],
    ["long-session.mjs", "long session"],
    ["team.mjs", "team"],
    ["sandbox.mjs", "sandbox"],
    ["cli.mjs", "cli"],
    ["tui.mjs", "tui"],
    ["serve.mjs", "serve"],
    ["dashboard.mjs", "dashboard"],
    ["queue.mjs", "queue (Redis + PostgreSQL)"],
    ["store.mjs", "store"],
    ...(values.long ? [["steps500.mjs", "500 steps × 120 KB"]] : []),
  ];
  for (const [file, label] of scripts) {
    const out = await externalRows(ROOT, file, label);
    rows.push(...out.rows);
    if (out.raw) external[label] = out.raw;
    if (out.failed) externalFailures.push(`${label}: ${out.rows[0].note}`);
  }
} else {
  rows.push({ row: "long session", metric: "all", note: "skipped (--quick)" }, { row: "team", metric: "all", note: "skipped (--quick)" });
}

const notes = [];
if (at.loadAverage[0] > at.cores) {
  notes.push(
    `The machine was busy (load average ${at.loadAverage[0]} on ${at.cores} cores at the start): wall times wait for CPU and spread widely; CPU time moves much less with load.`,
  );
}
for (const [row, { failed }] of results) for (const f of failed) notes.push(`${row}: a run did not complete, not timed — ${f}`);
notes.push(...externalFailures);
if (!hasGnuTime) notes.push("/usr/bin/time is missing: CPU and peak RSS come from polling /proc (may miss the last ms).");
notes.push(
  "session10 = 8 tool calls (list, read_file, grep, read_file, edit_file, shell `node test/cart.test.js`, write_file, shell `wc -l`) then the answer: 9 requests, the same shape as the peers' session. session30 adds 20 `echo` shell steps before the answer.",
  "Wall and CPU include the tools' own time (mostly the Node test run); `tool time` is the sum of the CLI's tool durations.",
);

const result = { name: "colleague bench", machine: at, runs, rows, targets: checkTargets(rows), notes, external };
const md = writeResults(path.join(ROOT, "bench/results"), result);
process.stdout.write(md);
// Non-zero when any run, of the rows here or of a standalone script, did not complete.
const failures = [...results.values()].some((r) => r.failed.length) || externalFailures.length > 0;
process.exitCode = failures ? 1 : 0;
