import { CAUSES, type Cause } from "./diagnose.js";
import type { RunRecord } from "./eval-store.js";
import { meanPassAtK, wilsonInterval } from "./pass-at-k.js";

export interface ModelSummary {
  model: string;
  runs: number;
  passes: number;
  passRate: number;
  /** Wilson 95% interval of the pass rate over runs. */
  interval: { low: number; high: number };
  /** pass@1 … pass@k, unbiased, averaged over tasks. */
  passAtK: { k: number; value: number }[];
  costUsd: number;
  meanCostUsd: number;
  meanDurationMs: number;
  meanSteps: number;
  inputTokens: number;
  outputTokens: number;
  causes: Partial<Record<Cause, number>>;
}

export interface TaskCell {
  taskId: string;
  model: string;
  attempts: number;
  passes: number;
  meanDurationMs: number;
}

export interface EvalSummary {
  models: ModelSummary[];
  tasks: string[];
  cells: TaskCell[];
  /** Failed runs per cause, over all models. */
  causes: { cause: Cause; count: number }[];
}

export function summarize(runs: RunRecord[], models = [...new Set(runs.map((r) => r.model))]): EvalSummary {
  const tasks = [...new Set(runs.map((r) => r.taskId))].sort();
  const cells: TaskCell[] = [];
  for (const taskId of tasks)
    for (const model of models) {
      const mine = runs.filter((r) => r.taskId === taskId && r.model === model);
      if (!mine.length) continue;
      cells.push({ taskId, model, attempts: mine.length, passes: mine.filter((r) => r.pass).length, meanDurationMs: mean(mine.map((r) => r.durationMs)) });
    }
  const summaries = models.map((model): ModelSummary => {
    const mine = runs.filter((r) => r.model === model);
    const passes = mine.filter((r) => r.pass).length;
    const perTask = cells.filter((c) => c.model === model).map((c) => ({ n: c.attempts, c: c.passes }));
    const maxK = Math.max(0, ...perTask.map((t) => t.n));
    const passAtK: ModelSummary["passAtK"] = [];
    for (let k = 1; k <= maxK; k++) {
      const value = meanPassAtK(perTask, k);
      if (value !== undefined) passAtK.push({ k, value });
    }
    const causes: Partial<Record<Cause, number>> = {};
    for (const r of mine) if (!r.pass && r.cause) causes[r.cause as Cause] = (causes[r.cause as Cause] ?? 0) + 1;
    const cost = mine.reduce((s, r) => s + r.costUsd, 0);
    return {
      model,
      runs: mine.length,
      passes,
      passRate: mine.length ? passes / mine.length : 0,
      interval: wilsonInterval(passes, mine.length),
      passAtK,
      costUsd: cost,
      meanCostUsd: mine.length ? cost / mine.length : 0,
      meanDurationMs: mean(mine.map((r) => r.durationMs)),
      meanSteps: mean(mine.map((r) => r.steps)),
      inputTokens: mine.reduce((s, r) => s + r.inputTokens, 0),
      outputTokens: mine.reduce((s, r) => s + r.outputTokens, 0),
      causes,
    };
  });
  const causes = CAUSES.map((cause) => ({ cause, count: runs.filter((r) => !r.pass && r.cause === cause).length })).filter((c) => c.count > 0);
  return { models: summaries, tasks, cells, causes };
}

function mean(values: number[]): number {
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0;
}
