import { z } from "zod";
import { type AnyTool, defineTool, ToolError } from "./define.js";
import { search, type SearchSettings } from "./search-providers.js";
import description from "./web-search.md";

/**
 * web_search: offered only when the user configured a search service. The query leaves the
 * machine, so it is not a read: the permission layer asks before it in ask mode, as Claude
 * Code's WebSearch does, and the monitors screen the query like any other tool call.
 */
const TIMEOUT_MS = 20_000;
const DEFAULT_RESULTS = 8;

export function createWebSearchTool(settings: SearchSettings, env: NodeJS.ProcessEnv = process.env): AnyTool {
  return defineTool({
    name: "web_search",
    description,
    readOnly: false,
    parameters: z.object({
      query: z.string().min(1).max(400).describe("what to search for"),
      max_results: z.number().int().min(1).max(20).optional().describe(`how many results (default ${settings.maxResults ?? DEFAULT_RESULTS})`),
    }),
    async execute({ query, max_results: count = settings.maxResults ?? DEFAULT_RESULTS }, ctx) {
      const signal = AbortSignal.any([ctx.signal, AbortSignal.timeout(TIMEOUT_MS)]);
      let results: Awaited<ReturnType<typeof search>>;
      try {
        results = await search(settings, query, count, env, signal);
      } catch (error) {
        if (ctx.signal.aborted) throw new ToolError("web_search aborted.");
        if (signal.aborted) throw new ToolError(`web_search timed out after ${TIMEOUT_MS / 1000} s`);
        throw new ToolError(`web_search failed: ${(error as Error).cause ?? (error as Error).message}`);
      }
      if (!results.length) return { content: `No results for "${query}".`, details: { provider: settings.provider, count: 0 } };
      const lines = results.map((r, i) => `${i + 1}. ${r.title || r.url}\n   ${r.url}${r.snippet ? `\n   ${r.snippet.replace(/\s+/g, " ").trim()}` : ""}`);
      return { content: `Results for "${query}" (${settings.provider}):\n\n${lines.join("\n\n")}`, details: { provider: settings.provider, count: results.length } };
    },
  });
}
