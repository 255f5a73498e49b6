import type { RunRecord } from "./eval-store.js";

/** One line of a SWE-bench predictions file. */
export interface SweBenchPrediction {
  instance_id: string;
  model_name_or_path: string;
  model_patch: string;
}

/**
 * SWE-bench-style predictions from an evaluation's runs: the workspace's diff per run. The
 * instance id is the task's folder name (a SWE-bench instance id when the suite came from one);
 * with several attempts only the first (attempt 0) is exported, as the harness takes one
 * prediction per instance and model.
 */
export function sweBenchPredictions(runs: RunRecord[]): SweBenchPrediction[] {
  return runs
    .filter((r) => r.attempt === 0 && r.patch !== undefined)
    .map((r) => ({ instance_id: r.taskId.split("/").slice(1).join("/") || r.taskId, model_name_or_path: r.model, model_patch: r.patch! }));
}
