// How fast `interrupt()` stops a running tool: time from the call to the `tool_finished` event
// of a running `sleep 30` (the shell tool kills its process group), and to the `interrupted`
// event. The issue asks for under 300 ms. Runs against the built library (dist/):
// `npm run build && node bench/interrupt-latency.mjs`. Prints one JSON line last. A run in
// which no interrupt took effect is a failure (exit 1), never a 0 ms figure.
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const { createAgent, createScriptedModel, Inbox } = await import(path.join(root, "dist/index.js"));
const RUNS = Number(process.env.RUNS ?? 7);

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

async function once() {
  const model = createScriptedModel({ steps: [{ toolCalls: [{ name: "shell", args: { command: "echo up; sleep 30" } }] }] });
  const cwd = mkdtempSync(path.join(os.tmpdir(), "colleague-interrupt-"));
  const agent = await createAgent({ model, store: ":memory:", cwd, userDir: cwd, permissionMode: "full-auto" });
  const inbox = new Inbox();
  let at = 0;
  let toolMs = 0;
  let eventMs = 0;
  let toolFinished = false;
  let interrupted = false;
  const result = await agent.run("sleep", {
    inbox,
    onEvent: (e) => {
      if (e.type === "tool_output" && !at) {
        at = performance.now();
        inbox.interrupt();
      }
      if (e.type === "tool_finished" && at) {
        toolFinished = true;
        toolMs = performance.now() - at;
      }
      if (e.type === "interrupted" && at) {
        interrupted = true;
        eventMs = performance.now() - at;
      }
    },
  });
  agent.close();
  // A run where the tool never started, never finished or no interrupt arrived measured nothing.
  const problem = !at
    ? "the tool produced no output, so it was never interrupted"
    : !toolFinished
      ? "no tool_finished event after the interrupt"
      : !interrupted
        ? `no interrupted event (the run ended ${result.status})`
        : undefined;
  return { toolMs, eventMs, problem };
}

const runs = [];
for (let i = 0; i < RUNS; i++) runs.push(await once());
const problems = runs.flatMap((r, i) => (r.problem ? [`run ${i + 1}: ${r.problem}`] : []));
if (problems.length) {
  process.stderr.write(`interrupt-latency: FAILED — ${problems.join("; ")}\n`);
  process.exitCode = 1;
  console.log(JSON.stringify({ name: "interrupt-latency", ok: false, problems, runs: RUNS, rows: [] }));
} else {
  console.log(
    JSON.stringify({
      name: "interrupt-latency",
      ok: true,
      runs: RUNS,
      toolKilledMedianMs: Number(median(runs.map((r) => r.toolMs)).toFixed(1)),
      interruptedEventMedianMs: Number(median(runs.map((r) => r.eventMs)).toFixed(1)),
      worstMs: Number(Math.max(...runs.map((r) => r.eventMs)).toFixed(1)),
    }),
  );
}
