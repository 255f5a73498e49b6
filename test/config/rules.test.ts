import { describe, expect, it } from "vitest";
import { ruleProblem, TEAM_TOOL_NAMES } from "../../src/config/rules.js";
import { claimTaskTool, completeTaskTool, createTaskTool, listTasksTool, updateTaskTool } from "../../src/team/tools/board-tools.js";
import { reportFindingTool } from "../../src/team/tools/finding-tool.js";
import { shutdownTeammateTool, spawnTeammateTool } from "../../src/team/tools/lead-tools.js";
import { sendMessageTool, waitTool } from "../../src/team/tools/message-tools.js";
import type { TeamToolHost } from "../../src/team/tools/index.js";

describe("permission rules checked at load", () => {
  it("accepts groups, tool names, team tools, mcp__ names and *", () => {
    for (const rule of ["shell", "shell: git *", "bash: npm test", "write: src/**", "edit", "read: **/.env", "read_file: docs/*", "apply_patch", "repo_map", "spawn_teammate", "mcp__github__create_issue", "mcp__github", "*", "Shell: ls"]) {
      expect(ruleProblem(rule), rule).toBeUndefined();
    }
  });

  it("names the tool that was probably meant", () => {
    expect(ruleProblem("shel: git *")).toBe('unknown tool "shel" in rule "shel: git *"; did you mean "shell"?');
    expect(ruleProblem("wirte: src/**")).toContain('did you mean "write"?');
    expect(ruleProblem("write_flie")).toContain('did you mean "write_file"?');
    expect(ruleProblem("kubectl: apply *")).toMatch(/^unknown tool "kubectl" in rule "kubectl: apply \*" \(tools: read, write, edit, shell, bash/);
  });

  it("refuses empty tools and patterns and path patterns that can never match", () => {
    expect(ruleProblem(": git *")).toContain("names no tool");
    expect(ruleProblem("shell:")).toContain("nothing after the colon");
    expect(ruleProblem("write:   ")).toContain("nothing after the colon");
    expect(ruleProblem("write: /etc/**")).toContain("relative to the workspace");
    expect(ruleProblem("read: ~/.ssh/*")).toContain("relative to the workspace");
    expect(ruleProblem("write: ../other/**")).toContain('".."');
    expect(ruleProblem("write: src/***")).toContain('"***" is not a glob');
    expect(ruleProblem("write: src/*.{ts,js}")).toContain("braces are not supported");
  });

  it("knows every tool the team defines", () => {
    const host = {} as TeamToolHost;
    const factories = [createTaskTool, listTasksTool, claimTaskTool, updateTaskTool, completeTaskTool, reportFindingTool, spawnTeammateTool, shutdownTeammateTool, sendMessageTool, waitTool];
    expect(factories.map((f) => f(host).name).sort()).toEqual([...TEAM_TOOL_NAMES].sort());
  });
});
