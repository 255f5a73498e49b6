import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import type { ToolCallPart } from "../model/types.js";
import { unifiedDiff } from "./diff.js";

/** Files larger than this are not read to build a diff (the prompt says so instead). */
const MAX_DIFF_BYTES = 2_000_000;

/**
 * What an approval prompt shows: the whole command for shell, a unified diff for writes and
 * edits (the file as it is now against the file as the call would leave it), the patch itself
 * for apply_patch. Reads only inside the workspace; never throws.
 */
export function approvalPreview(call: ToolCallPart, workspace: string): string | undefined {
  const args = (call.args ?? {}) as Record<string, unknown>;
  try {
    switch (call.name) {
      case "shell":
        return typeof args.command === "string" ? args.command : undefined;
      case "apply_patch":
        return typeof args.patch === "string" ? args.patch.trim() : undefined;
      case "write_file": {
        const file = inside(workspace, args.path);
        if (!file || typeof args.content !== "string") return undefined;
        const before = current(file.absolute);
        return before === undefined ? `(${file.relative} is too large to diff)` : unifiedDiff(before ?? "", args.content, file.relative);
      }
      case "edit_file": {
        const file = inside(workspace, args.path);
        if (!file || typeof args.old_string !== "string" || typeof args.new_string !== "string") return undefined;
        const before = current(file.absolute);
        if (before === undefined) return `(${file.relative} is too large to diff)`;
        if (before === null || !before.includes(args.old_string)) return unifiedDiff(args.old_string, args.new_string, file.relative);
        const after = args.replace_all === true ? before.replaceAll(args.old_string, () => String(args.new_string)) : before.replace(args.old_string, () => String(args.new_string));
        return unifiedDiff(before, after, file.relative);
      }
      default:
        return undefined;
    }
  } catch {
    return undefined;
  }
}

function inside(workspace: string, p: unknown): { absolute: string; relative: string } | undefined {
  if (typeof p !== "string" || !p) return undefined;
  const absolute = path.resolve(workspace, p);
  const relative = path.relative(workspace, absolute);
  if (relative.startsWith("..") || path.isAbsolute(relative)) return undefined;
  return { absolute, relative: relative.split(path.sep).join("/") };
}

/** The file's text; null when it does not exist yet; undefined when it is too large to diff. */
function current(file: string): string | null | undefined {
  try {
    if (statSync(file).size > MAX_DIFF_BYTES) return undefined;
    return readFileSync(file, "utf8");
  } catch {
    return null;
  }
}
