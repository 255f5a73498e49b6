import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { Workspace } from "../tools/workspace.js";

/** A file named with @path in a command is attached up to this size; a larger one is named, not read. */
const MAX_ATTACHED_BYTES = 100 * 1024;

/** `a "b c" 'd'` → ["a", "b c", "d"]: positional arguments as a shell user expects them. */
export function splitArguments(args: string): string[] {
  const out: string[] = [];
  const pattern = /"((?:\\.|[^"\\])*)"|'([^']*)'|(\S+)/g;
  for (let m = pattern.exec(args); m; m = pattern.exec(args)) out.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, "$1") : (m[2] ?? m[3] ?? ""));
  return out;
}

/**
 * Fills a command body the way Claude Code does: `$ARGUMENTS` is the whole argument text,
 * `$1`…`$9` the positional ones (empty when missing). A body with no placeholder gets the
 * arguments appended, so they are never dropped.
 */
export function substituteArguments(body: string, args: string): string {
  const positional = splitArguments(args);
  const uses = /\$ARGUMENTS|\$[1-9]/.test(body);
  const filled = body.replace(/\$ARGUMENTS|\$([1-9])/g, (_whole, n: string | undefined) => (n ? (positional[Number(n) - 1] ?? "") : args));
  return !uses && args ? `${filled}\n\nARGUMENTS: ${args}` : filled;
}

/**
 * `@path` references in a command's prompt: each names a file in the workspace whose text is
 * attached after the prompt. References outside the workspace, to folders or to missing files
 * stay as written (the model can still look); nothing outside the workspace is read.
 */
export function attachReferencedFiles(prompt: string, cwd: string): string {
  const workspace = new Workspace(cwd);
  const attached: string[] = [];
  const seen = new Set<string>();
  for (const match of prompt.matchAll(/(^|\s)@([^\s@`'"]+[^\s@`'".,;:!?)])/g)) {
    const ref = match[2]!;
    if (seen.has(ref)) continue;
    seen.add(ref);
    let file: string;
    try {
      file = workspace.resolve(ref);
    } catch {
      continue;
    }
    try {
      const stats = statSync(file);
      if (!stats.isFile()) continue;
      if (stats.size > MAX_ATTACHED_BYTES) {
        attached.push(`<file path="${ref}">(${stats.size} bytes: too large to attach; read it with read_file)</file>`);
        continue;
      }
      attached.push(`<file path="${path.relative(workspace.root, file) || ref}">\n${readFileSync(file, "utf8")}\n</file>`);
    } catch {
      // A reference that is not a readable file stays as written.
    }
  }
  return attached.length ? `${prompt}\n\n${attached.join("\n")}` : prompt;
}
