/**
 * A slash command that expands into a prompt: a custom command from a markdown file, or (added
 * by the MCP client) a server's prompt. Faces list them (the TUI menu, ACP's
 * available_commands_update) and run `/name args` by expanding it into the task.
 */
export interface PromptCommand {
  /** Without the slash; a subfolder namespaces it: `frontend:component`. */
  name: string;
  description: string;
  /** What the arguments look like, for menus: `[file] [message]`. */
  argumentHint?: string;
  /** Where it comes from: "project", "user", or e.g. "mcp:github". */
  source: string;
  expand(args: string): Promise<ExpandedCommand>;
}

export interface ExpandedCommand {
  prompt: string;
  /** The model this turn or run uses (a custom command's `model`). */
  model?: string;
  /** The only tools the run is offered (a custom command's `allowed-tools`), in Claude Code's or our names. */
  allowedTools?: string[];
}

/** `/name rest of line` → the name and the argument text; undefined when the text is not a slash command. */
export function parseInvocation(text: string): { name: string; args: string } | undefined {
  const match = /^\/([A-Za-z0-9][\w.:-]*)(?:\s+([\s\S]*))?$/.exec(text.trim());
  if (!match) return undefined;
  return { name: match[1]!, args: (match[2] ?? "").trim() };
}
