import path from "node:path";
import { z } from "zod";
import { defineTool, ToolError } from "./define.js";
import description from "./glob.md";
import { RG_COMMON, ripgrepCommand } from "./ripgrep.js";

const MAX_FILES = 200;

export const globTool = defineTool({
  name: "glob",
  description,
  readOnly: true,
  parameters: z.object({
    pattern: z.string(),
    path: z.string().optional().describe("folder to search (default: workspace root)"),
  }),
  async execute({ pattern, path: input = "." }, ctx) {
    const dir = ctx.workspace.resolve(input);
    const stats = await ctx.fs.stat(dir).catch(() => undefined);
    if (!stats?.isDirectory()) throw new ToolError(`Folder not found: ${input}`);
    // rg matches globs against paths relative to its working directory, so run it in `dir`.
    const command = await ripgrepCommand(["--files", ...RG_COMMON, "--glob", pattern]);
    const run = await ctx.runner.run(command, { cwd: dir, timeoutMs: 60_000, signal: ctx.signal, maxOutputBytes: 4_000_000 });
    if (run.aborted) throw new ToolError("glob aborted.");
    if (run.timedOut) throw new ToolError("glob timed out after 60 s; search a smaller folder.");
    if (run.exitCode !== 0 && run.exitCode !== 1 && run.exitCode !== 2) {
      throw new ToolError(`glob failed: ${run.output.trim()}`);
    }
    // With exit code 2, lines starting with "rg:" are per-file errors (e.g. permissions): skip them.
    const found = run.output.split("\n").filter((l) => l && !l.startsWith("rg: ") && !l.startsWith("[… "));
    if (run.exitCode === 2 && found.length === 0) throw new ToolError(run.output.trim() || "glob failed (rg exit code 2).");
    if (found.length === 0) return { content: `No files match ${pattern}`, details: { count: 0 } };

    const withTimes = await Promise.all(
      found.map(async (rel) => {
        const mtime = await ctx.fs.stat(path.join(dir, rel)).then(
          (s) => s.mtimeMs,
          () => 0,
        );
        return { rel: ctx.workspace.relative(path.join(dir, rel)), mtime };
      }),
    );
    withTimes.sort((a, b) => b.mtime - a.mtime || a.rel.localeCompare(b.rel));
    const shown = withTimes.slice(0, MAX_FILES).map((f) => f.rel);
    if (withTimes.length > MAX_FILES) {
      shown.push(`[showing ${MAX_FILES} of ${withTimes.length} files, newest first; narrow the pattern or path]`);
    }
    return { content: shown.join("\n"), details: { count: withTimes.length } };
  },
});
