import { launchTask, outputFormatOf, type LaunchFlags } from "./launch.js";

/**
 * `colleague -p "<task>"` (and `colleague "<task>"` without a terminal): one task, only the
 * final answer on stdout, progress on stderr, exit codes as `run`. On a terminal without -p,
 * a task streams as `run` does. `--continue` / `--last` carry on the folder's newest session.
 */
export async function printCommand(
  values: LaunchFlags & { continue?: boolean; last?: boolean },
  positionals: string[],
  how: { mode: "print" | "stream" },
): Promise<number> {
  return launchTask({
    values,
    task: positionals.join(" ").trim(),
    format: outputFormatOf(values, how.mode === "print" ? "text" : "human"),
    continueLatest: values.continue === true || values.last === true,
    usage: 'give a task: colleague -p "fix the failing test" (or pipe one in: echo "…" | colleague -p)',
  });
}
