import path from "node:path";
import { z } from "zod";
import description from "./apply-patch.md";
import { defineTool, type ToolContext, ToolError } from "./define.js";
import { applyHunks, PatchError, type PatchOp, parsePatch } from "./patch.js";

export const applyPatchTool = defineTool({
  name: "apply_patch",
  description,
  readOnly: false,
  parameters: z.object({ patch: z.string() }),
  async execute({ patch }, ctx) {
    const ops = asToolError(() => parsePatch(patch));
    if (ops.length === 0) throw new ToolError("The patch has no file operations.");
    const plan = await planPatch(ops, ctx);
    await writePlan(plan, ctx);
    return { content: plan.summary.join("\n"), details: { files: plan.summary } };
  },
});

interface Plan {
  /** Final content per absolute path; null = delete. Insertion order = write order. */
  contents: Map<string, string | null>;
  /** Paths that existed before the patch (only these can be removed from disk). */
  existed: Set<string>;
  /** `A path`, `M path`, `D path`, `R old -> new`. */
  summary: string[];
}

/**
 * Reads every file and computes every new content before anything is written, so a
 * failing operation leaves the workspace untouched. Later ops see earlier ops' results.
 */
async function planPatch(ops: PatchOp[], ctx: ToolContext): Promise<Plan> {
  const plan: Plan = { contents: new Map(), existed: new Set(), summary: [] };
  const current = async (file: string, shown: string, verb: string): Promise<string> => {
    if (plan.contents.has(file)) {
      const pending = plan.contents.get(file);
      if (pending === null) throw new ToolError(`${verb} ${shown}: the patch already deleted it.`);
      return pending!;
    }
    const stats = await ctx.fs.stat(file).catch(() => undefined);
    if (!stats) throw new ToolError(`${verb} ${shown}: file not found.`);
    if (stats.isDirectory()) throw new ToolError(`${verb} ${shown}: is a directory.`);
    plan.existed.add(file);
    return (await ctx.fs.readFile(file)).toString("utf8");
  };

  for (const op of ops) {
    const file = confine(op.path, ctx);
    if (op.type === "add") {
      const stats = await ctx.fs.stat(file).catch(() => undefined);
      if (stats?.isDirectory()) throw new ToolError(`Add File ${op.path}: is a directory.`);
      if (stats) plan.existed.add(file);
      plan.contents.set(file, op.content);
      plan.summary.push(`A ${op.path}`);
    } else if (op.type === "delete") {
      await current(file, op.path, "Delete File");
      plan.contents.set(file, null);
      plan.summary.push(`D ${op.path}`);
    } else {
      const before = await current(file, op.path, "Update File");
      const after = asToolError(() => applyHunks(before, op.hunks, op.path));
      if (op.moveTo && confine(op.moveTo, ctx) !== file) {
        const target = confine(op.moveTo, ctx);
        const stats = await ctx.fs.stat(target).catch(() => undefined);
        if (stats?.isDirectory()) throw new ToolError(`Move to ${op.moveTo}: is a directory.`);
        if (stats) plan.existed.add(target);
        plan.contents.set(file, null);
        plan.contents.set(target, after);
        plan.summary.push(`R ${op.path} -> ${op.moveTo}`);
      } else {
        plan.contents.set(file, after);
        plan.summary.push(`M ${op.path}`);
      }
    }
  }
  return plan;
}

async function writePlan(plan: Plan, ctx: ToolContext): Promise<void> {
  for (const [file, content] of plan.contents) {
    if (content === null) {
      if (plan.existed.has(file)) await ctx.fs.rm(file);
    } else {
      await ctx.fs.mkdir(path.dirname(file));
      await ctx.fs.writeFile(file, content);
    }
  }
}

/** Patch paths are relative (Codex convention), then confined like every other path. */
function confine(input: string, ctx: ToolContext): string {
  if (path.isAbsolute(input)) throw new ToolError(`apply_patch paths must be relative to the workspace: ${input}`);
  return ctx.workspace.resolve(input);
}

function asToolError<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof PatchError) throw new ToolError(error.message);
    throw error;
  }
}
