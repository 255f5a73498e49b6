// Monitor cost per tool call, against the built library: every tool call of the red-team set
// plus large file writes, screened by the monitors alone and by the whole policy hook
// (monitors + permissions, full-auto, no audit file). Prints ONE JSON line last.
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
const result = { bench: "monitors", calls: calls.length, ...screen, ...policy, budgetMs: 2 };
console.log(JSON.stringify(result));
