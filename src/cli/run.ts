import { COMMANDS } from "./commands.js";
import { parseFlags } from "./args.js";
import { launchTask, outputFormatOf } from "./launch.js";

export const runFlags = COMMANDS.run.flags;

/** `colleague run "<task>"`: one task, carried through to the end, streamed. */
export async function runCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, runFlags, "run");
  return launchTask({
    values,
    task: positionals.join(" ").trim(),
    format: outputFormatOf(values, "human"),
    usage: 'run: give a task, e.g. colleague run "fix the failing test"',
  });
}
