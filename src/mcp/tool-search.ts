import { z } from "zod";
import { type AnyTool, defineTool } from "../tools/define.js";

/**
 * Lazy loading of MCP tools. Past a threshold their schemas stay out of the request: the model
 * gets `tool_search`, and the tools it finds join the tools sent from the next request on,
 * appended after the ones already there, so the cached prompt prefix (system prompt + earlier
 * tools) stays byte-identical. One per session: what one session loaded does not widen another's.
 */
export class LazyTools {
  private readonly loaded: AnyTool[] = [];
  private readonly byName: Map<string, AnyTool>;

  constructor(readonly deferred: readonly AnyTool[]) {
    this.byName = new Map(deferred.map((t) => [t.name, t]));
  }

  /** The tools sent to the model: `base`, then the loaded ones in the order they were found. */
  offered(base: readonly AnyTool[]): AnyTool[] {
    return [...base, ...this.loaded];
  }

  isLoaded(name: string): boolean {
    return this.loaded.some((t) => t.name === name);
  }

  load(tools: readonly AnyTool[]): void {
    for (const tool of tools) if (this.byName.has(tool.name) && !this.isLoaded(tool.name)) this.loaded.push(tool);
  }

  /** `select:a,b` picks by exact name; otherwise keywords, ranked by where they match. */
  search(query: string, max: number): AnyTool[] {
    const trimmed = query.trim();
    if (trimmed.startsWith("select:")) {
      return trimmed
        .slice("select:".length)
        .split(",")
        .map((name) => this.byName.get(name.trim()))
        .filter((t): t is AnyTool => t !== undefined)
        .slice(0, max);
    }
    return rankTools(this.deferred, trimmed).slice(0, max);
  }
}

/** Tools whose name or description holds the query's words: a word in the name counts most. */
export function rankTools(tools: readonly AnyTool[], query: string): AnyTool[] {
  const words = query
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 1);
  if (!words.length) return [];
  const scored = tools.map((tool, index) => {
    const name = tool.name.toLowerCase();
    const description = tool.description.toLowerCase();
    let score = 0;
    for (const word of words) {
      if (name.split(/__|_|-/).includes(word)) score += 4;
      else if (name.includes(word)) score += 3;
      if (description.includes(word)) score += 1;
    }
    return { tool, score, index };
  });
  return scored
    .filter((s) => s.score > 0)
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .map((s) => s.tool);
}

const DEFAULT_RESULTS = 5;

/** The `tool_search` tool over `lazy`; its description names the servers, never the tools (that is what it saves). */
export function createToolSearchTool(lazy: LazyTools): AnyTool {
  const servers = [...new Set(lazy.deferred.map((t) => t.name.split("__")[1]))].join(", ");
  return defineTool({
    name: "tool_search",
    description:
      `Finds tools of the connected MCP servers (${lazy.deferred.length} tools from ${servers}), whose schemas are not loaded yet. ` +
      'Give keywords (e.g. "github issue create"), or "select:<name>,<name>" for exact names. ' +
      "The tools found are loaded: call them by name from your next step on.",
    parameters: z.object({
      query: z.string().min(1).describe("Keywords, or select:<tool name>,<tool name>"),
      max_results: z.number().int().positive().max(20).optional().describe(`How many tools to load (default ${DEFAULT_RESULTS})`),
    }),
    readOnly: true,
    async execute({ query, max_results }) {
      const found = lazy.search(query, max_results ?? DEFAULT_RESULTS);
      if (!found.length) return { content: `No MCP tool matches "${query}". Try other keywords.`, details: { found: [] } };
      lazy.load(found);
      const lines = found.map((t) => `- ${t.name}: ${firstLine(t.description)}`);
      return { content: `Loaded ${found.length} tool${found.length === 1 ? "" : "s"}; call them directly:\n${lines.join("\n")}`, details: { found: found.map((t) => t.name) } };
    },
  });
}

const firstLine = (text: string) => {
  const line = text.split("\n")[0] ?? "";
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
};
