import { totalTokens, type Usage } from "../model/types.js";
import type { SessionStatus } from "./events.js";

/** What the stop predicates look at, after each step. */
export interface Progress {
  step: number;
  usage: Usage;
  costUsd: number;
}

export interface Stop {
  status: SessionStatus;
  reason: string;
}

/** A stop condition: a small predicate checked before each model request. */
export type StopCondition = (progress: Progress) => Stop | undefined;

export const stepLimit =
  (maxSteps: number): StopCondition =>
  (p) =>
    p.step >= maxSteps ? { status: "max_steps", reason: `reached the step limit (${maxSteps} steps)` } : undefined;

export const usdBudget =
  (budgetUsd: number): StopCondition =>
  (p) =>
    p.costUsd >= budgetUsd
      ? { status: "budget", reason: `spent $${p.costUsd.toFixed(4)} of the $${budgetUsd} budget` }
      : undefined;

export const tokenBudget =
  (budgetTokens: number): StopCondition =>
  (p) => {
    const used = totalTokens(p.usage);
    return used >= budgetTokens ? { status: "budget", reason: `used ${used} of the ${budgetTokens}-token budget` } : undefined;
  };

export function firstStop(conditions: readonly StopCondition[], progress: Progress): Stop | undefined {
  for (const condition of conditions) {
    const stop = condition(progress);
    if (stop) return stop;
  }
  return undefined;
}
