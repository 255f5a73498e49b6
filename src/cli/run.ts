import path from "node:path";
import { DEFAULT_MAX_STEPS, DEFAULT_MODEL } from "../config/config.js";
import { startSession } from "../session/session.js";
import { intFlag, numberFlag, parseFlags } from "./args.js";
import { UsageError } from "./errors.js";
import { eventPrinter, exitCodeFor } from "./output.js";
import { cliPolicy, policyFlags } from "./policy.js";
import { interruptible, modelFor, openStore, parseEffort, readSetup } from "./setup.js";
import { stdinInbox } from "./stdin-commands.js";

export const runFlags = {
  model: { type: "string", short: "m" },
  effort: { type: "string", short: "e" },
  "max-steps": { type: "string" },
  "budget-usd": { type: "string" },
  "budget-tokens": { type: "string" },
  cwd: { type: "string", short: "C" },
  json: { type: "boolean" },
  stdin: { type: "boolean" }, // issue 3: steer / queue / interrupt / effort as JSON lines on stdin
  ...policyFlags, // issue 6: --permission-mode, --sandbox
} as const;

/** `colleague run "<task>"`: one task, carried through to the end, streamed. */
export async function runCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, runFlags, "run");
  const task = positionals.join(" ").trim();
  if (!task) throw new UsageError('run: give a task, e.g. colleague run "fix the failing test"');
  const cwd = path.resolve(values.cwd ?? process.cwd());
  const setup = readSetup(cwd);
  const c = setup.config;
  const effort = parseEffort(values.effort ?? c.effort);
  const maxSteps = intFlag(values["max-steps"], "max-steps") ?? c.maxSteps ?? DEFAULT_MAX_STEPS;
  const budgetUsd = numberFlag(values["budget-usd"], "budget-usd") ?? c.budgetUsd;
  const budgetTokens = intFlag(values["budget-tokens"], "budget-tokens") ?? c.budgetTokens;
  const model = await modelFor(values.model ?? process.env.COLLEAGUE_MODEL ?? c.model ?? DEFAULT_MODEL, setup);
  const policy = await cliPolicy(cwd, values, c);
  for (const notice of policy.notices) process.stderr.write(`colleague: ${notice}\n`);
  const store = openStore();
  const { signal, dispose } = interruptible();
  const steering = values.stdin ? stdinInbox(process.stdin, (m) => process.stderr.write(`colleague: stdin: ${m}\n`)) : undefined;
  try {
    const result = await startSession(task, {
      hooks: policy.hooks,
      runner: policy.runner,
      store,
      model,
      cwd,
      maxSteps,
      ...(budgetUsd ? { budgetUsd } : {}),
      ...(budgetTokens ? { budgetTokens } : {}),
      ...(effort ? { effort } : {}),
      onEvent: eventPrinter(values.json === true),
      signal,
      userDir: setup.home,
      ...(c.context ? { context: c.context } : {}),
      ...(steering ? { inbox: steering.inbox } : {}),
    });
    return exitCodeFor(result);
  } finally {
    steering?.dispose();
    dispose();
    store.close();
  }
}
