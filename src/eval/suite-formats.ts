import path from "node:path";
import { type EvalTask, loadSuite } from "./task.js";

export interface LoadedSuite {
  name: string;
  dir: string;
  tasks: EvalTask[];
}

/** A suite folder in the native task format. */
export function loadAnySuite(dir: string): LoadedSuite {
  const resolved = path.resolve(dir);
  return { name: path.basename(resolved), dir: resolved, tasks: loadSuite(resolved) };
}
