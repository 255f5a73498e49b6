import type { AgentEvent } from "../../src/agent/events.js";
import type { Scenario } from "../../src/model/scenario.js";
import { createScriptedModel } from "../../src/model/scripted.js";
import { SqliteStore } from "../../src/store/sqlite.js";
import { ModelPool } from "../../src/team/models.js";
import { Team, type TeamOptions } from "../../src/team/team.js";
import { tempRepo } from "../helpers.js";

/** A model pool where "scripted:<name>" plays `scripts[name]` (inline, no files). */
export function inlinePool(scripts: Record<string, Scenario>): ModelPool {
  return new ModelPool(async (id) => {
    const name = id.slice("scripted:".length);
    const scenario = scripts[name];
    if (!scenario) throw new Error(`no script ${name}`);
    return createScriptedModel(scenario, id);
  });
}

export async function startTeam(scripts: Record<string, Scenario>, options: Partial<TeamOptions> = {}) {
  const store = options.store ?? new SqliteStore(":memory:");
  const events: AgentEvent[] = [];
  const team = await Team.start({
    store,
    models: options.models ?? inlinePool(scripts),
    cwd: options.cwd ?? tempRepo(),
    task: options.task ?? "the team task",
    size: options.size ?? 8,
    teammateModels: options.teammateModels ?? [],
    onEvent: (e) => events.push(e),
    ...options,
  });
  return { team, store, events };
}

/** Steps of a member: a step calling `tools` (name → args), in order. */
export const call = (...calls: [string, Record<string, unknown>][]) => ({
  toolCalls: calls.map(([name, args]) => ({ name, args })),
});
