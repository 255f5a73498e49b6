import path from "node:path";
import { isTerminalBenchTask, loadTerminalBenchSuite } from "./terminal-bench.js";
import { type EvalTask, loadSuite } from "./task.js";
import { existsSync, readdirSync } from "node:fs";

export interface LoadedSuite {
  name: string;
  dir: string;
  tasks: EvalTask[];
}

/** A suite folder in the native task format or the Terminal-Bench format (a folder of tasks, or one task). */
export function loadAnySuite(dir: string): LoadedSuite {
  const resolved = path.resolve(dir);
  const terminalBench =
    isTerminalBenchTask(resolved) || (existsSync(resolved) && readdirSync(resolved).some((name) => isTerminalBenchTask(path.join(resolved, name))));
  return { name: path.basename(resolved), dir: resolved, tasks: terminalBench ? loadTerminalBenchSuite(resolved) : loadSuite(resolved) };
}
