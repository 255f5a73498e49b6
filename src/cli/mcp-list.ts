import { colleagueHome } from "../config/config.js";
import { loadConfig } from "../config/config.js";
import { McpHub, type ServerStatus } from "../mcp/hub.js";
import { serverSources } from "../mcp/sources.js";
import { EXIT } from "./errors.js";
import { requireFolder } from "./folders.js";

/**
 * `colleague mcp list`: the MCP servers configured for a workspace, the file each comes from,
 * and whether it connects (each is started, listed and stopped again).
 */
export async function mcpListCommand(options: { cwd?: string; json?: boolean }, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const cwd = requireFolder(options.cwd ?? process.cwd(), "--cwd");
  const home = colleagueHome(env);
  const sources = serverSources(cwd, home);
  const config = loadConfig(cwd, env, home).config;
  const hub = config.mcpServers ? await McpHub.open({ servers: config.mcpServers, ...(config.mcp ? { settings: config.mcp } : {}), env, cwd }) : undefined;
  const statuses = new Map<string, ServerStatus>((hub?.statuses ?? []).map((s) => [s.name, s]));
  await hub?.close();
  const rows = sources.map((source) => {
    const status = source.unused ? undefined : statuses.get(source.name);
    return {
      name: source.name,
      layer: source.layer,
      file: source.file,
      transport: source.entry.type ?? (source.entry.command ? "stdio" : "http"),
      ...(source.unused ? { status: "unused", why: source.unused } : {}),
      ...(status ? { status: status.status, tools: status.tools, prompts: status.prompts, ...(status.error ? { error: status.error } : {}) } : {}),
    };
  });
  if (options.json) {
    for (const row of rows) process.stdout.write(`${JSON.stringify(row)}\n`);
    return EXIT.ok;
  }
  if (!rows.length) {
    process.stdout.write("no MCP servers configured (mcpServers in ~/.colleague/config.json or colleague.json, or .mcp.json at the project root)\n");
    return EXIT.ok;
  }
  const width = Math.max(...rows.map((r) => r.name.length));
  for (const row of rows) {
    const state =
      row.status === "connected"
        ? `connected · ${row.tools} tools, ${row.prompts} prompts`
        : row.status === "unused"
          ? `not used: ${row.why}`
          : `failed: ${row.error ?? "unknown"}`;
    process.stdout.write(`${row.name.padEnd(width)}  ${row.transport.padEnd(5)}  ${row.layer} ${row.file}  ${state}\n`);
  }
  return EXIT.ok;
}
