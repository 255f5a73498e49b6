import type { GetPromptResult, Prompt } from "@modelcontextprotocol/sdk/types.js";
import type { McpConnection } from "./connection.js";
import { mcpToolName } from "./tools.js";

/**
 * A slash command: an MCP server's prompt (`/mcp__<server>__<prompt> args`), and the shape the
 * file-based custom commands share, so a face lists and expands both alike.
 */
export interface SlashCommand {
  name: string;
  description: string;
  argumentHint?: string;
  /** Where it comes from, e.g. `mcp:github`. */
  source: string;
  expand(args: string): Promise<{ prompt: string }>;
}

/** The prompt as a command; its arguments are the words typed after it, the last one taking the rest. */
export function promptCommand(connection: McpConnection, prompt: Prompt): SlashCommand {
  const declared = prompt.arguments ?? [];
  const hint = declared.map((a) => (a.required ? `<${a.name}>` : `[${a.name}]`)).join(" ");
  return {
    name: mcpToolName(connection.name, prompt.name),
    description: prompt.description ?? prompt.title ?? `prompt ${prompt.name} of MCP server ${connection.name}`,
    ...(hint ? { argumentHint: hint } : {}),
    source: `mcp:${connection.name}`,
    async expand(args: string) {
      const values = splitArguments(args, declared.length);
      const missing = declared.filter((a, i) => a.required && !values[i]);
      if (missing.length) throw new Error(`/${this.name} needs ${missing.map((a) => a.name).join(", ")} (usage: /${this.name} ${hint})`);
      const named = Object.fromEntries(declared.flatMap((a, i) => (values[i] ? [[a.name, values[i]]] : [])));
      return { prompt: promptText(await connection.getPrompt(prompt.name, named)) };
    },
  };
}

/** Words split on whitespace; the `count`th takes whatever is left. */
export function splitArguments(text: string, count: number): string[] {
  const trimmed = text.trim();
  if (!trimmed || count === 0) return [];
  const words = trimmed.split(/\s+/);
  if (words.length <= count) return words;
  return [...words.slice(0, count - 1), words.slice(count - 1).join(" ")];
}

/** A prompt's messages as one text the user sends (images are named, not attached). */
export function promptText(result: GetPromptResult): string {
  return result.messages
    .map((m) => {
      const c = m.content;
      if (c.type === "text") return c.text;
      if (c.type === "resource") return "text" in c.resource ? c.resource.text : `[resource ${c.resource.uri}]`;
      return `[${c.type} omitted]`;
    })
    .join("\n\n");
}
