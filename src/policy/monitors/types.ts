import type { MonitorAction } from "../config.js";

/** What the monitors look for. */
export const CATEGORIES = [
  "malware",
  "exploitation",
  "credential_theft",
  "destructive",
  "persistence",
  "dos",
  "prompt_injection",
] as const;
export type Category = (typeof CATEGORIES)[number];

export const CATEGORY_LABELS: Record<Category, string> = {
  malware: "malware or ransomware authoring",
  exploitation: "exploitation of systems outside the declared scope",
  credential_theft: "credential theft or exfiltration",
  destructive: "destructive command",
  persistence: "persistence or defence evasion",
  dos: "denial of service",
  prompt_injection: "prompt injection",
};

/** Defaults: the clearly harmful categories block; destructive commands ask; injections warn the model. */
export const DEFAULT_ACTIONS: Record<Category, MonitorAction> = {
  malware: "block",
  exploitation: "block",
  credential_theft: "block",
  destructive: "ask",
  persistence: "block",
  dos: "block",
  prompt_injection: "warn",
};

/**
 * Where a category's default differs by stage. An injection the agent *reads* (a tool result) is
 * an attack on it, and a warning in front is the defence; an injection the user asks for, the
 * agent writes with a tool or puts in its answer is the agent planting one for the next reader,
 * which is as harmful as any other attack: asked about (refused without a terminal) or stopped.
 */
export const DEFAULT_STAGE_ACTIONS: Partial<Record<Category, Partial<Record<Stage, MonitorAction>>>> = {
  prompt_injection: { input: "ask", tool_call: "block", output: "block" },
};

/** The default action for a category at a stage. */
export const defaultAction = (category: Category, stage: Stage): MonitorAction => DEFAULT_STAGE_ACTIONS[category]?.[stage] ?? DEFAULT_ACTIONS[category];

/** Where in the session the text came from. */
export type Stage = "input" | "tool_call" | "tool_result" | "output";

export interface ScreenInput {
  stage: Stage;
  /** The text to screen: a message, a tool result, or a tool call rendered as text. */
  text: string;
  /** For tool calls: the tool's name (rules differ for shell commands and file writes). */
  tool?: string;
  /**
   * colleague's own rendering around other agents' words (a team tool's view of the board or the
   * mailbox): text unlike any the classifier was trained on, so only the rules and the judge read it.
   */
  coordination?: boolean;
}

export interface Verdict {
  category: Category;
  /** 0–1: how sure the deciding stage is. */
  score: number;
  source: "rule" | "classifier" | "judge";
  reason: string;
  /** Set when a trusted-access scope covered every target: the action is allowed and audited. */
  inScope?: { profile: string; targets: string[] };
}

/** Renders a tool call as the text the monitors read. */
export function callText(name: string, args: unknown): string {
  const a = (args ?? {}) as Record<string, unknown>;
  const s = (v: unknown) => (typeof v === "string" ? v : v === undefined ? "" : JSON.stringify(v));
  switch (name) {
    case "shell":
      return s(a.command);
    case "write_file":
      return `${s(a.path)}\n${s(a.content)}`;
    case "edit_file":
      return `${s(a.path)}\n${s(a.new_string)}`;
    case "apply_patch":
      return s(a.patch);
    default:
      return leaves(a).join("\n");
  }
}

/** The tools callText renders by their meaning; any other tool's call is the strings in its arguments. */
const RENDERED_TOOLS: ReadonlySet<string> = new Set(["shell", "write_file", "edit_file", "apply_patch"]);

/** The argument names under which another tool (an MCP server's, a plugin's) takes a shell command. */
const COMMAND_ARGS = ["command", "cmd"] as const;

/**
 * What the monitors screen for a tool call, in order. Where a tool of an MCP server or a plugin
 * takes a shell command, that command is screened first as the shell call it is (the classifier
 * knows commands, not that tool's fields), then the whole call as the strings in its arguments.
 */
export function screenedCall(name: string, args: unknown): { text: string; tool: string }[] {
  const whole = { text: callText(name, args), tool: name };
  if (RENDERED_TOOLS.has(name) || !args || typeof args !== "object") return [whole];
  const a = args as Record<string, unknown>;
  const command = COMMAND_ARGS.map((key) => a[key]).find((v): v is string => typeof v === "string" && v.trim() !== "");
  return command ? [{ text: command, tool: "shell" }, whole] : [whole];
}

/**
 * The strings, numbers and booleans inside a tool's arguments, in order: what a call to any other
 * tool says (a slide's title and notes, an MCP tool's command), without the JSON around it, which
 * no monitor was trained on and which would make a deck read like nothing it knows.
 */
function leaves(value: unknown, out: string[] = [], depth = 0): string[] {
  if (typeof value === "string") out.push(value);
  else if (typeof value === "number" || typeof value === "boolean") out.push(String(value));
  else if (value && typeof value === "object" && depth < 32) for (const v of Object.values(value)) leaves(v, out, depth + 1);
  return out;
}
