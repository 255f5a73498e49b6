import { resumeSession } from "../session/session.js";
import { intFlag, numberFlag, parseFlags } from "./args.js";
import { UsageError } from "./errors.js";
import { eventPrinter, exitCodeFor } from "./output.js";
import { cliPolicy, policyFlags } from "./policy.js";
import { interruptible, modelFor, openStore, parseEffort, readSetup } from "./setup.js";
import { stdinInbox } from "./stdin-commands.js";

/** `colleague resume <id> [follow-up]`: continue a session from its last completed step. */
export async function resumeCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(
    argv,
    {
      model: { type: "string", short: "m" },
      effort: { type: "string", short: "e" },
      "max-steps": { type: "string" },
      "budget-usd": { type: "string" },
      json: { type: "boolean" },
      stdin: { type: "boolean" }, // issue 3: steering commands on stdin, as for `run`
      ...policyFlags, // issue 6: --permission-mode, --sandbox
    },
    "resume",
  );
  const [id, ...rest] = positionals;
  if (!id) throw new UsageError("resume: give a session id (see `colleague sessions`)");
  const store = openStore();
  const { signal, dispose } = interruptible();
  const steering = values.stdin ? stdinInbox(process.stdin, (m) => process.stderr.write(`colleague: stdin: ${m}\n`)) : undefined;
  try {
    const row = store.findSession(id);
    if (!row) throw new UsageError(`resume: no session "${id}" (see \`colleague sessions\`)`);
    // Team sessions (colleague team / review) resume as a whole team: see src/team/resume.ts.
    if (store.events(row.id)[0]?.type === "team_started") {
      const { resumeTeamSession } = await import("./team.js");
      return exitCodeFor(await resumeTeamSession(row.id, store, values.json === true, signal));
    }
    const setup = readSetup(row.cwd);
    const model = await modelFor(values.model ?? row.model, setup);
    const effort = parseEffort(values.effort);
    const maxSteps = intFlag(values["max-steps"], "max-steps");
    const budgetUsd = numberFlag(values["budget-usd"], "budget-usd");
    const followUp = rest.join(" ").trim();
    const policy = await cliPolicy(row.cwd, values, setup.config);
    for (const notice of policy.notices) process.stderr.write(`colleague: ${notice}\n`);
    const result = await resumeSession(row.id, {
      hooks: policy.hooks,
      runner: policy.runner,
      store,
      model,
      ...(effort ? { effort } : {}),
      ...(maxSteps ? { maxSteps } : {}),
      ...(budgetUsd ? { budgetUsd } : {}),
      ...(followUp ? { followUp } : {}),
      onEvent: eventPrinter(values.json === true),
      signal,
      userDir: setup.home,
      ...(setup.config.context ? { context: setup.config.context } : {}),
      ...(steering ? { inbox: steering.inbox } : {}),
    });
    return exitCodeFor(result);
  } finally {
    steering?.dispose();
    dispose();
    store.close();
  }
}
