// Benchmark: agent teams of 1, 8 and 64 scripted teammates in one process.
// Each size runs in a fresh child process (so peak RSS is its own), three times; the figures
// are medians. Every teammate claims its task, reads a file, completes the task and answers,
// against a real SQLite store on disk (every event committed). Each run must end with the team
// completed and every task completed with its result; otherwise no figure is reported and the
// exit code is 1. Needs `npm run build` first.
// Last stdout line: one JSON object.
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const SIZES = [1, 8, 64];
const RUNS = 3;

async function child(size) {
  const { Team, ModelPool, SqliteStore, createScriptedModel } = await import("../dist/index.js");
  const dir = mkdtempSync(path.join(os.tmpdir(), "colleague-bench-team-"));
  writeFileSync(path.join(dir, "data.txt"), "some data for the teammates to read\n".repeat(50));
  const scenario = {
    steps: [
      { toolCalls: [{ name: "claim_task", args: {} }] },
      { toolCalls: [{ name: "read_file", args: { path: "data.txt" } }] },
      { toolCalls: [{ name: "complete_task", args: { id: "MINE", result: "read it" } }] },
      { text: "done" },
    ],
  };
  const store = new SqliteStore(path.join(dir, "sessions.db"));
  const baselineRss = process.memoryUsage().rss;
  const started = performance.now();
  // Each teammate's script names its own task id ("scripted:bench#t7" completes T7).
  const models = new ModelPool(async (id) => createScriptedModel(JSON.parse(JSON.stringify(scenario).replace("MINE", `T${id.split("#t")[1]}`)), id));
  const team = await Team.start({ store, models, cwd: dir, task: "bench", size, teammateModels: ["scripted:bench"] });
  for (let i = 1; i <= size; i++) team.board.create("lead", { title: `task ${i}`, owner: `t${i}` });
  for (let i = 1; i <= size; i++) {
    await team.spawn({ name: `t${i}`, role: "worker", task: `Do T${i}.`, model: `scripted:bench#t${i}` });
  }
  const result = await team.run();
  const wallMs = performance.now() - started;
  const completed = result.tasks.filter((t) => t.status === "completed").length;
  store.close();
  // End state: the team finished and every teammate's task is completed, with its result.
  const problems = [];
  if (result.status !== "completed") problems.push(`team ended ${result.status}${result.error ? `: ${result.error}` : ""}`);
  if (result.tasks.length !== size) problems.push(`${result.tasks.length} tasks on the board, not ${size}`);
  if (completed !== size) problems.push(`${completed}/${size} tasks completed`);
  const unread = result.tasks.filter((t) => t.status === "completed" && t.result !== "read it").length;
  if (unread) problems.push(`${unread} completed tasks lack the teammate's result`);
  return {
    teammates: size,
    completed,
    problems,
    status: result.status,
    wallMs: Math.round(wallMs),
    peakRssMb: +(process.resourceUsage().maxRSS / 1024).toFixed(1),
    baselineRssMb: +(baselineRss / 1024 / 1024).toFixed(1),
  };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

if (process.argv[2] === "--child") {
  process.stdout.write(`${JSON.stringify(await child(Number(process.argv[3])))}\n`);
} else {
  const self = fileURLToPath(import.meta.url);
  const results = [];
  const rows = [];
  const problems = [];
  for (const size of SIZES) {
    const runs = [];
    for (let r = 0; r < RUNS; r++) {
      try {
        const out = execFileSync(process.execPath, [self, "--child", String(size)], { encoding: "utf8" });
        const run = JSON.parse(out.trim().split("\n").at(-1));
        if (run.problems.length) problems.push(`${size} teammates, run ${r + 1}: ${run.problems.join("; ")}`);
        else runs.push(run);
      } catch (error) {
        problems.push(`${size} teammates, run ${r + 1}: ${String(error.message ?? error).split("\n")[0]}`);
      }
    }
    // A size with any failed run reports no figures: a median of the runs that did finish is not one.
    if (runs.length < RUNS) continue;
    const stat = (key, unit, metric) => {
      const xs = runs.map((r) => r[key]);
      return { metric, median: median(xs), min: Math.min(...xs), max: Math.max(...xs), unit, n: runs.length };
    };
    rows.push(stat("wallMs", "ms", `wall, ${size} teammates`));
    rows.push({ ...stat("peakRssMb", "MB", `peak RSS, ${size} teammates`), ...(size === 64 ? { target: { max: 400 } } : {}) });
    const row = {
      teammates: size,
      completed: median(runs.map((r) => r.completed)),
      wallMs: median(runs.map((r) => r.wallMs)),
      peakRssMb: median(runs.map((r) => r.peakRssMb)),
      baselineRssMb: median(runs.map((r) => r.baselineRssMb)),
    };
    process.stderr.write(`team of ${size}: ${row.wallMs} ms, peak RSS ${row.peakRssMb} MB (baseline ${row.baselineRssMb} MB), ${row.completed}/${size} tasks\n`);
    results.push(row);
  }
  const at64 = results.find((r) => r.teammates === 64);
  if (problems.length) {
    process.stderr.write(`team: FAILED — ${problems.join("; ")}\n`);
    process.exitCode = 1;
  }
  // `rows` is the shape bench/run.mjs folds into its report (bench/README.md); `results` the detail.
  const ok = problems.length === 0;
  console.log(JSON.stringify({ name: "team", ok, problems, rows: ok ? rows : [], runs: RUNS, results, goal64Under400Mb: ok && at64 ? at64.peakRssMb < 400 : null }));
}
