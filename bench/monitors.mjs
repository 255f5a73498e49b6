// Monitor cost per tool call, against the built library: every tool call of the red-team set
// plus large file writes, screened by the monitors alone and by the whole policy hook
// (monitors + permissions, full-auto, no audit file); then every item of every stage (red-team
// sets and the held-out corpus) one at a time, for the p95 per screened item, and the one-off
// cost of the first screen (the classifier's weights are decoded then). Prints ONE JSON line last.
// Run: npm run build && node bench/monitors.mjs
import { readFileSync } from "node:fs";
import { callText, createPolicyHooks, denyingApprover, Monitor } from "../dist/index.js";

const items = readFileSync(new URL("../src/policy/data/redteam.jsonl", import.meta.url), "utf8")
  .split("\n")
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l))
  .filter((i) => i.kind === "tool_call");
const bigFile = Array.from({ length: 400 }, (_, i) => `export function f${i}(a, b) { return a + b * ${i}; } // line ${i}`).join("\n");
const calls = [
  ...items.map((i, n) => ({ type: "tool_call", id: `c${n}`, name: i.tool, args: i.args })),
  { type: "tool_call", id: "big", name: "write_file", args: { path: "src/big.ts", content: bigFile } },
  { type: "tool_call", id: "npm", name: "shell", args: { command: "npm test -- --reporter=dot" } },
];

const monitor = new Monitor();
const firstStart = performance.now();
monitor.screen({ stage: "input", text: "warm the classifier" });
const firstScreenMs = performance.now() - firstStart;
const hooks = createPolicyHooks({ workspace: process.cwd(), layers: { user: {}, project: {} }, mode: "full-auto", approver: denyingApprover, interactive: false });
const tool = (name) => ({ name, readOnly: false });

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function measure(label, fn, rounds) {
  for (const call of calls) await fn(call); // warm-up
  const perCall = [];
  for (let r = 0; r < rounds; r++) {
    const start = performance.now();
    for (const call of calls) await fn(call);
    perCall.push((performance.now() - start) / calls.length);
  }
  return { [`${label}MeanMs`]: round(perCall.reduce((a, b) => a + b, 0) / perCall.length), [`${label}MedianMs`]: round(median(perCall)) };
}
const round = (n) => Math.round(n * 1000) / 1000;

const screen = await measure("monitor", (call) => monitor.screen({ stage: "tool_call", text: callText(call.name, call.args), tool: call.name }), 30);
const policy = await measure("policyHook", (call) => hooks.beforeToolCall(call, tool(call.name)), 30);
const stageOf = { request: "input", tool_call: "tool_call", tool_result: "tool_result", output: "output" };
const everyItem = ["redteam.jsonl", "corpus/heldout.jsonl"].flatMap((file) =>
  readFileSync(new URL(`../src/policy/data/${file}`, import.meta.url), "utf8")
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l))
    .map((i) => ({ stage: stageOf[i.kind], text: i.kind === "tool_call" ? callText(i.tool, i.args) : i.text, ...(i.tool ? { tool: i.tool } : {}) })),
);
everyItem.push({ stage: "tool_call", tool: "write_file", text: callText("write_file", { path: "src/big.ts", content: bigFile }) });
const perItem = [];
for (let r = 0; r < 5; r++) {
  for (const input of everyItem) {
    const start = performance.now();
    monitor.screen(input);
    perItem.push(performance.now() - start);
  }
}
perItem.sort((a, b) => a - b);
const p95ItemMs = round(perItem[Math.floor(perItem.length * 0.95)]);
const maxItemMs = round(perItem.at(-1));
const result = { bench: "monitors", calls: calls.length, ...screen, ...policy, items: everyItem.length, p95ItemMs, maxItemMs, firstScreenMs: round(firstScreenMs), budgetMs: 2 };
console.log(JSON.stringify(result));
