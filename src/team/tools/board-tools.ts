import { z } from "zod";
import { defineTool } from "../../tools/define.js";
import { formatBoard } from "../board.js";
import claimTaskText from "./claim-task.md";
import completeTaskText from "./complete-task.md";
import createTaskText from "./create-task.md";
import type { TeamToolHost } from "./host.js";
import listTasksText from "./list-tasks.md";
import updateTaskText from "./update-task.md";

export function createTaskTool(host: TeamToolHost) {
  return defineTool({
    name: "create_task",
    description: createTaskText.trim(),
    parameters: z.object({
      title: z.string().min(1),
      description: z.string().optional(),
      dependsOn: z.array(z.string()).optional().describe("ids of tasks that must complete first, e.g. [\"T1\"]"),
      owner: z.string().optional().describe("the teammate it is assigned to"),
    }),
    readOnly: false,
    coordination: true,
    async execute(args) {
      const r = host.board.create(host.agentId, args);
      if (!r.ok) return { content: r.reason, isError: true };
      return { content: `Created ${r.task.id} [${r.task.status}]: ${r.task.title}`, details: { task: r.task } };
    },
  });
}

export function listTasksTool(host: TeamToolHost) {
  return defineTool({
    name: "list_tasks",
    description: listTasksText.trim(),
    parameters: z.object({}),
    readOnly: true,
    coordination: true,
    async execute() {
      return { content: `${formatBoard(host.board.list())}\n\n${host.describeTeam()}` };
    },
  });
}

export function claimTaskTool(host: TeamToolHost) {
  return defineTool({
    name: "claim_task",
    description: claimTaskText.trim(),
    parameters: z.object({ id: z.string().optional().describe("the task id, e.g. T3") }),
    readOnly: false,
    coordination: true,
    async execute(args) {
      const r = host.board.claim(host.agentId, args.id);
      if (!r.ok) return { content: `Not claimed: ${r.reason}`, isError: true };
      const t = r.task;
      return { content: `You hold ${t.id}: ${t.title}\n${t.description}`.trim() };
    },
  });
}

export function updateTaskTool(host: TeamToolHost) {
  return defineTool({
    name: "update_task",
    description: updateTaskText.trim(),
    parameters: z.object({
      id: z.string(),
      status: z.enum(["pending", "in_progress", "failed"]).optional(),
      note: z.string().optional(),
    }),
    readOnly: false,
    coordination: true,
    async execute(args) {
      const r = host.board.update(host.agentId, args.id, {
        ...(args.status ? { status: args.status } : {}),
        ...(args.note ? { note: args.note } : {}),
      });
      if (!r.ok) return { content: r.reason, isError: true };
      return { content: `${r.task.id} is ${r.task.status}` };
    },
  });
}

export function completeTaskTool(host: TeamToolHost) {
  return defineTool({
    name: "complete_task",
    description: completeTaskText.trim(),
    parameters: z.object({ id: z.string(), result: z.string().min(1) }),
    readOnly: false,
    coordination: true,
    async execute(args) {
      const r = host.board.complete(host.agentId, args.id, args.result);
      if (!r.ok) return { content: r.reason, isError: true };
      return { content: `${r.task.id} completed. Board: ${host.board.summary()}` };
    },
  });
}
