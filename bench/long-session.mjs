// The long-session benchmark (issue 4): a scripted session of 2,000 steps whose tool results
// total over 200 MB, run against the BUILT library (dist/). Reports whether every request
// stayed under the model's window, the peak RSS, and the harness's own time per step over a
// warm baseline (steps 100–200) and over the last 100 steps, then resumes the finished session
// once; then the repo_map build time on this repository and on the openai SDK in node_modules.
// The run and the resume must complete (every step, the expected answers) or nothing is reported
// as a figure and the exit code is 1. Prints one JSON object as its last line.
//
//   npm run build && node bench/long-session.mjs [--steps N] [--result-kb N]
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { z } from "zod";

const { values } = parseArgs({ options: { steps: { type: "string" }, "result-kb": { type: "string" } } });
const STEPS = Number(values.steps ?? 2000);
const RESULT_BYTES = Number(values["result-kb"] ?? 105) * 1024;

const root = path.resolve(import.meta.dirname, "..");
const lib = await import(path.join(root, "dist/index.js"));
const { createAgent, createScriptedModel, defineTool, SqliteStore, buildRepoMap } = lib;

// A tool whose every result is ~105 KB (what a big file read or a chatty command returns).
const block = "0123456789abcdef ".repeat(64).slice(0, 1023) + "\n";
const body = block.repeat(Math.ceil(RESULT_BYTES / block.length)).slice(0, RESULT_BYTES);
let resultBytes = 0;
const bigOutput = defineTool({
  name: "big_output",
  description: "Returns a large block of text.",
  readOnly: true,
  maxOutputChars: RESULT_BYTES + 1024,
  parameters: z.object({ n: z.number() }),
  async execute({ n }) {
    const text = `result ${n}\n${body}`;
    resultBytes += text.length;
    return { content: text };
  },
});

const steps = Array.from({ length: STEPS - 1 }, (_, i) => ({ text: `step ${i + 1}`, toolCalls: [{ name: "big_output", args: { n: i + 1 } }] }));
steps.push({ text: "all done" }, { text: "resumed and answered" });
const model = createScriptedModel({ steps });

const dir = mkdtempSync(path.join(os.tmpdir(), "colleague-bench-long-"));
const store = new SqliteStore(path.join(dir, "sessions.db"));
const agent = await createAgent({ model, store, cwd: dir, tools: [bigOutput], maxSteps: STEPS + 10, userDir: dir, permissionMode: "full-auto" });

// Harness time of step n (the resume's one step is not counted): from step_started to step_finished, less the tool's own time.
const harnessMs = new Array(STEPS + 1).fill(0);
let stepStart = 0;
let toolMs = 0;
let maxUsed = 0;
let window = 0;
let requests = 0;
let overWindow = 0;
let compactions = 0;
let cleared = 0;
let peakRss = 0;
agent.subscribe((e) => {
  if (e.type === "step_started") {
    stepStart = performance.now();
    toolMs = 0;
  } else if (e.type === "tool_finished") {
    toolMs += e.durationMs;
  } else if (e.type === "step_finished") {
    if (e.step <= STEPS) harnessMs[e.step] ||= performance.now() - stepStart - toolMs;
    if (e.step % 50 === 0) peakRss = Math.max(peakRss, process.memoryUsage.rss());
  } else if (e.type === "context") {
    requests++;
    window = e.window;
    maxUsed = Math.max(maxUsed, e.used);
    if (e.used >= e.window) overWindow++;
    cleared += e.cleared.length;
  } else if (e.type === "context_compacted") {
    compactions++;
  }
});

const started = performance.now();
const result = await agent.run("produce and skim 2,000 large outputs");
const wallS = (performance.now() - started) / 1000;
const runPeakRss = Math.max(peakRss, process.resourceUsage().maxRSS * 1024);

// Resume the finished session with a follow-up: the whole log is replayed (streamed from
// SQLite, with its clearing and compactions redone), and the model gets one more request.
const resumeStarted = performance.now();
let rssAtResume = 0;
const unsubscribe = agent.subscribe((e) => {
  if (e.type === "session_resumed") rssAtResume = process.memoryUsage.rss();
});
const resumed = await agent.resume(result.sessionId, "one more thing");
unsubscribe();
const resumeMs = performance.now() - resumeStarted;
peakRss = Math.max(runPeakRss, rssAtResume, process.resourceUsage().maxRSS * 1024);
agent.close();
rmSync(dir, { recursive: true, force: true });

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};
// Drift is judged against a WARM baseline: the first steps are cold (JIT, caches, an empty
// context) and cheap, so comparing with them would flatter any later slowdown (or hide one).
// Baseline: steps 100–200 of 2,000 (5–10% of the run); end: the last 100 steps.
const BASE_FROM = Math.max(1, Math.floor(STEPS * 0.05));
const BASE_TO = Math.max(BASE_FROM, Math.floor(STEPS * 0.1));
const END_FROM = STEPS - Math.max(0, BASE_TO - BASE_FROM) + 1;
const atBaseline = median(harnessMs.slice(BASE_FROM, BASE_TO + 1));
const atEnd = median(harnessMs.slice(END_FROM, STEPS + 1));

// Completion and end state are checked before anything is judged: a run that stopped early
// would show a low ratio, a small RSS and nothing over the window — every target "met".
const problems = [];
if (result.status !== "completed") problems.push(`run ended ${result.status}${result.error ? `: ${result.error}` : ""}`);
if (result.steps !== STEPS) problems.push(`run took ${result.steps} steps, not ${STEPS}`);
if (result.answer !== "all done") problems.push(`run answered ${JSON.stringify(result.answer)}, not "all done"`);
if (resumed.status !== "completed" || resumed.answer !== "resumed and answered") {
  problems.push(`resume ended ${resumed.status} with ${JSON.stringify(resumed.answer)}${resumed.error ? `: ${resumed.error}` : ""}`);
}
const stepsTimed = harnessMs.slice(1, STEPS + 1).filter((ms) => ms > 0).length;
if (stepsTimed !== STEPS) problems.push(`only ${stepsTimed} of ${STEPS} steps finished`);
if (requests < STEPS) problems.push(`only ${requests} model requests for ${STEPS} steps`);
if (resultBytes < (STEPS - 1) * RESULT_BYTES) problems.push(`tool results total ${resultBytes} bytes, under ${(STEPS - 1) * RESULT_BYTES}`);

// First build: loads the tree-sitter runtime and grammars; the second reuses parsed files.
const ownMap = await buildRepoMap(root, { budgetTokens: 2048 });
const ownMapAgain = await buildRepoMap(root, { budgetTokens: 2048 });
const sdkMap = await buildRepoMap(path.join(root, "node_modules/openai"), { budgetTokens: 4096 });

const figures = {
  bench: "long-session",
  status: result.status,
  steps: result.steps,
  toolResultsMB: Math.round((resultBytes / 1024 / 1024) * 10) / 10,
  requests,
  window,
  maxRequestTokens: maxUsed,
  requestsOverWindow: overWindow,
  everyRequestUnderWindow: overWindow === 0 && requests >= result.steps,
  compactions,
  clearedResults: cleared,
  peakRssMB: Math.round(peakRss / 1024 / 1024),
  harnessMsWarmBaseline: Math.round(atBaseline * 100) / 100,
  harnessMsAtEnd: Math.round(atEnd * 100) / 100,
  stepTimeRatio: Math.round((atEnd / atBaseline) * 100) / 100,
  wallS: Math.round(wallS * 10) / 10,
  runPeakRssMB: Math.round(runPeakRss / 1024 / 1024),
  resume: { status: resumed.status, answer: resumed.answer, ms: Math.round(resumeMs), rssMB: Math.round(rssAtResume / 1024 / 1024) },
  repoMap: {
    thisRepo: { ms: ownMap.durationMs, cachedMs: ownMapAgain.durationMs, files: ownMap.parsed, tokens: ownMap.tokens, budget: 2048 },
    openaiSdk: { ms: sdkMap.durationMs, files: sdkMap.parsed, tokens: sdkMap.tokens, budget: 4096 },
  },
};
// The rows bench/run.mjs folds into its report (shape in bench/README.md); one run each.
const row = (metric, median, unit, target) => ({ metric, median, unit, n: 1, ...(target !== undefined ? { target: { max: target } } : {}) });
figures.name = "long-session";
figures.ok = problems.length === 0;
figures.problems = problems;
figures.rows = [
  row(`harness time per step, steps ${BASE_FROM}–${BASE_TO} (warm baseline)`, figures.harnessMsWarmBaseline, "ms"),
  row(`harness time per step, steps ${END_FROM}–${STEPS}`, figures.harnessMsAtEnd, "ms"),
  row(`per-step time ratio, steps ${END_FROM}–${STEPS} vs ${BASE_FROM}–${BASE_TO}`, figures.stepTimeRatio, "", 1.5),
  row(`peak RSS (${figures.toolResultsMB} MB of tool results, then a resume)`, figures.peakRssMB, "MB", 300),
  row(`requests over the ${window}-token window (of ${requests}; largest ${maxUsed})`, overWindow, "", 0),
  row(`wall time, ${STEPS} steps`, Math.round(wallS * 1000), "ms"),
  row(`resume of the ${STEPS}-step log`, figures.resume.ms, "ms"),
  row(`repo_map, this repository (${ownMap.parsed} files, first build)`, ownMap.durationMs, "ms"),
  row("repo_map, this repository (rebuild, files cached)", ownMapAgain.durationMs, "ms"),
  row(`repo_map, node_modules/openai (${sdkMap.parsed} files)`, sdkMap.durationMs, "ms"),
];
if (problems.length) {
  // Failed: no figure is reported as a measurement (bench/run.mjs shows the problems instead).
  figures.rows = [];
  process.stderr.write(`long-session: FAILED — ${problems.join("; ")}\n`);
  process.exitCode = 1;
}
console.log(JSON.stringify(figures));
