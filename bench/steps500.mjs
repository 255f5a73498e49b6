// Issue 19's long row: `colleague run` (the built CLI, the shell sandbox at its default) plays
// 500 shell steps whose command prints 120 KB each, against the Anthropic fake on loopback.
// Measured: the time between consecutive model requests at the fake (one step: the reply,
// the harness, the sandboxed command), the same command spawned bare from this process, and
// the CLI's peak RSS. Reported: harness + sandbox per step above the bare command (≤ 30 ms),
// flatness (median of the last 50 steps ÷ the first 50, taken as flat at ≤ 1.25) and peak RSS
// (≤ 160 MB). Opt-in (`node bench/run.mjs --long`): a run takes a few minutes.
// The run must complete with every step, or nothing is reported as a figure and the exit code
// is 1. Prints one JSON object as its last line (see bench/README.md).
//
//   npm run build && node bench/steps500.mjs [--steps N] [--build OTHER_ROOT] [--prof DIR]
// (--build: run another build's bin/ and dist/, e.g. a copy taken before a change, to A/B it;
// --prof: the CLI runs under `node --cpu-prof` and leaves its profile in DIR.)
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { benchEnv, providers, ROOT, sessionProblem } from "./lib/cli-runs.mjs";
import { loadFakes } from "./lib/fakes.mjs";
import { measure, summarize } from "./lib/measure.mjs";

const { values } = parseArgs({ options: { steps: { type: "string" }, build: { type: "string" }, prof: { type: "string" } } });
const STEPS = Number(values.steps ?? 500);
const WINDOW = Math.min(50, Math.floor(STEPS / 2));
const OUTPUT_BYTES = 120 * 1024;
/** 120 KB in 15,360 lines of 8 bytes: what a chatty build or test run prints. */
const COMMAND = `seq -f %07g 1 ${OUTPUT_BYTES / 8}`;

const problems = [];
const fakes = await loadFakes();
const steps = Array.from({ length: STEPS }, (_, i) => ({ text: `step ${i + 1}`, toolCalls: [{ name: "shell", args: { command: COMMAND } }] }));
steps.push({ expect: { toolResultsOk: true }, text: "all done" });
const server = await fakes.startAnthropicFake(fakes.anthropicFakeFromScenario({ name: "bench steps500", steps }));
// When each request arrived; the bodies themselves are dropped (they are large and not measured).
const arrivals = [];
const recorded = server.requests;
recorded.push = (r) => {
  arrivals.push(performance.now());
  return Array.prototype.push.call(recorded, { ...r, rawBody: "", body: r.body });
};

const work = mkdtempSync(path.join(os.tmpdir(), "colleague-bench-steps500-"));
const home = path.join(work, "home");
const repo = path.join(work, "repo");
spawnSync("mkdir", ["-p", repo, home]);
writeFileSync(path.join(repo, "README.md"), "scratch repo for the 500-step bench\n");

// The bare command, spawned directly by this process before and after the run (load drifts).
const bareRuns = () =>
  Array.from({ length: 15 }, () => {
    const t = performance.now();
    // --norc as colleague's own shells: bash with a socket for stdin and no SHLVL (a bench started
    // from a service or in the background) reads ~/.bashrc, which can cost it hundreds of ms.
    const r = spawnSync("/bin/bash", ["--norc", "-c", COMMAND], { maxBuffer: 4 * OUTPUT_BYTES });
    const ms = performance.now() - t;
    if (r.status !== 0 || r.stdout.length !== OUTPUT_BYTES) problems.push(`bare command: exit ${r.status}, ${r.stdout.length} bytes`);
    return ms;
  });
const bare = bareRuns();

const p = providers.anthropic(server.url);
const prof = values.prof ? ["--cpu-prof", "--cpu-prof-dir", path.resolve(values.prof), "--cpu-prof-interval", "500"] : [];
const args = [...prof, path.join(values.build ? path.resolve(values.build) : ROOT, "bin/colleague.js"), "run", "Run the command until told to stop.", "--model", p.model, "--json", "--cwd", repo, "--max-steps", String(STEPS + 10)];
const run = await measure(process.execPath, args, { env: benchEnv({ ...p.env, COLLEAGUE_HOME: home }), cwd: repo, timeoutMs: 30 * 60_000 });
bare.push(...bareRuns());
await server.close();
rmSync(work, { recursive: true, force: true });

const problem = sessionProblem(run, STEPS + 1);
if (problem) problems.push(problem);
if (arrivals.length !== STEPS + 1) problems.push(`${arrivals.length} requests reached the fake, expected ${STEPS + 1}`);
if (problems.length) {
  console.log(JSON.stringify({ name: "steps500", ok: false, problems: problems.slice(0, 10) }));
  process.exit(1);
}

// Step n's time: from request n to request n + 1 (the reply, the harness, the tool).
const perStep = arrivals.slice(1).map((t, i) => t - arrivals[i]);
const bareStats = summarize(bare);
const all = summarize(perStep);
const first = summarize(perStep.slice(0, WINDOW));
const last = summarize(perStep.slice(-WINDOW));
const above = (s) => ({ median: s.median - bareStats.median, min: s.min - bareStats.median, max: s.max - bareStats.median, n: s.n });
console.log(
  JSON.stringify({
    name: "steps500",
    rows: [
      { metric: `bare command (\`bash -c\`, 120 KB out), spawned directly`, unit: "ms", ...bareStats },
      { metric: `per step, all ${STEPS} (request → next request)`, unit: "ms", ...all },
      { metric: "harness + sandbox per step above the bare command", unit: "ms", ...above(all), target: { max: 30, goal: "500 steps × 120 KB (issue 19)" } },
      { metric: `per step, first ${WINDOW}`, unit: "ms", ...first },
      { metric: `per step, last ${WINDOW}`, unit: "ms", ...last },
      { metric: `last ${WINDOW} ÷ first ${WINDOW} (medians; flat)`, unit: "×", median: last.median / first.median, target: { max: 1.25, goal: "500 steps × 120 KB, flat (issue 19)" } },
      { metric: "peak RSS", unit: "MB", median: run.peakRssMb, target: { max: 160, goal: "500 steps × 120 KB (issue 19)" } },
      { metric: "wall, whole run", unit: "ms", median: run.wallMs },
    ],
  }),
);
