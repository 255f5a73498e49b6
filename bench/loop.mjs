// The agent loop's own cost per step, in process: the built library (dist/) with the scripted
// model, a real SQLite session store and one no-op tool, so no HTTP, no SDK and no process
// spawn is counted. Prints one JSON object as its last line (see bench/README.md).
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { z } from "zod";
import { createAgent, createScriptedModel, defineTool } from "../dist/index.js";

const STEPS = 200;
const RUNS = 5;

const noop = defineTool({
  name: "noop",
  description: "Does nothing.",
  readOnly: false,
  parameters: z.object({ i: z.number() }),
  execute: async ({ i }) => ({ content: `step ${i} done. `.repeat(20) }),
});

async function once(steps) {
  const dir = mkdtempSync(path.join(os.tmpdir(), "colleague-bench-loop-"));
  const script = [
    ...Array.from({ length: steps }, (_, i) => ({ text: "Working on it.", toolCalls: [{ name: "noop", args: { i } }] })),
    { text: "Done." },
  ];
  const agent = await createAgent({
    model: createScriptedModel({ steps: script }),
    store: path.join(dir, "sessions.db"),
    cwd: dir,
    tools: [noop],
    maxSteps: steps + 5,
    // Guarded as users get it; nobody is there to approve, so full-auto.
    permissionMode: "full-auto",
  });
  const started = performance.now();
  const cpu = process.cpuUsage();
  const result = await agent.run("Run the no-op tool until the script ends.");
  const used = process.cpuUsage(cpu);
  const wallMs = performance.now() - started;
  agent.close();
  rmSync(dir, { recursive: true, force: true });
  // A run that did not complete is not timed: throwing exits non-zero and bench/run.mjs reports the row failed.
  if (result.status !== "completed" || result.steps !== steps + 1 || result.answer !== "Done.") {
    throw new Error(`run did not complete: ${result.status} after ${result.steps} steps, answer ${JSON.stringify(result.answer)}`);
  }
  return { wall: wallMs / steps, cpu: (used.user + used.system) / 1000 / steps };
}

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)], min: s[0], max: s.at(-1), n: s.length };
};

await once(50); // warm-up
const runs = [];
for (let i = 0; i < RUNS; i++) runs.push(await once(STEPS));
console.log(
  JSON.stringify({
    name: "loop",
    rows: [
      { metric: `wall per step (${STEPS} steps, in process)`, unit: "ms", ...stats(runs.map((r) => r.wall)) },
      { metric: `CPU per step (${STEPS} steps, in process)`, unit: "ms", ...stats(runs.map((r) => r.cpu)) },
    ],
  }),
);
