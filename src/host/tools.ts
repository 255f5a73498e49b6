import type { ConfigFile } from "../config/config.js";
import type { AnyTool } from "../tools/define.js";
import { defaultTools } from "../tools/index.js";
import { searchSettingsProblem } from "../tools/search-providers.js";
import { createWebSearchTool } from "../tools/web-search.js";

/**
 * The tools a session on a workplace is offered, in a stable order (the cached prefix of every
 * request starts with them): the core tools, then what the machine offers (office files), then
 * what the config turns on (a search service). What cannot work (a search service without a key)
 * is left out with one notice.
 */
export function sessionTools(config: ConfigFile, env: NodeJS.ProcessEnv, machineTools: AnyTool[], onNotice?: (line: string) => void): AnyTool[] {
  const extra: AnyTool[] = [];
  if (config.webSearch) {
    const problem = searchSettingsProblem(config.webSearch, env);
    if (problem) onNotice?.(`${problem}; web_search is not offered`);
    else extra.push(createWebSearchTool(config.webSearch, env));
  }
  return [...defaultTools(), ...machineTools, ...extra];
}
