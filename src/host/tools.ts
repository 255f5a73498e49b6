import type { ConfigFile } from "../config/config.js";
import type { AnyTool } from "../tools/define.js";
import { defaultTools } from "../tools/index.js";
import { searchSettingsProblem } from "../tools/search-providers.js";
import { createWebSearchTool } from "../tools/web-search.js";

/**
 * The tools a session on a workplace is offered: the core tools, then those its config turns on
 * (a search service). Undefined when that is just the core set, so the session keeps its default.
 * What cannot work (a search service without a key) is left out with one notice.
 */
export function sessionTools(config: ConfigFile, env: NodeJS.ProcessEnv, onNotice?: (line: string) => void): AnyTool[] | undefined {
  const extra: AnyTool[] = [];
  if (config.webSearch) {
    const problem = searchSettingsProblem(config.webSearch, env);
    if (problem) onNotice?.(`${problem}; web_search is not offered`);
    else extra.push(createWebSearchTool(config.webSearch, env));
  }
  return extra.length ? [...defaultTools(), ...extra] : undefined;
}
