import type { CallToolResult, Tool as McpToolInfo } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import type { UserPart } from "../model/types.js";
import { type AnyTool, defineTool, ToolError, type ToolOutput } from "../tools/define.js";
import type { McpConnection } from "./connection.js";

/** Providers accept tool names of at most 64 characters from [A-Za-z0-9_-]. */
const MAX_NAME = 64;
/** A server's long description costs every request; Claude Code cuts at the same length. */
const MAX_DESCRIPTION = 2_048;

/** `mcp__<server>__<tool>`, with characters providers refuse replaced by `_`. */
export function mcpToolName(server: string, tool: string): string {
  return `mcp__${server}__${tool}`.replace(/[^A-Za-z0-9_-]/g, "_").slice(0, MAX_NAME);
}

/**
 * An MCP server's tool as a colleague tool: its own JSON schema goes to the model, the server
 * validates the arguments, and permission rules see it under its `mcp__…` name. A tool the
 * server marks read-only (readOnlyHint) counts as a read.
 */
export function wrapMcpTool(connection: McpConnection, info: McpToolInfo): AnyTool {
  const description = (info.description ?? info.annotations?.title ?? info.title ?? `${info.name} (MCP server ${connection.name})`).slice(0, MAX_DESCRIPTION);
  return defineTool({
    name: mcpToolName(connection.name, info.name),
    description,
    parameters: z.record(z.string(), z.unknown()),
    inputSchema: info.inputSchema as Record<string, unknown>,
    readOnly: info.annotations?.readOnlyHint === true,
    async execute(args, ctx) {
      let result: CallToolResult;
      try {
        result = await connection.callTool(info.name, args, ctx.signal);
      } catch (error) {
        throw new ToolError((error as Error).message);
      }
      return toolOutput(result);
    },
  });
}

/** What an MCP tool result becomes: text, images and resources as parts; isError as a failed call. */
export function toolOutput(result: CallToolResult): ToolOutput {
  const parts: UserPart[] = [];
  for (const item of result.content ?? []) {
    if (item.type === "text") parts.push({ type: "text", text: item.text });
    else if (item.type === "image") parts.push({ type: "image", mediaType: item.mimeType, data: item.data });
    else if (item.type === "resource") {
      const resource = item.resource;
      const text = "text" in resource ? resource.text : `[binary resource ${resource.uri}${resource.mimeType ? ` (${resource.mimeType})` : ""} not shown]`;
      parts.push({ type: "text", text: `${resource.uri}:\n${text}` });
    } else if (item.type === "resource_link") parts.push({ type: "text", text: `[resource ${item.uri}${item.description ? `: ${item.description}` : ""}]` });
    else parts.push({ type: "text", text: `[${item.type} content not shown]` });
  }
  if (!parts.length && result.structuredContent) parts.push({ type: "text", text: JSON.stringify(result.structuredContent) });
  if (!parts.length) parts.push({ type: "text", text: "(no output)" });
  return { content: joinText(parts), isError: result.isError === true };
}

/** Adjacent text parts become one, so a plain text result reads as one block. */
function joinText(parts: UserPart[]): string | UserPart[] {
  if (parts.every((p) => p.type === "text")) return parts.map((p) => (p as { text: string }).text).join("\n");
  return parts;
}
