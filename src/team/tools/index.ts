import type { AnyTool } from "../../tools/define.js";
import { globTool, grepTool, listTool, readFileTool } from "../../tools/index.js";
import { defaultTools } from "../../tools/index.js";
import type { MemberSpec } from "../member.js";
import { claimTaskTool, completeTaskTool, createTaskTool, listTasksTool, updateTaskTool } from "./board-tools.js";
import { reportFindingTool } from "./finding-tool.js";
import type { TeamToolHost } from "./host.js";
import { shutdownTeammateTool, spawnTeammateTool } from "./lead-tools.js";
import { sendMessageTool, waitTool } from "./message-tools.js";

/**
 * A member's tools: the core tools (reviewers get only the read-only ones), then the team
 * tools bound to this member. The order is fixed so every request's tool list is identical.
 */
export function toolsFor(toolset: MemberSpec["toolset"], host: TeamToolHost): AnyTool[] {
  const core = toolset === "reviewer" ? [readFileTool, listTool, globTool, grepTool] : defaultTools();
  const team: AnyTool[] = [
    createTaskTool(host),
    listTasksTool(host),
    claimTaskTool(host),
    updateTaskTool(host),
    completeTaskTool(host),
    sendMessageTool(host),
    waitTool(host),
  ];
  if (toolset === "lead") team.push(spawnTeammateTool(host), shutdownTeammateTool(host));
  if (toolset === "reviewer") team.push(reportFindingTool(host));
  return [...core, ...team];
}

export type { SpawnInput, TeamToolHost, ToolAnswer, WaitUntil } from "./host.js";
