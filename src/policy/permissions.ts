import path from "node:path";
import type { ToolCallPart } from "../model/types.js";
import type { AnyTool } from "../tools/define.js";
import { parsePatch } from "../tools/patch.js";
import type { PermissionMode, PermissionsConfig, PolicyLayers } from "./config.js";
import { hostAllowed } from "./host-proxy.js";
import { commandPattern, pathGlob } from "./patterns.js";
import { analyseShell, readsWithoutGrammar } from "./shell/analyse.js";
import { loadShellParser } from "./shell/parser.js";

/**
 * Permissions: a mode plus allow / ask / deny rules from the user's and the project's config.
 * Order of precedence: deny (from either layer) → read-only mode → ask rules → allow rules →
 * "always for this session" grants → the mode's default. Every input here comes from config
 * files, CLI flags or the user's answers, never from text a model or a tool produced.
 */

/** Rule tool names: groups of our tools, or an exact tool name, or `*`. */
export type ToolGroup = "read" | "write" | "shell" | "team" | "web" | "other";

const GROUPS: Record<string, ToolGroup> = {
  read_file: "read",
  list: "read",
  glob: "read",
  grep: "read",
  write_file: "write",
  edit_file: "write",
  apply_patch: "write",
  shell: "shell",
  web_fetch: "web",
};
/** Rule names that mean a group (`edit` is an alias of `write`). */
export const GROUP_NAMES: Record<string, ToolGroup> = { read: "read", write: "write", edit: "write", shell: "shell", bash: "shell", web: "web" };

export function toolGroup(name: string, tool?: AnyTool): ToolGroup {
  return GROUPS[name] ?? (tool?.coordination ? "team" : tool?.readOnly ? "read" : "other");
}

export interface Rule {
  text: string;
  tool: string;
  pattern?: string;
  layer: "user" | "project" | "flag";
}

/** `"shell: git *"` → {tool: "shell", pattern: "git *"}; `"write"` → every write. */
export function parseRule(text: string, layer: Rule["layer"]): Rule {
  const colon = text.indexOf(":");
  const tool = (colon < 0 ? text : text.slice(0, colon)).trim().toLowerCase();
  const pattern = colon < 0 ? undefined : text.slice(colon + 1).trim();
  return { text, tool, ...(pattern ? { pattern } : {}), layer };
}

/** What a rule's pattern is matched against: the commands of a shell line, or workspace-relative paths. */
export function targetsOf(call: ToolCallPart, workspaceRoot: string): string[] {
  const args = (call.args ?? {}) as Record<string, unknown>;
  const rel = (p: unknown) => {
    const text = typeof p === "string" && p ? p : ".";
    const relative = path.relative(workspaceRoot, path.resolve(workspaceRoot, text));
    return relative === "" ? "." : relative.split(path.sep).join("/");
  };
  if (call.name === "shell") return [String(args.command ?? "")];
  if (call.name === "web_fetch") return [urlHost(args.url)];
  if (call.name === "apply_patch") {
    try {
      return parsePatch(String(args.patch ?? "")).flatMap((op) =>
        op.type === "update" && op.moveTo ? [rel(op.path), rel(op.moveTo)] : [rel(op.path)],
      );
    } catch {
      return ["."];
    }
  }
  return [rel(args.path)];
}

/** The host a web rule is matched against (`web: docs.python.org`, `web: *.github.com`). */
function urlHost(url: unknown): string {
  try {
    return new URL(String(url)).hostname.toLowerCase().replace(/^\[|\]$/g, "");
  } catch {
    return "(not a URL)";
  }
}

function ruleApplies(rule: Rule, name: string, group: ToolGroup): boolean {
  if (rule.tool === "*") return true;
  if (rule.tool === name.toLowerCase()) return true;
  if (rule.tool.startsWith("mcp__") && mcpRuleMatches(rule.tool, name.toLowerCase())) return true;
  return GROUP_NAMES[rule.tool] === group && group !== "other";
}

/**
 * MCP tools by server, as Claude Code writes them: `mcp__github` and `mcp__github__*` mean every
 * tool of the server github; `*` inside a name matches any characters.
 */
function mcpRuleMatches(ruleTool: string, name: string): boolean {
  if (!name.startsWith("mcp__")) return false;
  if (!ruleTool.slice("mcp__".length).includes("__")) return name.startsWith(`${ruleTool}__`);
  if (!ruleTool.includes("*")) return false;
  const pattern = ruleTool.split("*").map((piece) => piece.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*");
  return new RegExp(`^${pattern}$`).test(name);
}

function patternMatches(rule: Rule, group: ToolGroup, target: string): boolean {
  if (!rule.pattern || rule.pattern === "*") return true;
  if (group === "shell") return commandPattern(rule.pattern).test(target.trim());
  if (group === "web") return hostAllowed(target, [rule.pattern]);
  return pathGlob(rule.pattern).test(target);
}

/**
 * A deny or ask rule fires when it matches the whole line or any one command or path. A shell
 * command is matched in each of its spellings (as written, with the program's basename, as in
 * the source), so `shell: rm *` also catches `/bin/rm`, `sudo rm`, `sh -c 'rm …'` and `find -delete`.
 */
function matchesAny(rule: Rule, group: ToolGroup, targets: string[]): boolean {
  if (group !== "shell") return targets.some((t) => patternMatches(rule, group, t));
  return targets.some(
    (line) => patternMatches(rule, group, line) || analyseShell(line).commands.some((c) => c.forms.some((form) => patternMatches(rule, group, form))),
  );
}

/**
 * An allow rule set covers a call only when every command (or path) is matched by some rule.
 * A shell line is covered only when all its commands are known and none of its words is another
 * command's output; each command is matched as written (`./git` is not `git`).
 */
function coveredBy(rules: Rule[], group: ToolGroup, targets: string[]): Rule | undefined {
  if (rules.length === 0) return undefined;
  let pieces = targets;
  if (group === "shell") {
    const analyses = targets.map(analyseShell);
    if (analyses.some((a) => a.unknown.length > 0 || a.substitutes)) return undefined;
    pieces = analyses.flatMap((a) => a.commands.map((c) => c.text));
    if (pieces.length === 0) return undefined;
  }
  let first: Rule | undefined;
  for (const piece of pieces) {
    const rule = rules.find((r) => patternMatches(r, group, piece));
    if (!rule) return undefined;
    first ??= rule;
  }
  return first;
}

/**
 * A shell line whose commands cannot all be known (it does not parse, or a command name is
 * computed when it runs) against deny or ask rules with a pattern: the rules cannot decide, so
 * the call asks rather than slipping past them.
 */
function undecidable(rules: Rule[], group: ToolGroup, targets: string[]): { rule: Rule; why: string } | undefined {
  if (group !== "shell") return undefined;
  const rule = rules.find((r) => r.pattern && r.pattern !== "*");
  if (!rule) return undefined;
  const why = targets.map(analyseShell).find((a) => a.unknown.length > 0)?.unknown[0];
  return why ? { rule, why } : undefined;
}

export type Decision =
  | { decision: "allow"; via: "mode" | "rule" | "grant"; rule?: string; reason: string }
  | { decision: "deny"; via: "mode" | "rule" | "workspace"; rule?: string; reason: string }
  | { decision: "ask"; via: "mode" | "rule"; rule?: string; reason: string };

const LOOSENESS: Record<PermissionMode, number> = { "read-only": 0, ask: 1, "auto-edit": 2, "full-auto": 3 };

/**
 * The effective mode: a CLI flag (the user, now) wins; otherwise the project may only tighten
 * the user's mode, never loosen it.
 */
export function effectiveMode(layers: PolicyLayers, flag?: PermissionMode): PermissionMode {
  if (flag) return flag;
  const user = layers.user.permissions?.mode ?? "ask";
  const project = layers.project.permissions?.mode;
  if (project && LOOSENESS[project] < LOOSENESS[user]) return project;
  return user;
}

export class PermissionPolicy {
  readonly mode: PermissionMode;
  private readonly deny: Rule[];
  private readonly ask: Rule[];
  private readonly allow: Rule[];
  /** "Always for this session" answers: a key per tool group and, for shell, the command's first word. */
  private readonly grants = new Set<string>();

  /**
   * The user's own settings (flag or user mode, user rules) decided alone: a project's allow
   * rules and mode may only tighten what these say, never loosen it.
   */
  private readonly userOnly?: PermissionPolicy;

  constructor(layers: PolicyLayers, options: { mode?: PermissionMode; extraAllow?: string[] } = {}) {
    this.mode = effectiveMode(layers, options.mode);
    if (layers.project.permissions) {
      this.userOnly = new PermissionPolicy({ user: layers.user, project: {} }, { ...options, mode: options.mode ?? layers.user.permissions?.mode ?? "ask" });
    }
    const rules = (key: keyof Omit<PermissionsConfig, "mode">) => [
      ...(layers.user.permissions?.[key] ?? []).map((t) => parseRule(t, "user")),
      ...(layers.project.permissions?.[key] ?? []).map((t) => parseRule(t, "project")),
    ];
    this.deny = rules("deny");
    this.ask = rules("ask");
    this.allow = [...rules("allow"), ...(options.extraAllow ?? []).map((t) => parseRule(t, "flag"))];
  }

  /**
   * Call before `decide`: for a shell call whose line needs the grammar (or with no call),
   * resolves once the shell parser is loaded. It loads on the first such line, not before: the
   * grammar costs a few hundred ms of CPU and ~10 MB, which a session whose commands are all
   * plain words (`npm test`, `git status && ls`) should not pay; those the fallback reader reads
   * exactly as the grammar would. Without it (failed to load) other lines cannot be allowed by a
   * rule and ask before deny rules.
   */
  async ready(call?: ToolCallPart): Promise<void> {
    if (call && toolGroup(call.name) !== "shell") return;
    if (call?.name === "shell" && readsWithoutGrammar(String((call.args as Record<string, unknown> | undefined)?.command ?? ""))) return;
    await loadShellParser();
  }

  /** The stricter of what all layers say and what the user's settings alone say (deny > ask > allow). */
  decide(call: ToolCallPart, tool: AnyTool | undefined, workspaceRoot: string): Decision {
    const layered = this.decideLayers(call, tool, workspaceRoot);
    if (!this.userOnly || layered.decision !== "allow") return layered;
    const user = this.userOnly.decide(call, tool, workspaceRoot);
    if (user.decision === "allow") return layered;
    const loosened = layered.via === "rule" ? `; the project's rule "${layered.rule}" cannot loosen your settings` : "";
    return { ...user, reason: `${user.reason}${loosened}` } as Decision;
  }

  private decideLayers(call: ToolCallPart, tool: AnyTool | undefined, workspaceRoot: string): Decision {
    const group = toolGroup(call.name, tool);
    const targets = targetsOf(call, workspaceRoot);
    const applicable = (rules: Rule[]) => rules.filter((r) => ruleApplies(r, call.name, group));

    // The file tools refuse such paths too; deciding here makes the attempt a recorded decision.
    const outside = group === "read" || group === "write" ? targets.find((t) => t === ".." || t.startsWith("../")) : undefined;
    if (outside !== undefined) {
      return { decision: "deny", via: "workspace", reason: `${path.resolve(workspaceRoot, outside)} is outside the workspace` };
    }
    const denied = applicable(this.deny).find((r) => matchesAny(r, group, targets));
    if (denied) return { decision: "deny", via: "rule", rule: denied.text, reason: `denied by ${denied.layer} rule "${denied.text}"` };
    if (group === "web") return this.decideWeb(call, targets, applicable);
    if (this.mode === "read-only" && group !== "read" && group !== "team") {
      return { decision: "deny", via: "mode", reason: "the permission mode is read-only" };
    }
    const asked = applicable(this.ask).find((r) => matchesAny(r, group, targets));
    if (asked) return { decision: "ask", via: "rule", rule: asked.text, reason: `${asked.layer} rule "${asked.text}" asks first` };
    const unsure = undecidable([...applicable(this.deny), ...applicable(this.ask)], group, targets);
    if (unsure) {
      const { rule, why } = unsure;
      return { decision: "ask", via: "rule", rule: rule.text, reason: `${rule.layer} rule "${rule.text}" cannot tell what this line runs (${why})` };
    }
    const allowed = coveredBy(applicable(this.allow), group, targets);
    if (allowed) return { decision: "allow", via: "rule", rule: allowed.text, reason: `allowed by ${allowed.layer} rule "${allowed.text}"` };
    const key = grantKey(call, group);
    if (key && this.grants.has(key)) return { decision: "allow", via: "grant", reason: "allowed for this session" };

    if (group === "read") return { decision: "allow", via: "mode", reason: "reading is allowed" };
    if (group === "team") return { decision: "allow", via: "mode", reason: "coordinating the team is allowed" };
    if (this.mode === "full-auto") return { decision: "allow", via: "mode", reason: "full-auto mode" };
    if (group === "write" && this.mode === "auto-edit") return { decision: "allow", via: "mode", reason: "auto-edit mode" };
    return { decision: "ask", via: "mode", reason: `${this.mode} mode asks before ${group === "write" ? "editing files" : `running ${call.name}`}` };
  }

  /**
   * The web reaches only hosts a `web: <host>` rule (or the sandbox's allowedHosts) allows, in
   * every mode; another host is asked about in ask mode and refused otherwise.
   */
  private decideWeb(call: ToolCallPart, targets: string[], applicable: (rules: Rule[]) => Rule[]): Decision {
    const host = targets[0] ?? "";
    const asked = applicable(this.ask).find((r) => matchesAny(r, "web", targets));
    if (asked) return { decision: "ask", via: "rule", rule: asked.text, reason: `${asked.layer} rule "${asked.text}" asks first` };
    const allowed = coveredBy(applicable(this.allow), "web", targets);
    if (allowed) return { decision: "allow", via: "rule", rule: allowed.text, reason: `allowed by ${allowed.layer} rule "${allowed.text}"` };
    const key = grantKey(call, "web");
    if (key && this.grants.has(key)) return { decision: "allow", via: "grant", reason: "allowed for this session" };
    if (this.mode === "ask") return { decision: "ask", via: "mode", reason: `ask mode asks before fetching from ${host}` };
    return {
      decision: "deny",
      via: "mode",
      reason: `no rule allows the host ${host}; to allow it add "web: ${host}" to permissions.allow in colleague.json or ~/.colleague/config.json`,
    };
  }

  /** Records an "always for this session" answer. */
  grant(call: ToolCallPart, tool: AnyTool | undefined): string | undefined {
    const key = grantKey(call, toolGroup(call.name, tool));
    if (key) this.grants.add(key);
    this.userOnly?.grant(call, tool);
    return key;
  }
}

/** Shell grants cover one set of programs as written (`npm …`) and never lines with substitutions or unknown commands; other grants a whole group. */
function grantKey(call: ToolCallPart, group: ToolGroup): string | undefined {
  if (group === "web") return `web:${urlHost((call.args as Record<string, unknown> | undefined)?.url)}`;
  if (group !== "shell") return group === "other" ? `tool:${call.name}` : group;
  const analysis = analyseShell(String((call.args as Record<string, unknown> | undefined)?.command ?? ""));
  if (analysis.substitutes || analysis.unknown.length > 0) return undefined;
  const programs = new Set(analysis.commands.map((c) => c.name));
  return `shell:${[...programs].sort().join(",")}`;
}
