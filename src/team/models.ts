import { readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { ConfigError, parseModelId } from "../model/resolve.js";
import { Scenario } from "../model/scenario.js";
import { createScriptedModel } from "../model/scripted.js";
import type { Model } from "../model/types.js";

/**
 * A team scenario: one scripted conversation per agent, by name (or by role, or "*"), so a
 * whole team can run offline: `--lead scripted:team.json --teammate scripted:team.json`.
 */
export const TeamScenario = z.object({
  name: z.string().optional(),
  description: z.string().optional(),
  agents: z.record(z.string(), Scenario),
});
export type TeamScenario = z.infer<typeof TeamScenario>;

/** Builds a model from its id (keys, endpoints and config applied), as the CLI does. */
export type ModelFactory = (id: string) => Promise<Model>;

/**
 * Hands out models to members. Members with the same model id share one Model (one SDK
 * client, one connection pool), so a big team costs no more clients than it has distinct
 * models. A scripted id whose file is a team scenario gives each member its own script.
 */
export class ModelPool {
  private readonly shared = new Map<string, Promise<Model>>();
  private readonly teamScenarios = new Map<string, TeamScenario | undefined>();

  constructor(private readonly create: ModelFactory) {}

  async modelFor(id: string, member: { name: string; role: string }): Promise<Model> {
    const parsed = parseModelId(id);
    if (parsed.api === "scripted") {
      const team = this.teamScenario(parsed.name);
      if (team) {
        const scenario = team.agents[member.name] ?? team.agents[member.role] ?? team.agents["*"];
        if (!scenario) {
          throw new ConfigError(`team scenario ${parsed.name} has no script for "${member.name}" (nor its role, nor "*")`);
        }
        return createScriptedModel(scenario, `scripted:${parsed.name}#${member.name}`);
      }
    }
    let model = this.shared.get(id);
    if (!model) {
      model = this.create(id);
      this.shared.set(id, model);
    }
    return model;
  }

  /** Throws ConfigError now for a bad id, instead of when the member is spawned. */
  async check(id: string, member: { name: string; role: string }): Promise<void> {
    await this.modelFor(id, member);
  }

  private teamScenario(file: string): TeamScenario | undefined {
    const absolute = path.resolve(file);
    if (!this.teamScenarios.has(absolute)) {
      let parsed: TeamScenario | undefined;
      try {
        const json = JSON.parse(readFileSync(absolute, "utf8")) as Record<string, unknown>;
        if (json && typeof json === "object" && "agents" in json) {
          const result = TeamScenario.safeParse(json);
          if (!result.success) {
            const issue = result.error.issues[0]!;
            throw new ConfigError(`team scenario ${absolute}: ${issue.path.join(".") || "root"}: ${issue.message}`);
          }
          parsed = result.data;
        }
      } catch (error) {
        if (error instanceof ConfigError) throw error;
        parsed = undefined; // not a team scenario: the scripted adapter reports what is wrong with it
      }
      this.teamScenarios.set(absolute, parsed);
    }
    return this.teamScenarios.get(absolute);
  }
}
