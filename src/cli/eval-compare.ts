import path from "node:path";
import { compareEval } from "../eval/compare.js";
import type { EvalStore } from "../eval/eval-store.js";
import { rate } from "../eval/ratings.js";
import { loadAnySuite } from "../eval/suite-formats.js";
import { chooseEval } from "./eval-arena-more.js";
import { resolveModel } from "./eval-arena.js";
import { EXIT, UsageError } from "./errors.js";

/** `colleague eval compare --judge MODEL [--id ID]`: blind pairwise judgements, then Bradley–Terry / Elo. */
export async function compareCommand(values: Record<string, unknown>, _rest: string[], store: EvalStore, _env: NodeJS.ProcessEnv, out: (line: string) => void): Promise<number> {
  const evaluation = chooseEval(store, values.id);
  if (evaluation.models.length < 2) throw new UsageError(`eval compare: ${evaluation.id} has one model; a comparison needs two or more`);
  if (typeof values.judge !== "string") throw new UsageError("eval compare: --judge MODEL is required (the model that compares deliverables)");
  const judge = await resolveModel(values.judge);
  const tasks = new Map(loadAnySuite(evaluation.suiteDir).tasks.map((t) => [t.id, t.spec.instruction]));
  const outcomes = await compareEval(store, evaluation, judge, (id) => tasks.get(id) ?? id);
  const ratings = rate(evaluation.models, outcomes);
  if (values.json) out(JSON.stringify({ evalId: evaluation.id, judgements: outcomes.length, ratings }));
  else {
    out(`${outcomes.length} judgements (each in both orders) on ${path.basename(evaluation.suiteDir)}`);
    for (const r of ratings) out(`${r.model.padEnd(40)} Elo ${r.elo.toFixed(0)}  (95% ${r.low.toFixed(0)}–${r.high.toFixed(0)})`);
  }
  return EXIT.ok;
}
