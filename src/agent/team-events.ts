import { z } from "zod";

/**
 * Event bodies of agent teams (src/team/), kept apart from events.ts so the team runtime
 * owns its part of the union. Each is stored; `agentId` in the envelope says who acted.
 */

export const TaskStatus = z.enum(["pending", "in_progress", "blocked", "completed", "failed"]);
export type TaskStatus = z.infer<typeof TaskStatus>;

export const TaskSnapshot = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string(),
  dependsOn: z.array(z.string()),
  owner: z.string().optional(),
  status: TaskStatus,
  result: z.string().optional(),
  createdBy: z.string(),
});
export type TaskSnapshot = z.infer<typeof TaskSnapshot>;

export const Finding = z.object({
  file: z.string(),
  startLine: z.number().int().positive(),
  endLine: z.number().int().positive(),
  severity: z.enum(["critical", "high", "medium", "low", "info"]),
  category: z.string(),
  title: z.string(),
  explanation: z.string(),
  suggestedFix: z.string(),
});
export type Finding = z.infer<typeof Finding>;

export const teamEventBodies = [
  z.object({
    type: z.literal("team_started"),
    /** "team" for `colleague team`, "review" for `colleague review`. */
    kind: z.enum(["team", "review"]),
    task: z.string(),
    cwd: z.string(),
    /** The lead's model; absent when the lead is a built-in workflow (review). */
    lead: z.string().optional(),
    teammateModels: z.array(z.string()),
    size: z.number(),
    budgetUsd: z.number().optional(),
    maxStepsPerAgent: z.number().optional(),
    /** How the team is guarded (set by the host): the permission mode and the sandbox backend in use. */
    permissionMode: z.string().optional(),
    sandbox: z.string().optional(),
    /** Workflow options (review: path, focus, output folder). */
    options: z.record(z.string(), z.unknown()).optional(),
  }),
  z.object({
    type: z.literal("teammate_spawned"),
    name: z.string(),
    role: z.string(),
    model: z.string(),
    isolated: z.boolean(),
    worktree: z.string().optional(),
  }),
  z.object({
    type: z.literal("teammate_stopped"),
    name: z.string(),
    reason: z.string(),
    merge: z.object({ ok: z.boolean(), summary: z.string(), conflicts: z.array(z.string()) }).optional(),
  }),
  z.object({
    type: z.literal("agent_idle"),
    status: z.string(),
    answer: z.string().optional(),
    error: z.string().optional(),
  }),
  z.object({ type: z.literal("task_created"), task: TaskSnapshot }),
  z.object({
    type: z.literal("task_updated"),
    taskId: z.string(),
    status: TaskStatus,
    owner: z.string().optional(),
    result: z.string().optional(),
    note: z.string().optional(),
  }),
  z.object({
    type: z.literal("message_sent"),
    messageId: z.string(),
    from: z.string(),
    /** A teammate's name, "lead", or "*" for everyone. */
    to: z.string(),
    text: z.string(),
  }),
  z.object({ type: z.literal("finding_reported"), finding: Finding }),
] as const;
