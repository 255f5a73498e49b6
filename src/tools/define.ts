import { z } from "zod";
import type { NativeToolForm, ToolSpec, Usage, UserPart } from "../model/types.js";
import type { FileSystem, ProcessRunner } from "./io.js";
import type { Workspace } from "./workspace.js";
import { monotonicMs } from "../builtins.js";

/** An expected failure (bad path, text not found…): its message goes to the model as is. */
export class ToolError extends Error {
  override name = "ToolError";
}

export interface ToolContext {
  workspace: Workspace;
  fs: FileSystem;
  runner: ProcessRunner;
  signal: AbortSignal;
  sessionId: string;
  callId: string;
  /** Live progress (e.g. shell output) for UIs; not sent to the model. */
  onUpdate?: (text: string) => void;
  /**
   * Adds what a tool spent on models (a subagent's run) to the session's totals. The tool also
   * puts it in its result's `details.charge`, which is how a resumed session counts it again.
   */
  charge?: (usage: Usage, costUsd: number) => void;
}

export interface ToolOutput {
  /** What the model sees. */
  content: string | UserPart[];
  /** What a UI may show besides (diffs, exit codes, counts); never sent to the model. */
  details?: Record<string, unknown>;
  isError?: boolean;
}

/** Where to cut output that is too long: keep the start, the end, or both ends. */
export type TruncateAt = "head" | "tail" | "middle";

export interface Tool<P extends z.ZodType = z.ZodType> {
  name: string;
  description: string;
  parameters: P;
  /**
   * A JSON schema sent to the model instead of the one derived from `parameters`: for tools
   * described elsewhere (MCP servers), whose own schema is the contract.
   */
  inputSchema?: Record<string, unknown>;
  /** Read-only tools of one step may run in parallel and are safe to re-run on resume. */
  readOnly: boolean;
  /**
   * Acts only on the team's own board and mailbox (no files, no processes, no network): the
   * permission layer lets such tools run in every mode, since whatever they set in motion is
   * itself guarded.
   */
  coordination?: boolean;
  /** A provider's built-in form of this tool, offered instead of the function form where a model has it. */
  native?: NativeToolForm;
  /** Output limit in characters (default 30,000) and which part to keep. */
  maxOutputChars?: number;
  truncate?: TruncateAt;
  execute(args: z.infer<P>, ctx: ToolContext): Promise<ToolOutput>;
}

// biome-ignore lint/suspicious/noExplicitAny: a tool list holds tools of many argument types
export type AnyTool = Tool<any>;

export function defineTool<P extends z.ZodType>(tool: Tool<P>): Tool<P> {
  return tool;
}

export interface ToolResult {
  content: UserPart[];
  isError: boolean;
  details?: Record<string, unknown>;
  durationMs: number;
}

const DEFAULT_MAX_CHARS = 30_000;
const specCache = new WeakMap<AnyTool, ToolSpec>();

/** The tool as the model sees it; computed once per tool so every request is byte-identical. */
export function toolSpec(tool: AnyTool): ToolSpec {
  let spec = specCache.get(tool);
  if (!spec) {
    const schema = tool.inputSchema ? { ...tool.inputSchema } : (z.toJSONSchema(tool.parameters, { io: "input" }) as Record<string, unknown>);
    delete schema.$schema;
    spec = { name: tool.name, description: tool.description, parameters: schema, ...(tool.native ? { native: tool.native } : {}) };
    specCache.set(tool, spec);
  }
  return spec;
}

/** Turns a zod failure into one message a model can act on. */
export function describeInvalidArgs(toolName: string, error: z.ZodError): string {
  const problems = error.issues.map((issue) => {
    const where = issue.path.length ? issue.path.join(".") : "arguments";
    return `${where}: ${issue.message}`;
  });
  return `Invalid arguments for ${toolName}: ${problems.join("; ")}. Fix the arguments and call the tool again.`;
}

/** Cuts text to `max` characters, keeping the chosen part, with a note saying what was cut. */
export function truncateText(text: string, max: number, at: TruncateAt = "head"): string {
  if (text.length <= max) return text;
  const omitted = text.length - max;
  const note = (where: string) =>
    `[… ${omitted} characters ${where} were cut (of ${text.length}); narrow the request to see them …]`;
  if (at === "head") return `${text.slice(0, max)}\n${note("at the end")}`;
  if (at === "tail") return `${note("at the start")}\n${text.slice(text.length - max)}`;
  const half = Math.floor(max / 2);
  return `${text.slice(0, half)}\n${note("in the middle")}\n${text.slice(text.length - (max - half))}`;
}

/**
 * Runs one tool call: validates the arguments, executes, catches failures, truncates and
 * times. Never throws: every outcome is a ToolResult the model can read.
 */
export async function runTool(tool: AnyTool, rawArgs: unknown, ctx: ToolContext): Promise<ToolResult> {
  const started = monotonicMs();
  const finish = (output: ToolOutput): ToolResult => {
    const max = tool.maxOutputChars ?? DEFAULT_MAX_CHARS;
    const content: UserPart[] =
      typeof output.content === "string"
        ? [{ type: "text", text: truncateText(output.content, max, tool.truncate) }]
        : output.content.map((p) => (p.type === "text" ? { ...p, text: truncateText(p.text, max, tool.truncate) } : p));
    return {
      content,
      isError: output.isError ?? false,
      ...(output.details ? { details: output.details } : {}),
      durationMs: Math.round(monotonicMs() - started),
    };
  };
  const parsed = tool.parameters.safeParse(rawArgs ?? {});
  if (!parsed.success) return finish({ content: describeInvalidArgs(tool.name, parsed.error), isError: true });
  if (ctx.signal.aborted) return finish({ content: "Not run: the turn was aborted.", isError: true });
  try {
    return finish(await tool.execute(parsed.data, ctx));
  } catch (error) {
    const message = error instanceof ToolError ? error.message : `${tool.name} failed: ${errorText(error)}`;
    return finish({ content: message, isError: true });
  }
}

function errorText(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}
