import { existsSync } from "node:fs";
import path from "node:path";
import { projectConfigFiles, readConfigFile } from "../config/config.js";
import { isProjectTrusted } from "../config/trust.js";
import type { McpServerConfig } from "./config.js";
import { readMcpJson } from "./mcp-json.js";

/** Where one configured server comes from, and whether it applies here. */
export interface ServerSource {
  name: string;
  entry: McpServerConfig;
  layer: "user" | "project";
  file: string;
  /** Why it does not apply (an untrusted project, or a later file that names the same server). */
  unused?: string;
}

/**
 * Every MCP server the config files name for `cwd`, in the order they apply (user config, the
 * project's colleague.json files, its .mcp.json): for `colleague mcp list`.
 */
export function serverSources(cwd: string, home: string): ServerSource[] {
  const { root, files } = projectConfigFiles(cwd);
  const layers: Array<{ layer: ServerSource["layer"]; file: string; servers: Record<string, McpServerConfig> }> = [];
  const userFile = path.join(home, "config.json");
  if (existsSync(userFile)) layers.push({ layer: "user", file: userFile, servers: readConfigFile(userFile).mcpServers ?? {} });
  for (const file of files.filter((f) => existsSync(f))) layers.push({ layer: "project", file, servers: readConfigFile(file).mcpServers ?? {} });
  const mcpJson = readMcpJson(root);
  if (mcpJson) layers.push({ layer: "project", file: mcpJson.file, servers: mcpJson.servers });
  const trusted = isProjectTrusted(home, root);
  const sources = layers.flatMap(({ layer, file, servers }) =>
    Object.entries(servers).map(([name, entry]): ServerSource => ({
      name,
      entry,
      layer,
      file,
      ...(layer === "project" && !trusted ? { unused: `the project is not trusted (colleague trust add ${root})` } : {}),
    })),
  );
  // A later file's server of the same name replaces an earlier one.
  for (const [i, source] of sources.entries()) {
    const later = sources.slice(i + 1).find((s) => s.name === source.name && !s.unused);
    if (later && !source.unused) source.unused = `replaced by ${later.file}`;
  }
  return sources;
}
