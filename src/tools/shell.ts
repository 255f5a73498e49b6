import { z } from "zod";
import { defineTool, ToolError } from "./define.js";
import description from "./shell.md";

const DEFAULT_TIMEOUT_MS = 120_000;
const MAX_TIMEOUT_MS = 600_000;
/** Below runTool's 30,000-char limit, leaving room for the runner's marker and the status line. */
const MAX_OUTPUT_BYTES = 28_000;

export const shellTool = defineTool({
  name: "shell",
  description,
  readOnly: false,
  truncate: "middle", // the end of a test run or build log is what matters most
  parameters: z.object({
    command: z.string(),
    timeout_ms: z.number().int().min(1).max(MAX_TIMEOUT_MS).optional().describe("default 120000"),
    workdir: z.string().optional(),
  }),
  async execute({ command, timeout_ms = DEFAULT_TIMEOUT_MS, workdir }, ctx) {
    if (!command.trim()) throw new ToolError("command is empty.");
    const cwd = workdir ? ctx.workspace.resolve(workdir) : ctx.workspace.root;
    const stats = await ctx.fs.stat(cwd).catch(() => undefined);
    if (!stats?.isDirectory()) throw new ToolError(`workdir is not a folder: ${workdir}`);

    const run = await ctx.runner.run(command, {
      cwd,
      timeoutMs: timeout_ms,
      signal: ctx.signal,
      maxOutputBytes: MAX_OUTPUT_BYTES,
      ...(ctx.onUpdate ? { onOutput: ctx.onUpdate } : {}),
    });
    const seconds = (run.durationMs / 1000).toFixed(1);
    let status: string;
    if (run.timedOut) status = `[killed after timeout of ${timeout_ms / 1000} s]`;
    else if (run.aborted) status = "[aborted]";
    else if (run.exitCode === null) status = `[killed by ${run.signal ?? "a signal"}, ${seconds} s]`;
    else status = `[exit code ${run.exitCode}, ${seconds} s]`;
    const output = run.output.endsWith("\n") || run.output === "" ? run.output : `${run.output}\n`;
    return {
      content: `${output}${status}`,
      isError: run.exitCode !== 0 || run.timedOut || run.aborted,
      details: { exitCode: run.exitCode, timedOut: run.timedOut, aborted: run.aborted, durationMs: run.durationMs },
    };
  },
});
