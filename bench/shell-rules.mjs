// The cost of reading shell lines for permission rules, against the built library: the one-time
// load of the bash grammar (web-tree-sitter + tree-sitter-bash.wasm, in a fresh process each
// time) and a permission decision per typical line (a parse, the walk, the rule matching).
// Also checks that the event loop is not held after the first parse. Prints ONE JSON line last. Run: npm run build && node bench/shell-rules.mjs
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const LOAD_RUNS = 5;
const ROUNDS = 30;
const rules = { mode: "full-auto", deny: ["shell: rm *", "shell: git push *"], ask: ["shell: curl *"], allow: ["shell: git *", "shell: npm *"] };

if (process.argv[2] === "--load-once") {
  const { PermissionPolicy } = await import("../dist/index.js");
  const start = performance.now();
  const policy = new PermissionPolicy({ user: { permissions: rules }, project: {} });
  await policy.ready();
  const ms = performance.now() - start;
  const first = performance.now();
  const decision = policy.decide({ type: "tool_call", id: "c", name: "shell", args: { command: "sh -c 'rm x'" } }, undefined, process.cwd());
  const firstMs = performance.now() - first;
  // How long the event loop is held after the first parse (V8 optimising the grammar held it for seconds).
  const tick = performance.now();
  await new Promise((resolve) => setTimeout(resolve, 0));
  console.log(JSON.stringify({ ms, firstMs, stallMs: performance.now() - tick, read: decision.decision === "deny" }));
  process.exit(0);
}

// The first shell call of a process as the policy hooks make it: ready(call), then decide.
// A plain line is read without the grammar; a quoted one loads it first.
if (process.argv[2] === "--first-call") {
  const { PermissionPolicy } = await import("../dist/index.js");
  const line = process.argv[3];
  const start = performance.now();
  const policy = new PermissionPolicy({ user: { permissions: rules }, project: {} });
  const shellCall = { type: "tool_call", id: "c", name: "shell", args: { command: line } };
  await policy.ready(shellCall);
  const decision = policy.decide(shellCall, undefined, process.cwd()).decision;
  console.log(JSON.stringify({ ms: performance.now() - start, decision }));
  process.exit(0);
}

const problems = [];
const FIRST_CALLS = [
  ["npm test -- --reporter=dot", "allow"],
  ["grep -rn 'TODO' .", "allow"],
];
const firstCall = Object.fromEntries(FIRST_CALLS.map(([line]) => [line, []]));
for (let i = 0; i < LOAD_RUNS; i++) {
  for (const [line, expected] of FIRST_CALLS) {
    const out = spawnSync(process.execPath, [fileURLToPath(import.meta.url), "--first-call", line], { encoding: "utf8" });
    try {
      const result = JSON.parse(out.stdout.trim().split("\n").at(-1));
      if (result.decision !== expected) problems.push(`first call \`${line}\`: ${result.decision}, expected ${expected}`);
      firstCall[line].push(result.ms);
    } catch {
      problems.push(`first call run ${i} failed: ${out.stderr.trim().split("\n").at(-1) ?? `exit ${out.status}`}`);
    }
  }
}
const loads = [];
const firsts = [];
const stalls = [];
for (let i = 0; i < LOAD_RUNS; i++) {
  const out = spawnSync(process.execPath, [fileURLToPath(import.meta.url), "--load-once"], { encoding: "utf8" });
  try {
    const result = JSON.parse(out.stdout.trim().split("\n").at(-1));
    if (!result.read) problems.push("after loading, `sh -c 'rm x'` was not denied: the parser did not read it");
    loads.push(result.ms);
    firsts.push(result.firstMs);
    stalls.push(result.stallMs);
  } catch {
    problems.push(`load run ${i} failed: ${out.stderr.trim().split("\n").at(-1) ?? `exit ${out.status}`}`);
  }
}

const { PermissionPolicy } = await import("../dist/index.js");
const policy = new PermissionPolicy({ user: { permissions: rules }, project: {} });
await policy.ready();
const lines = [
  ["git status", "allow"],
  ["npm test -- --reporter=dot", "allow"],
  ["cd src && grep -rn 'TODO' . | head -20", "allow"],
  ["sh -c 'make && ./run.sh'", "allow"],
  ["find . -name '*.ts' -exec wc -l {} +", "allow"],
  ["sudo env nice timeout 5 sh -c 'xargs rm'", "deny"],
];
const call = (command) => ({ type: "tool_call", id: "c", name: "shell", args: { command } });
for (const [line, expected] of lines) {
  const got = policy.decide(call(line), undefined, process.cwd()).decision;
  if (got !== expected) problems.push(`${line}: ${got}, expected ${expected}`);
}

// Each measured line is new (a counter as its last word), so every decision parses afresh.
let unique = 0;
const perLine = [];
for (let r = 0; r < ROUNDS; r++) {
  const start = performance.now();
  for (const [line] of lines) policy.decide(call(`${line} ${unique++}`), undefined, process.cwd());
  perLine.push(((performance.now() - start) / lines.length) * 1000);
}

const stats = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return { median: round(sorted[Math.floor(sorted.length / 2)]), min: round(sorted[0]), max: round(sorted.at(-1)), n: values.length };
};
const round = (n) => Math.round(n * 10) / 10;
const readsPlain = (line) => !/['"$`*{}()<>\\#~]/.test(line);

if (problems.length > 0) {
  console.log(JSON.stringify({ name: "shell-rules", ok: false, problems }));
  process.exit(1);
}
console.log(
  JSON.stringify({
    name: "shell-rules",
    rows: [
      { metric: "grammar load (web-tree-sitter + bash), once per process", unit: "ms", ...stats(loads) },
      { metric: "first permission decision after the load", unit: "ms", ...stats(firsts) },
      ...FIRST_CALLS.map(([line]) => ({
        metric: `first shell call of a process, ready + decide: \`${line}\`${readsPlain(line) ? " (plain: no grammar)" : " (loads the grammar)"}`,
        unit: "ms",
        ...stats(firstCall[line]),
      })),
      { metric: "event loop held after the first parse", unit: "ms", ...stats(stalls), target: { max: 50 } },
      { metric: `permission decision per shell line (parsed afresh; ${lines.length} typical lines)`, unit: "µs", ...stats(perLine) },
    ],
  }),
);
