import { z } from "zod";

/**
 * MCP servers in Claude Code's shape, so a user's existing `.mcp.json` and `mcpServers` blocks
 * work unchanged: `{ "<name>": { "type"?, "command", "args", "env", "url", "headers", "timeout"? } }`.
 * Keys colleague does not use are ignored rather than refused, since those files are shared with
 * other tools.
 */
export const McpServerConfig = z.looseObject({
  /** stdio when `command` is given; http (streamable HTTP) or sse (the legacy transport) for `url`. */
  type: z.enum(["stdio", "http", "sse"]).optional(),
  command: z.string().min(1).optional(),
  args: z.array(z.string()).optional(),
  env: z.record(z.string(), z.string()).optional(),
  url: z.string().min(1).optional(),
  headers: z.record(z.string(), z.string()).optional(),
  /** Per tool call, ms. */
  timeout: z.number().int().positive().optional(),
});
export type McpServerConfig = z.infer<typeof McpServerConfig>;

export const McpServers = z.record(z.string(), McpServerConfig);
export type McpServers = z.infer<typeof McpServers>;

/** How colleague runs MCP servers (`"mcp": { … }` in config). */
export const McpSettings = z
  .object({
    /** Past this many MCP tools their schemas are loaded on demand through `tool_search` (0: always). */
    lazyToolsAbove: z.number().int().nonnegative().optional(),
    /** Per tool call, ms, for servers that set no `timeout`. */
    callTimeoutMs: z.number().int().positive().optional(),
    /** How long a server may take to start and list its tools, ms. */
    startTimeoutMs: z.number().int().positive().optional(),
  })
  .strict();
export type McpSettings = z.infer<typeof McpSettings>;

export const MCP_DEFAULTS = { lazyToolsAbove: 40, callTimeoutMs: 120_000, startTimeoutMs: 30_000 } as const;

/** A server ready to connect: its variables expanded, its transport decided. */
export type ResolvedServer = {
  name: string;
  /** Per tool call, ms. */
  timeoutMs: number;
} & (
  | { transport: "stdio"; command: string; args: string[]; env: Record<string, string> }
  | { transport: "http" | "sse"; url: string; headers: Record<string, string> }
);

/** Server names become part of tool names (`mcp__<server>__<tool>`), which providers limit to [A-Za-z0-9_-]. */
export const SERVER_NAME = /^[A-Za-z0-9_-]+$/;

const VARIABLE = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/**
 * Expands `${VAR}` and `${VAR:-default}` as Claude Code does. Variables that are unset and have
 * no default are collected in `missing` (and expand to nothing).
 */
export function expandVariables(text: string, env: NodeJS.ProcessEnv, missing: string[] = []): string {
  return text.replace(VARIABLE, (_all, name: string, fallback: string | undefined) => {
    const value = env[name];
    if (value !== undefined && value !== "") return value;
    if (fallback !== undefined) return fallback;
    missing.push(name);
    return "";
  });
}

/** The server ready to connect, or one line saying what is wrong with its entry. */
export function resolveServer(name: string, entry: McpServerConfig, env: NodeJS.ProcessEnv, defaultTimeoutMs: number): ResolvedServer | { problem: string } {
  if (!SERVER_NAME.test(name)) return { problem: `MCP server "${name}": a server name may hold only letters, digits, "_" and "-"` };
  const type = entry.type ?? (entry.command ? "stdio" : entry.url ? "http" : undefined);
  if (!type) return { problem: `MCP server "${name}" has neither "command" (stdio) nor "url" (http)` };
  const missing: string[] = [];
  const expand = (text: string) => expandVariables(text, env, missing);
  const expandAll = (record: Record<string, string> | undefined) => Object.fromEntries(Object.entries(record ?? {}).map(([k, v]) => [k, expand(v)]));
  const timeoutMs = entry.timeout ?? defaultTimeoutMs;
  let server: ResolvedServer;
  if (type === "stdio") {
    if (!entry.command) return { problem: `MCP server "${name}" is type stdio but has no "command"` };
    server = { name, timeoutMs, transport: "stdio", command: expand(entry.command), args: (entry.args ?? []).map(expand), env: expandAll(entry.env) };
  } else {
    if (!entry.url) return { problem: `MCP server "${name}" is type ${type} but has no "url"` };
    const url = expand(entry.url);
    if (!URL.canParse(url)) return { problem: `MCP server "${name}": "${url}" is not a URL` };
    server = { name, timeoutMs, transport: type, url, headers: expandAll(entry.headers) };
  }
  if (missing.length) return { problem: `MCP server "${name}" needs ${[...new Set(missing)].map((v) => `$${v}`).join(", ")}, which is not set` };
  return server;
}
