import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { EvalRow, EvalStore } from "../eval/eval-store.js";
import { htmlReport, markdownReport } from "../eval/report.js";
import { sweBenchPredictions } from "../eval/swe-bench.js";
import { UsageError } from "./errors.js";
import { EXIT } from "./errors.js";

type Values = Record<string, unknown>;
type Command = (values: Values, rest: string[], store: EvalStore, env: NodeJS.ProcessEnv, out: (line: string) => void) => Promise<number>;

/** The evaluation named by --id, or the newest one. */
export function chooseEval(store: EvalStore, id: unknown): EvalRow {
  const row = typeof id === "string" ? store.getEval(id) : store.listEvals()[0];
  if (!row) throw new UsageError(typeof id === "string" ? `eval: no evaluation "${id}" (colleague eval list)` : "eval: no evaluation yet (colleague eval run <suite>)");
  return row;
}

const report: Command = async (values, _rest, store, _env, out) => {
  const evaluation = chooseEval(store, values.id);
  const dir = path.resolve(typeof values.out === "string" ? values.out : `eval-report-${evaluation.id}`);
  mkdirSync(dir, { recursive: true });
  const { ratingsFor } = await import("../eval/compare.js");
  const runs = store.runs(evaluation.id);
  const ratings = ratingsFor(store, evaluation);
  const input = { evaluation, runs, ...(ratings.length ? { ratings } : {}) };
  writeFileSync(path.join(dir, "report.html"), htmlReport(input));
  writeFileSync(path.join(dir, "report.md"), markdownReport(input));
  out(`${path.join(dir, "report.html")}\n${path.join(dir, "report.md")}`);
  return EXIT.ok;
};

const exportCommand: Command = async (values, _rest, store, _env, out) => {
  const evaluation = chooseEval(store, values.id);
  const lines = sweBenchPredictions(store.runs(evaluation.id));
  const text = lines.map((l) => JSON.stringify(l)).join("\n");
  if (typeof values.out === "string") {
    writeFileSync(values.out, text ? `${text}\n` : "");
    process.stderr.write(`${lines.length} predictions written to ${values.out}\n`);
  } else if (text) out(text);
  return EXIT.ok;
};

/** report, compare and export: loaded only when asked for. */
export const moreCommands: Record<string, Command> = {
  report,
  export: exportCommand,
  compare: async (values, rest, store, env, out) => (await import("./eval-compare.js")).compareCommand(values, rest, store, env, out),
};
