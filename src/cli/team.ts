import path from "node:path";
import { DEFAULT_MODEL } from "../config/config.js";
import { parseModelId } from "../model/resolve.js";
import type { SqliteStore } from "../store/sqlite.js";
import type { TeamListener } from "../team/log.js";
import { ModelPool } from "../team/models.js";
import { resumeTeam } from "../team/resume.js";
import { Team, type TeamResult } from "../team/team.js";
import { intFlag, numberFlag, parseFlags } from "./args.js";
import { UsageError } from "./errors.js";
import { exitCodeFor } from "./output.js";
import { styleFor } from "./render.js";
import { interruptible, modelFor, openStore, parseEffort, readSetup, type Setup } from "./setup.js";
import { TeamRenderer } from "./team-render.js";

export function teamPrinter(json: boolean): TeamListener {
  if (json) return (event) => process.stdout.write(`${JSON.stringify(event)}\n`);
  return new TeamRenderer(process.stdout, styleFor(process.stdout)).render;
}

/** Models come from ids as `run` builds them; the pool shares one per id. */
export function poolFor(setup: Setup): ModelPool {
  return new ModelPool((id) => modelFor(id, setup));
}

/** `colleague team "<task>" --size N [--lead MODEL] [--teammate MODEL …]`: a lead and teammates. */
export async function teamCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(
    argv,
    {
      size: { type: "string", short: "n" },
      lead: { type: "string" },
      teammate: { type: "string", multiple: true },
      effort: { type: "string", short: "e" },
      "max-steps": { type: "string" },
      "budget-usd": { type: "string" },
      "agent-budget-usd": { type: "string" },
      cwd: { type: "string", short: "C" },
      json: { type: "boolean" },
    },
    "team",
  );
  const task = positionals.join(" ").trim();
  if (!task) throw new UsageError('team: give a task, e.g. colleague team "split and fix the failing tests" --size 3');
  const cwd = path.resolve(values.cwd ?? process.cwd());
  const setup = readSetup(cwd);
  const c = setup.config;
  const lead = values.lead ?? process.env.COLLEAGUE_MODEL ?? c.model ?? DEFAULT_MODEL;
  const teammates = values.teammate?.length ? values.teammate : [lead];
  for (const id of [lead, ...teammates]) parseModelId(id); // a bad id is a usage error now, not mid-run
  const models = poolFor(setup);
  await models.check(lead, { name: "lead", role: "lead" });
  const effort = parseEffort(values.effort ?? c.effort);
  const budgetUsd = numberFlag(values["budget-usd"], "budget-usd") ?? c.budgetUsd;
  const agentBudget = numberFlag(values["agent-budget-usd"], "agent-budget-usd");
  const maxSteps = intFlag(values["max-steps"], "max-steps") ?? c.maxSteps;
  const store = openStore();
  const { signal, dispose } = interruptible();
  try {
    const team = await Team.start({
      store,
      models,
      task,
      cwd,
      size: intFlag(values.size, "size") ?? 4,
      lead: { model: lead, ...(effort ? { effort } : {}) },
      teammateModels: teammates,
      ...(budgetUsd ? { budgetUsd } : {}),
      ...(agentBudget ? { budgetUsdPerAgent: agentBudget } : {}),
      ...(maxSteps ? { maxStepsPerAgent: maxSteps } : {}),
      signal,
      onEvent: teamPrinter(values.json === true),
      userDir: setup.home,
    });
    return exitCodeFor(await team.run());
  } finally {
    dispose();
    store.close();
  }
}

/** `colleague resume` on a team session: the whole team carries on. */
export async function resumeTeamSession(id: string, store: SqliteStore, json: boolean, signal: AbortSignal): Promise<TeamResult> {
  const row = store.findSession(id)!;
  const setup = readSetup(row.cwd);
  const team = await resumeTeam(row.id, { store, models: poolFor(setup), signal, onEvent: teamPrinter(json), userDir: setup.home });
  const result = await team.run();
  const kind = store.events(row.id)[0];
  if (kind?.type === "team_started" && kind.kind === "review") {
    await (await import("./review.js")).writeReviewOutputs(store, row.id, !json);
  }
  return result;
}
