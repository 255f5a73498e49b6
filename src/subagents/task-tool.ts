import { z } from "zod";
import type { Usage } from "../model/types.js";
import { type AnyTool, defineTool, ToolError } from "../tools/define.js";
import type { SubagentDefinition } from "./definitions.js";
import guidance from "./task-tool.md";

export interface SubtaskRequest {
  definition: SubagentDefinition;
  /** The short label the model gave (3–5 words), for people watching. */
  description: string;
  prompt: string;
  /** The parent's call, which the child session records as its origin. */
  callId: string;
  /** Aborted when the parent is interrupted or stopped. */
  signal: AbortSignal;
  /** Progress lines for the parent's UI (not sent to the model). */
  onUpdate?: (text: string) => void;
}

export interface SubtaskResult {
  sessionId: string;
  status: string;
  answer?: string;
  error?: string;
  steps: number;
  usage: Usage;
  costUsd: number;
}

/** Runs a subagent's session (the host does this, with the parent's guard); must not throw for errors the model should see. */
export type RunSubtask = (request: SubtaskRequest) => Promise<SubtaskResult>;

/**
 * The `task` tool of a solo session: the model picks a subagent by `subagent_type` and hands it
 * a prompt; the child runs as its own session and its final answer is the result. The tool is
 * marked as coordination: it touches nothing itself, and everything the child does passes the
 * child's own guard, so the permission mode lets the hand-off through and the child's calls decide.
 */
export function createTaskTool(definitions: readonly SubagentDefinition[], run: RunSubtask): AnyTool {
  const byName = new Map(definitions.map((d) => [d.name, d]));
  const listing = definitions.map((d) => `- ${d.name}: ${d.description}`).join("\n");
  return defineTool({
    name: "task",
    description: `${guidance.trim()}\n\nSubagents (subagent_type):\n${listing}`,
    readOnly: false,
    coordination: true,
    parameters: z.object({
      description: z.string().describe("a short (3-5 word) label for the task"),
      prompt: z.string().describe("the task, with everything the subagent needs to know"),
      subagent_type: z.string().describe("which subagent does it (one of those listed)"),
    }),
    async execute({ description, prompt, subagent_type }, ctx) {
      const definition = byName.get(subagent_type.trim());
      if (!definition) throw new ToolError(`No subagent "${subagent_type}". Choose one of: ${[...byName.keys()].join(", ")}.`);
      const result = await run({
        definition,
        description,
        prompt,
        callId: ctx.callId,
        signal: ctx.signal,
        ...(ctx.onUpdate ? { onUpdate: ctx.onUpdate } : {}),
      });
      ctx.charge?.(result.usage, result.costUsd);
      const details = {
        subagent: definition.name,
        sessionId: result.sessionId,
        status: result.status,
        steps: result.steps,
        // Counted in the parent's totals: replay adds it back when the parent resumes.
        charge: { usage: result.usage, costUsd: result.costUsd },
      };
      if (result.status === "completed") return { content: result.answer?.trim() || "(the subagent finished without a report)", details };
      const why = result.error ?? result.status;
      const partial = result.answer?.trim() ? `\nWhat it had said: ${result.answer.trim()}` : "";
      return { content: `The ${definition.name} subagent did not finish (${result.status}: ${why}).${partial}`, details, isError: true };
    },
  });
}
