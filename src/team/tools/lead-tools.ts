import { z } from "zod";
import { defineTool } from "../../tools/define.js";
import type { TeamToolHost } from "./host.js";
import shutdownText from "./shutdown-teammate.md";
import spawnText from "./spawn-teammate.md";

export function spawnTeammateTool(host: TeamToolHost) {
  return defineTool({
    name: "spawn_teammate",
    description: spawnText.trim(),
    parameters: z.object({
      name: z.string().regex(/^[a-z][a-z0-9_-]{0,31}$/, "lowercase letters, digits, - and _, starting with a letter"),
      role: z.string().min(1),
      task: z.string().min(1),
      model: z.string().optional(),
      isolated: z.boolean().optional(),
      effort: z.enum(["low", "medium", "high", "max"]).optional().describe("how hard it thinks (default: the model's)"),
    }),
    readOnly: false,
    coordination: true,
    async execute(args) {
      const answer = await host.spawn(args);
      return { content: answer.text, isError: !answer.ok };
    },
  });
}

export function shutdownTeammateTool(host: TeamToolHost) {
  return defineTool({
    name: "shutdown_teammate",
    description: shutdownText.trim(),
    parameters: z.object({ name: z.string(), merge: z.boolean().optional() }),
    readOnly: false,
    coordination: true,
    async execute(args) {
      const answer = await host.shutdown(args.name, args.merge ?? true);
      return { content: answer.text, isError: !answer.ok };
    },
  });
}
