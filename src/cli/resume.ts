import { intFlag, numberFlag, parseFlags } from "./args.js";
import { UsageError } from "./errors.js";
import { eventPrinter, exitCodeFor } from "./output.js";
import { guardChoice, policyFlags } from "./policy.js";
import { cliHost, interruptible, parseEffort } from "./setup.js";
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
      "budget-tokens": { type: "string" },
      json: { type: "boolean" },
      stdin: { type: "boolean" },
      ...policyFlags,
    },
    "resume",
  );
  const [id, ...rest] = positionals;
  if (!id) throw new UsageError("resume: give a session id (see `colleague sessions`)");
  const effort = parseEffort(values.effort);
  const maxSteps = intFlag(values["max-steps"], "max-steps");
  const budgetUsd = numberFlag(values["budget-usd"], "budget-usd");
  const budgetTokens = intFlag(values["budget-tokens"], "budget-tokens");
  const followUp = rest.join(" ").trim();
  const host = cliHost();
  const { signal, dispose } = interruptible();
  const steering = values.stdin ? stdinInbox(process.stdin, (m) => process.stderr.write(`colleague: stdin: ${m}\n`)) : undefined;
  try {
    const row = host.store.findSession(id);
    if (!row) throw new UsageError(`resume: no session "${id}" (see \`colleague sessions\`)`);
    // Team sessions (colleague team / review) resume as a whole team: see src/team/resume.ts.
    if (host.store.events(row.id)[0]?.type === "team_started") {
      const { resumeTeamSession } = await import("./team.js");
      return exitCodeFor(await resumeTeamSession(host, row.id, guardChoice(values), values.json === true, signal));
    }
    const result = await host.resumeSession(
      row.id,
      {
        ...(values.model ? { model: values.model } : {}),
        ...(effort ? { effort } : {}),
        ...(maxSteps ? { maxSteps } : {}),
        ...(budgetUsd ? { budgetUsd } : {}),
        ...(budgetTokens ? { budgetTokens } : {}),
        ...(followUp ? { followUp } : {}),
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
