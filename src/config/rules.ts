import { ConfigError } from "../model/resolve.js";
import type { PermissionsConfig } from "../policy/config.js";
import { GROUP_NAMES, toolGroup } from "../policy/permissions.js";
import { defaultTools } from "../tools/index.js";
import { OFFICE_TOOL_NAMES } from "../tools/office/index.js";
import { didYouMean } from "./did-you-mean.js";
import type { JsoncDocument } from "./jsonc.js";

/**
 * Permission rules are checked when config is read: a misspelt tool name or an empty pattern
 * would otherwise match nothing, and a deny rule that matches nothing fails silently.
 */

/**
 * The team's coordination tools (src/team/tools). Listed here rather than imported: config sits
 * below the team layer; a test keeps this list equal to the tools the team defines.
 */
export const TEAM_TOOL_NAMES = [
  "send_message",
  "wait",
  "report_finding",
  "create_task",
  "list_tasks",
  "claim_task",
  "update_task",
  "complete_task",
  "spawn_teammate",
  "shutdown_teammate",
] as const;

/** Tools offered only when config turns them on. */
export const OPTIONAL_TOOL_NAMES = ["web_search"] as const;

/** Every name a rule may start with: tool groups, the tools themselves, and `*`. */
export function ruleToolNames(): string[] {
  return [...Object.keys(GROUP_NAMES), ...defaultTools().map((t) => t.name), ...OPTIONAL_TOOL_NAMES, ...OFFICE_TOOL_NAMES, ...TEAM_TOOL_NAMES, "*"];
}

/** What is wrong with one rule, or undefined when it is well formed. */
export function ruleProblem(text: string, known: readonly string[] = ruleToolNames()): string | undefined {
  const colon = text.indexOf(":");
  const tool = (colon < 0 ? text : text.slice(0, colon)).trim().toLowerCase();
  const pattern = colon < 0 ? undefined : text.slice(colon + 1).trim();
  if (!tool) return `rule "${text}" names no tool; write "<tool>: <pattern>", e.g. "shell: git *"`;
  // MCP tools are named by their server at run time: any well-formed name is accepted.
  const mcp = /^mcp__[a-z0-9_*-]+(?:__[a-z0-9_.*-]+)?$/.test(tool);
  if (!mcp && !known.includes(tool)) {
    const guess = didYouMean(tool, known);
    return `unknown tool "${tool}" in rule "${text}"${guess ? `; did you mean "${guess}"?` : ` (tools: ${[...Object.keys(GROUP_NAMES), "read_file", "write_file", "…", "mcp__<server>__<tool>"].join(", ")})`}`;
  }
  if (pattern === undefined) return undefined;
  if (pattern === "") return `rule "${text}" has nothing after the colon; write "${tool}" for every call, or a pattern such as "${tool}: ${sample(tool)}"`;
  const group = GROUP_NAMES[tool] ?? toolGroup(tool);
  if (group === "read" || group === "write") return pathPatternProblem(text, pattern);
  return undefined;
}

function pathPatternProblem(text: string, pattern: string): string | undefined {
  if (pattern.startsWith("/") || pattern.startsWith("~") || /^[A-Za-z]:[\\/]/.test(pattern)) {
    return `rule "${text}": path patterns are relative to the workspace (e.g. "src/**"), so "${pattern}" would match nothing`;
  }
  if (pattern.split("/").includes("..")) return `rule "${text}": ".." in a path pattern would match nothing; patterns are relative to the workspace`;
  if (/\*\*\*/.test(pattern)) return `rule "${text}": "***" is not a glob; use "**" for any depth, "*" within one folder`;
  if (/[{}]/.test(pattern)) return `rule "${text}": braces are not supported in patterns; write one rule per alternative`;
  if (pattern.includes("\\")) return `rule "${text}": use "/" in path patterns, not "\\"`;
  return undefined;
}

const sample = (tool: string) => (GROUP_NAMES[tool] === "shell" ? "git *" : "src/**");

/** Throws a ConfigError (`file:line:col: permissions.allow[0]: …`) for the first malformed rule. */
export function checkRules(permissions: PermissionsConfig | undefined, doc: JsoncDocument): void {
  if (!permissions) return;
  const known = ruleToolNames();
  for (const list of ["allow", "ask", "deny"] as const) {
    (permissions[list] ?? []).forEach((text, i) => {
      const problem = ruleProblem(text, known);
      if (problem) throw new ConfigError(`${doc.locate(["permissions", list, i])}: permissions.${list}[${i}]: ${problem}`);
    });
  }
}
