// Thinking-token share of `--effort auto` versus fixed `high`, on the scripted scenarios the
// test suite uses (the demo, the loop test, a failing-test fix, a steered run). Runs against
// the built library (dist/): `npm run build && node bench/effort-share.mjs`.
//
// The scripted model does not think more or less with effort, so each request is charged the
// thinking budget colleague asks Anthropic budget models for at that effort
// (src/model/anthropic-request.ts: low → off, medium 4,096, high 16,384, max 32,000). The share
// is Σ budget(auto's choice) / Σ budget(high) over every request. Prints one JSON line last.
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const { createAgent, createScriptedModel, Inbox } = await import(path.join(root, "dist/index.js"));

const BUDGET = { low: 0, medium: 4096, high: 16_384, max: 32_000 };

const temp = (files = {}) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "colleague-effort-"));
  for (const [file, content] of Object.entries(files)) writeFileSync(path.join(dir, file), content);
  return dir;
};

const demo = JSON.parse(readFileSync(path.join(root, "examples/demo/scenario.json"), "utf8"));
const scenarios = [
  {
    name: "demo: fix the discount bug",
    task: "The discount test in this repo fails. Find the cause, fix it, run the tests, and note the fix in a changelog.",
    scenario: { ...demo, chunkDelayMs: 0 },
    cwd: () => {
      const dir = mkdtempSync(path.join(os.tmpdir(), "colleague-effort-demo-"));
      cpSync(path.join(root, "examples/demo-repo"), dir, { recursive: true });
      return dir;
    },
  },
  {
    name: "loop test: read, write, answer",
    task: "summarize notes.txt into out.txt",
    scenario: {
      steps: [
        { toolCalls: [{ name: "read_file", args: { path: "notes.txt" } }] },
        { toolCalls: [{ name: "write_file", args: { path: "out.txt", content: "two lines" } }] },
        { text: "Wrote the summary." },
      ],
    },
    cwd: () => temp({ "notes.txt": "alpha\nbeta\n" }),
  },
  {
    name: "failing tests, three edits to one file",
    task: "make the tests pass",
    scenario: {
      steps: [
        { toolCalls: [{ name: "shell", args: { command: "echo '2 failed'; exit 1" } }] },
        { toolCalls: [{ name: "write_file", args: { path: "a.js", content: "1" } }] },
        { toolCalls: [{ name: "shell", args: { command: "echo '1 failed'; exit 1" } }] },
        { toolCalls: [{ name: "write_file", args: { path: "a.js", content: "2" } }] },
        { toolCalls: [{ name: "write_file", args: { path: "a.js", content: "3" } }] },
        { toolCalls: [{ name: "shell", args: { command: "echo 'all passed'" } }] },
        { text: "Tests pass." },
      ],
    },
    cwd: () => temp(),
  },
  {
    name: "exploration, then a steer",
    task: "explore the repo and refactor the config loading",
    steerAtCall: "call_1_0",
    scenario: {
      steps: [
        { toolCalls: [{ name: "list", args: {} }] },
        { toolCalls: [{ name: "read_file", args: { path: "a.txt" } }, { name: "grep", args: { pattern: "x" } }] },
        { toolCalls: [{ name: "write_file", args: { path: "b.txt", content: "b" } }] },
        { text: "Done." },
      ],
    },
    cwd: () => temp({ "a.txt": "x\n" }),
  },
];

async function efforts(entry, effort) {
  const chosen = [];
  const base = createScriptedModel(entry.scenario);
  const model = {
    ...base,
    stream: (request) => {
      chosen.push(request.effort);
      return base.stream(request);
    },
  };
  const agent = await createAgent({ model, store: ":memory:", cwd: entry.cwd(), effort, userDir: temp(), permissionMode: "full-auto" });
  const inbox = new Inbox();
  const onEvent = (e) => {
    if (entry.steerAtCall && e.type === "tool_started" && e.callId === entry.steerAtCall) inbox.steer("use the env var instead");
  };
  const result = await agent.run(entry.task, { inbox, onEvent });
  agent.close();
  if (result.status !== "completed") throw new Error(`${entry.name} (${effort}): ${result.status} ${result.error ?? ""}`);
  return chosen;
}

const sum = (list) => list.reduce((a, e) => a + BUDGET[e], 0);
const rows = [];
const counts = { low: 0, medium: 0, high: 0, max: 0 };
for (const entry of scenarios) {
  const auto = await efforts(entry, "auto");
  const high = await efforts(entry, "high");
  for (const e of auto) counts[e] += 1;
  rows.push({ name: entry.name, requests: auto.length, auto: sum(auto), high: sum(high), efforts: auto.join(" ") });
}
for (const r of rows) console.log(`${r.name.padEnd(40)} ${String(r.requests).padStart(3)} requests  auto ${r.efforts}  share ${(r.auto / r.high).toFixed(2)}`);
const autoTotal = rows.reduce((a, r) => a + r.auto, 0);
const highTotal = rows.reduce((a, r) => a + r.high, 0);
console.log(
  JSON.stringify({
    name: "effort-share",
    scenarios: rows.length,
    requests: rows.reduce((a, r) => a + r.requests, 0),
    autoThinkingBudgetTokens: autoTotal,
    highThinkingBudgetTokens: highTotal,
    autoShareOfHigh: Number((autoTotal / highTotal).toFixed(3)),
    autoEfforts: counts,
  }),
);
