// The scripted sessions the bench plays, and the state each must leave the repo in.
// They run on a fresh copy of examples/demo-repo (a small module with a failing test).
// `expect` lines make the fake answer 400 when a tool result is not what a working harness
// would send, so a run that "finishes" with broken tools is caught, not timed.
import { readFileSync } from "node:fs";
import path from "node:path";

export const TASK = "The discount test fails; fix it, run the test, and note the fix in a changelog.";

const FIXED_LINE = "  const discounted = gross * (1 - discountPercent / 100);";
const CHANGELOG = "# Changelog\n\n- Fix: `total` applies the discount as a percentage of the subtotal.\n";

/** The eight tool calls of a short coding session: list, read, grep, read, edit, test, write, shell. */
const codingSteps = [
  { text: "Looking at the project first.", toolCalls: [{ name: "list", args: { path: "." } }] },
  {
    expect: { lastMessageIncludes: ["cart.js"] },
    toolCalls: [{ name: "read_file", args: { path: "src/cart.js" } }],
  },
  {
    expect: { lastMessageIncludes: ["discountPercent"] },
    thinking: "total() subtracts the percentage as an amount. Does anything else use discountPercent?",
    toolCalls: [{ name: "grep", args: { pattern: "discountPercent", path: "." } }],
  },
  {
    expect: { toolResultsOk: true },
    toolCalls: [{ name: "read_file", args: { path: "test/cart.test.js" } }],
  },
  {
    expect: { lastMessageIncludes: ["total applies a percentage discount"] },
    text: "The test expects 12.6 for 10% off 14. Fixing the formula.",
    toolCalls: [
      {
        name: "edit_file",
        args: { path: "src/cart.js", old_string: "  const discounted = gross - discountPercent;", new_string: FIXED_LINE },
      },
    ],
  },
  {
    expect: { toolResultsOk: true },
    // The test file itself, not `npm test`: npm's own start-up (~0.5 s) would swamp the harness's time.
    toolCalls: [{ name: "shell", args: { command: "node test/cart.test.js" } }],
  },
  {
    expect: { toolResultsOk: true, lastMessageIncludes: ["# pass 3", "# fail 0"] },
    toolCalls: [{ name: "write_file", args: { path: "CHANGELOG.md", content: CHANGELOG } }],
  },
  {
    expect: { toolResultsOk: true },
    toolCalls: [{ name: "shell", args: { command: "wc -l src/cart.js CHANGELOG.md" } }],
  },
];

const answer = {
  expect: { toolResultsOk: true, lastMessageIncludes: ["CHANGELOG.md"] },
  text: "Fixed: `total()` now applies the discount as a percentage (`gross * (1 - discountPercent / 100)`). The tests pass (3 of 3) and CHANGELOG.md records the fix.",
};

/** Extra cheap shell steps, for the per-step cost. */
const shellSteps = (n) =>
  Array.from({ length: n }, (_, i) => ({
    expect: { toolResultsOk: true },
    toolCalls: [{ name: "shell", args: { command: `echo step ${i + 1}` } }],
  }));

/** Extra read_file steps: the per-step cost without a process spawn. */
const readSteps = (n) =>
  Array.from({ length: n }, () => ({
    expect: { toolResultsOk: true },
    toolCalls: [{ name: "read_file", args: { path: "src/cart.js" } }],
  }));

/** session10: the task, 8 tool calls, the answer: 9 model requests (as in the peers' table). */
export const session10 = { name: "bench session10", steps: [...codingSteps, answer] };

/** session30: the same session with 20 more shell steps before the answer. */
export const session30 = {
  name: "bench session30",
  steps: [...codingSteps, ...shellSteps(20), { ...answer, expect: { toolResultsOk: true, lastMessageIncludes: ["step 20"] } }],
};

/** session30 with 20 read_file steps instead of shell ones: the harness without spawns. */
export const session30read = {
  name: "bench session30 (read_file)",
  steps: [...codingSteps, ...readSteps(20), { ...answer, expect: { toolResultsOk: true, lastMessageIncludes: ["discountPercent"] } }],
};

/** hello: one request, no tool calls: start-up and shutdown. */
export const hello = { name: "bench hello", steps: [{ text: "Hello! What should I work on?" }] };

/** Whether the repo ended as the coding session leaves it; returns what is wrong, if anything. */
export function fixedRepoProblem(repo) {
  const cart = readFileSync(path.join(repo, "src/cart.js"), "utf8");
  if (!cart.includes(FIXED_LINE)) return "src/cart.js was not fixed";
  let changelog = "";
  try {
    changelog = readFileSync(path.join(repo, "CHANGELOG.md"), "utf8");
  } catch {
    return "CHANGELOG.md was not written";
  }
  if (changelog !== CHANGELOG) return "CHANGELOG.md has the wrong content";
  return undefined;
}

/** The hello session must leave the repo untouched. */
export function untouchedRepoProblem(repo) {
  const cart = readFileSync(path.join(repo, "src/cart.js"), "utf8");
  return cart.includes("gross - discountPercent") ? undefined : "src/cart.js changed";
}
