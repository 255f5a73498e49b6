import { COMMANDS } from "./commands.js";
import { parseFlags } from "./args.js";
import { UsageError } from "./errors.js";
import { launchTask, outputFormatOf } from "./launch.js";
import { queueTask, queueUrlOf } from "./queue-run.js";

export const runFlags = COMMANDS.run.flags;

/** `colleague run "<task>"`: one task, carried through to the end, streamed. */
export async function runCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, runFlags, "run");
  const queueUrl = queueUrlOf(values);
  if (queueUrl) return queueTask(values, positionals.join(" ").trim(), queueUrl);
  if (values.wait) throw new UsageError("--wait waits for a queued session; give --queue too");
  return launchTask({
    values,
    task: positionals.join(" ").trim(),
    format: outputFormatOf(values, "human"),
    usage: 'run: give a task, e.g. colleague run "fix the failing test"',
  });
}
