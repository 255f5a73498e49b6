import { z } from "zod";
import { defineTool, ToolError } from "./define.js";
import description from "./grep.md";
import { nothingSearched, RG_COMMON, ripgrepCommand } from "./ripgrep.js";

const MAX_LINE_CHARS = 300;
const DEFAULT_MAX_RESULTS = 100;

export const grepTool = defineTool({
  name: "grep",
  description,
  readOnly: true,
  parameters: z.object({
    pattern: z.string(),
    path: z.string().optional().describe("file or folder (default: workspace root)"),
    glob: z.string().optional(),
    ignore_case: z.boolean().optional(),
    context: z.number().int().min(0).max(20).optional().describe("lines around each match"),
    max_results: z.number().int().min(1).max(1000).optional().describe("default 100"),
  }),
  async execute({ pattern, path: input = ".", glob, ignore_case, context, max_results = DEFAULT_MAX_RESULTS }, ctx) {
    const target = ctx.workspace.resolve(input);
    const rel = ctx.workspace.relative(target);
    const args = ["--line-number", "--with-filename", "--no-heading", "--null", "--sort", "path", ...RG_COMMON];
    if (ignore_case) args.push("--ignore-case");
    if (context) args.push("--context", String(context));
    if (glob) args.push("--glob", glob);
    args.push("--regexp", pattern);
    // Run from the root so paths come out relative to it; "." would prefix every path with "./".
    if (rel !== ".") args.push("--", rel);
    const run = await ctx.runner.run(await ripgrepCommand(args), {
      cwd: ctx.workspace.root,
      timeoutMs: 60_000,
      signal: ctx.signal,
      maxOutputBytes: 2_000_000,
    });
    if (run.aborted) throw new ToolError("grep aborted.");
    if (run.timedOut) throw new ToolError("grep timed out after 60 s; narrow the path or glob.");
    const parsed = parseRipgrep(run.output, max_results);
    // Exit 1 is "no matches"; 2 is an error, which may still come with matches (an unreadable file).
    if (run.exitCode === 2 && parsed.matches === 0 && !nothingSearched(run.output)) {
      throw new ToolError(run.output.trim() || "grep failed (rg exit code 2).");
    }
    if (run.exitCode !== 0 && run.exitCode !== 1 && run.exitCode !== 2) {
      throw new ToolError(`grep failed: ${run.output.trim()}`);
    }
    if (parsed.matches === 0) return { content: "No matches", details: { matches: 0 } };
    const lines = parsed.lines;
    if (parsed.matches > max_results || run.droppedBytes > 0) {
      const total = run.droppedBytes > 0 ? `more than ${parsed.matches}` : String(parsed.matches);
      lines.push(`[showing ${max_results} of ${total} matches; narrow the pattern, path or glob]`);
    }
    return { content: lines.join("\n"), details: { matches: parsed.matches } };
  },
});

/**
 * rg's `--null` output: `path\0line:text` (match) or `path\0line-text` (context), and `--`
 * between separate groups. Keeps the first `max` matches and their context; counts all.
 */
export function parseRipgrep(output: string, max: number): { lines: string[]; matches: number } {
  const lines: string[] = [];
  let matches = 0;
  for (const raw of output.split("\n")) {
    if (raw === "--") {
      if (matches <= max && lines.length && lines.at(-1) !== "--") lines.push("--");
      continue;
    }
    const m = /^([^\0]*)\0(\d+)([:-])(.*)$/.exec(raw);
    if (!m) continue; // rg's own messages ("rg: …") and the runner's omission marker
    const [, file, line, kind, rest] = m as unknown as [string, string, string, string, string];
    const text = rest.replace(/\r$/, "");
    if (kind === ":") matches++;
    if (matches > max) continue;
    const cut = text.length > MAX_LINE_CHARS ? `${text.slice(0, MAX_LINE_CHARS)}… [${text.length} chars]` : text;
    lines.push(`${file}${kind}${line}${kind}${cut}`);
  }
  while (lines.at(-1) === "--") lines.pop();
  return { lines, matches };
}
