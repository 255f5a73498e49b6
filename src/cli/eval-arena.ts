import path from "node:path";
import { type EvalStore, evalStoreLocation, openEvalStore } from "../eval/eval-store.js";
import type { EvalOutcome } from "../eval/runner.js";
import { runEval } from "../eval/runner.js";
import { summarize } from "../eval/summary.js";
import { TaskError } from "../eval/task.js";
import { Host } from "../host/host.js";
import { denyingApprover } from "../policy/approver.js";
import type { RunRecord } from "../eval/eval-store.js";
import { parseFlags } from "./args.js";
import { queueUrlOf } from "./queue-run.js";
import { interruptible } from "./setup.js";
import { EXIT, UsageError } from "./errors.js";

/** Flags of `colleague eval run|report|compare|export|list` (eval safety keeps its own). */
export const ARENA_FLAGS = {
  model: { type: "string", multiple: true, value: "MODEL", help: "a model id, or `scripted` for each task's own solution (repeat for several)" },
  k: { type: "string", short: "k", value: "N", help: "attempts per task and model, for pass@k (default 1)" },
  concurrency: { type: "string", value: "N", help: "runs at a time (default 1)" },
  id: { type: "string", value: "ID", help: "the evaluation's id: a rerun with the same id continues it (default: a new id; report/compare/export: the newest)" },
  db: { type: "string", value: "FILE", help: "the evaluation store (default ~/.colleague/evals.db)" },
  task: { type: "string", multiple: true, value: "TEXT", help: "only tasks whose id contains TEXT" },
  out: { type: "string", value: "DIR|FILE", help: "report (or run, once it finished): the folder for report.html and report.md; export: the JSONL file (default stdout)" },
  judge: { type: "string", value: "MODEL", help: "compare: the judge model (`scripted:FILE` offline)" },
  diagnose: { type: "string", value: "MODEL", help: "run: a model that names a failed run's cause (offline rules otherwise)" },
  "keep-workspaces": { type: "boolean", help: "keep each run's workspace folder" },
  json: { type: "boolean", help: "one JSON object per run (run) or the summary as JSON" },
  queue: { type: "string", value: "URL", help: "run: put each run on this Redis queue (redis://…) for `colleague worker`s, and wait for them" },
  "queue-name": { type: "string", value: "NAME", help: "the queue's name in Redis (default colleague-sessions)" },
  store: { type: "string", value: "URL", help: "the session store; when it is postgres://…, evaluations are kept there too (the workers record runs in it)" },
  workspaces: { type: "string", value: "DIR", help: "run with --queue: the folder for runs' workspaces, seen by every worker (default: each worker's temp folder)" },
} as const;

export const ARENA_WORDS = ["run", "report", "compare", "export", "list"] as const;

type Flags = ReturnType<typeof parseFlags<typeof ARENA_FLAGS>>["values"];

export async function evalArenaCommand(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const { values, positionals } = parseFlags(argv, ARENA_FLAGS, "eval");
  const [word, ...rest] = positionals;
  const store = await openEvalStore(evalStoreLocation(env, values));
  const out = (line: string) => process.stdout.write(`${line}\n`);
  try {
    switch (word) {
      case "run":
        return await runCommand(values, rest, store, env, out);
      case "list":
        for (const e of store.listEvals()) out(`${e.id}  ${e.suite}  ${e.models.join(", ")}  k=${e.k}  ${store.runs(e.id).length} runs`);
        return EXIT.ok;
      default: {
        const command = (await import("./eval-arena-more.js")).moreCommands[word as string];
        if (!command) throw new UsageError(`eval: unknown command "${word}" (run, report, compare, export, list, safety)`);
        return await command(values, rest, store, env, out);
      }
    }
  } catch (error) {
    if (error instanceof TaskError) throw new UsageError(`eval: ${error.message}`);
    throw error;
  } finally {
    store.close();
  }
}

const positiveInt = (name: string, value: string | undefined, fallback: number) => {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${name} must be a whole number ≥ 1, got "${value}"`);
  return n;
};

async function runCommand(values: Flags, rest: string[], store: EvalStore, env: NodeJS.ProcessEnv, out: (line: string) => void): Promise<number> {
  const resuming = values.id ? store.getEval(values.id) : undefined;
  const suiteDir = rest[0] ?? resuming?.suiteDir;
  if (!suiteDir) throw new UsageError("eval run: which suite? (colleague eval run <suite-folder> --model MODEL)");
  const models = values.model?.length ? values.model : ["scripted"];
  if (resuming && values.model?.length && values.model.join() !== resuming.models.join())
    throw new UsageError(`eval run: ${values.id} was started with --model ${resuming.models.join(" --model ")}; a resumed evaluation keeps its models`);
  const queueUrl = queueUrlOf(values, env);
  const stopper = interruptible();
  const common = {
    store,
    suiteDir,
    models,
    k: positiveInt("k", values.k, 1),
    ...(values.id ? { evalId: values.id } : {}),
    ...(values.task?.length ? { only: values.task } : {}),
    ...(values["keep-workspaces"] ? { keepWorkspaces: true } : {}),
    signal: stopper.signal,
    onRun: (r: RunRecord) =>
      values.json
        ? out(JSON.stringify(r))
        : out(`${r.pass ? "PASS" : "FAIL"}  ${r.taskId}  ${r.model}#${r.attempt}  ${r.steps} steps  ${(r.durationMs / 1000).toFixed(1)}s  $${r.costUsd.toFixed(4)}${r.pass ? "" : `  ${r.cause ?? ""}: ${r.reasons[0] ?? ""}`}`),
  };
  const host = queueUrl ? undefined : new Host({ env, approver: denyingApprover, onNotice: (line) => process.stderr.write(`colleague: ${line}\n`) });
  try {
    let outcome: EvalOutcome;
    if (queueUrl) {
      if (values.diagnose) throw new UsageError("eval run: with --queue the workers diagnose failed runs by the offline rules (--diagnose is for a run here)");
      const { runEvalOnQueue } = await import("../eval/queued-runner.js");
      if (!values.json) process.stderr.write(`colleague: runs queued on ${queueUrl.replace(/\/\/[^@/]*@/, "//***@")}; waiting for workers (colleague worker --queue …)\n`);
      outcome = await runEvalOnQueue({
        ...common,
        redisUrl: queueUrl,
        ...(values["queue-name"] ? { queueName: values["queue-name"] } : {}),
        ...(values.workspaces ? { workspaceRoot: path.resolve(values.workspaces) } : {}),
      });
    } else {
      const diagnoser = values.diagnose ? (await import("../eval/diagnose-model.js")).modelDiagnoser(await resolveModel(values.diagnose)) : undefined;
      outcome = await runEval({ ...common, host: host!, concurrency: positiveInt("concurrency", values.concurrency, 1), ...(diagnoser ? { diagnoser } : {}) });
    }
    const summary = summarize(outcome.runs, store.getEval(outcome.evalId)?.models);
    if (values.json) out(JSON.stringify({ evalId: outcome.evalId, ran: outcome.ran, skipped: outcome.skipped, interrupted: outcome.interrupted, models: summary.models }));
    else {
      if (outcome.skipped) out(`(${outcome.skipped} runs were already recorded and were not repeated)`);
      for (const m of summary.models)
        out(
          `${m.model}: ${m.passes}/${m.runs} passed (${pct(m.passRate)}, 95% ${pct(m.interval.low)}–${pct(m.interval.high)})  ${m.passAtK.map((p) => `pass@${p.k} ${pct(p.value)}`).join("  ")}  $${m.costUsd.toFixed(4)}`,
        );
      out(outcome.interrupted ? `interrupted: continue with  colleague eval run --id ${outcome.evalId}` : `evaluation ${outcome.evalId}; report: colleague eval report --id ${outcome.evalId}`);
    }
    if (!outcome.interrupted && typeof values.out === "string") {
      const { moreCommands } = await import("./eval-arena-more.js");
      await moreCommands.report!({ ...values, id: outcome.evalId }, [], store, env, values.json ? () => {} : out);
    }
    return outcome.interrupted ? EXIT.interrupted : EXIT.ok;
  } finally {
    stopper.dispose();
    host?.close();
  }
}

export async function resolveModel(id: string) {
  const { createConfiguredModel } = await import("../config/models.js");
  const { loadConfig } = await import("../config/config.js");
  return createConfiguredModel(id, loadConfig(process.cwd()).config);
}

export const pct = (x: number) => `${(x * 100).toFixed(0)}%`;
