import { z } from "zod";
import { buildRepoMap } from "../context/repo-map.js";
import { defineTool, ToolError } from "./define.js";
import description from "./repo-map.md";

export const repoMapTool = defineTool({
  name: "repo_map",
  description,
  readOnly: true,
  maxOutputChars: 40_000,
  parameters: z.object({
    path: z.string().optional().describe("folder to map; default: workspace root"),
    max_tokens: z.number().int().min(256).max(8_192).optional().describe("size of the map in tokens; default 2048"),
  }),
  async execute({ path: input = ".", max_tokens: maxTokens = 2_048 }, ctx) {
    const root = ctx.workspace.resolve(input);
    const stats = await ctx.fs.stat(root).catch(() => undefined);
    if (!stats?.isDirectory()) throw new ToolError(`Not a folder: ${input}`);
    const map = await buildRepoMap(root, { budgetTokens: maxTokens, signal: ctx.signal });
    const summary = `${map.parsed} of ${map.files} source files parsed, ${map.definitions} definitions; best ranked first.`;
    return {
      content: map.text ? `${summary}\n${map.text}` : `No TypeScript, JavaScript, Python, Go or Rust definitions found under ${input}.`,
      details: { files: map.files, parsed: map.parsed, definitions: map.definitions, tokens: map.tokens, durationMs: map.durationMs },
    };
  },
});
