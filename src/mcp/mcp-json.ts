import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { type JsoncDocument, parseJsonc } from "../config/jsonc.js";
import { ConfigError } from "../model/resolve.js";
import { McpServers } from "./config.js";

/** `.mcp.json` at the project root: the file Claude Code and other MCP clients share. */
export function mcpJsonFile(root: string): string {
  return path.join(root, ".mcp.json");
}

/** The servers a project's `.mcp.json` names (none when there is no file); a malformed file is a ConfigError. */
export function readMcpJson(root: string): { file: string; servers: McpServers } | undefined {
  const file = mcpJsonFile(root);
  if (!existsSync(file)) return undefined;
  let doc: JsoncDocument;
  try {
    doc = parseJsonc(readFileSync(file, "utf8"), file);
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
  const parsed = McpServers.optional().safeParse((doc.value as { mcpServers?: unknown } | undefined)?.mcpServers);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const at = ["mcpServers", ...issue.path];
    throw new ConfigError(`${doc.locate(at)}: ${at.join(".")}: ${issue.message}`);
  }
  return { file, servers: parsed.data ?? {} };
}
