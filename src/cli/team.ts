import type { GuardChoice, Host } from "../host/host.js";
import { resumeTeam, startTeam } from "../host/teams.js";
import { sessionKind } from "../session/lookup.js";
import type { TeamListener } from "../team/log.js";
import type { TeamResult } from "../team/team.js";
import { intFlag, numberFlag, parseFlags } from "./args.js";
import { COMMANDS } from "./commands.js";
import { UsageError } from "./errors.js";
import { exitCodeFor } from "./output.js";
import { guardChoice, } from "./policy.js";
import { styleFor } from "./render.js";
import { writeReviewOutputs } from "./review-output.js";
import { cliHost, interruptible, parseEffort } from "./setup.js";
import { TeamRenderer } from "./team-render.js";

export function teamPrinter(json: boolean): TeamListener {
  if (json) return (event) => process.stdout.write(`${JSON.stringify(event)}\n`);
  return new TeamRenderer(process.stdout, styleFor(process.stdout)).render;
}

/** `colleague team "<task>" --size N [--lead MODEL] [--teammate MODEL …]`: a lead and teammates. */
export async function teamCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, COMMANDS.team.flags, "team");
  const task = positionals.join(" ").trim();
  if (!task) throw new UsageError('team: give a task, e.g. colleague team "split and fix the failing tests" --size 3');
  const effort = parseEffort(values.effort);
  const size = intFlag(values.size, "size");
  const budgetUsd = numberFlag(values["budget-usd"], "budget-usd");
  const agentBudgetUsd = numberFlag(values["agent-budget-usd"], "agent-budget-usd");
  const maxStepsPerAgent = intFlag(values["max-steps"], "max-steps");
  const host = cliHost();
  const { signal, dispose, stopExit } = interruptible();
  try {
    const team = await startTeam(
      host,
      {
        task,
        ...(values.cwd ? { cwd: values.cwd } : {}),
        ...(size ? { size } : {}),
        ...(values.lead ? { lead: values.lead } : {}),
        ...(values.teammate?.length ? { teammates: values.teammate } : {}),
        ...(effort ? { effort } : {}),
        ...(budgetUsd ? { budgetUsd } : {}),
        ...(agentBudgetUsd ? { agentBudgetUsd } : {}),
        ...(maxStepsPerAgent ? { maxStepsPerAgent } : {}),
        ...guardChoice(values),
      },
      { signal, onEvent: teamPrinter(values.json === true) },
    );
    const result = await team.run();
    return stopExit() ?? exitCodeFor(result);
  } finally {
    dispose();
    host.close();
  }
}

/** `colleague resume` on a team session: the whole team carries on (a review writes its outputs again). */
export async function resumeTeamSession(host: Host, id: string, choice: GuardChoice, json: boolean, signal: AbortSignal): Promise<TeamResult> {
  const team = await resumeTeam(host, id, choice, { signal, onEvent: teamPrinter(json) });
  const result = await team.run();
  if (sessionKind(host.store, team.sessionId) === "review") writeReviewOutputs(host.store, team.sessionId, !json);
  return result;
}
