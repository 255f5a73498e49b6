import { intFlag, numberFlag, parseFlags } from "./args.js";
import { UsageError } from "./errors.js";
import { eventPrinter, exitCodeFor } from "./output.js";
import { guardChoice, policyFlags } from "./policy.js";
import { cliHost, interruptible, parseEffort } from "./setup.js";
import { stdinInbox } from "./stdin-commands.js";

export const runFlags = {
  model: { type: "string", short: "m" },
  effort: { type: "string", short: "e" },
  "max-steps": { type: "string" },
  "budget-usd": { type: "string" },
  "budget-tokens": { type: "string" },
  cwd: { type: "string", short: "C" },
  json: { type: "boolean" },
  // steer / queue / interrupt / effort as JSON lines on stdin
  stdin: { type: "boolean" },
  ...policyFlags,
} as const;

/** `colleague run "<task>"`: one task, carried through to the end, streamed. */
export async function runCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, runFlags, "run");
  const task = positionals.join(" ").trim();
  if (!task) throw new UsageError('run: give a task, e.g. colleague run "fix the failing test"');
  const effort = parseEffort(values.effort);
  const maxSteps = intFlag(values["max-steps"], "max-steps");
  const budgetUsd = numberFlag(values["budget-usd"], "budget-usd");
  const budgetTokens = intFlag(values["budget-tokens"], "budget-tokens");
  const host = cliHost();
  const { signal, dispose } = interruptible();
  const steering = values.stdin ? stdinInbox(process.stdin, (m) => process.stderr.write(`colleague: stdin: ${m}\n`)) : undefined;
  try {
    const result = await host.startSession(
      {
        task,
        ...(values.cwd ? { cwd: values.cwd } : {}),
        ...(values.model ? { model: values.model } : {}),
        ...(effort ? { effort } : {}),
        ...(maxSteps ? { maxSteps } : {}),
        ...(budgetUsd ? { budgetUsd } : {}),
        ...(budgetTokens ? { budgetTokens } : {}),
        ...guardChoice(values),
      },
      { onEvent: eventPrinter(values.json === true), signal, ...(steering ? { inbox: steering.inbox } : {}) },
    );
    return exitCodeFor(result);
  } finally {
    steering?.dispose();
    dispose();
    host.close();
  }
}
