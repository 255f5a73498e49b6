import path from "node:path";
import { z } from "zod";
import { defineTool, ToolError } from "./define.js";
import description from "./edit-file.md";

export const editFileTool = defineTool({
  name: "edit_file",
  description,
  readOnly: false,
  parameters: z.object({
    path: z.string(),
    old_string: z.string(),
    new_string: z.string(),
    replace_all: z.boolean().optional(),
  }),
  async execute({ path: input, old_string, new_string, replace_all = false }, ctx) {
    if (old_string === new_string) throw new ToolError("old_string and new_string are identical; nothing to change.");
    const file = ctx.workspace.resolve(input);
    const shown = ctx.workspace.relative(file);
    const stats = await ctx.fs.stat(file).catch(() => undefined);
    if (stats?.isDirectory()) throw new ToolError(`${input} is a directory; give a file path.`);

    if (!stats || old_string === "") {
      // An empty old_string means "create": allowed for a missing or empty file only.
      if (old_string !== "") throw new ToolError(`File not found: ${input}. Use an empty old_string to create it.`);
      if (stats && stats.size > 0) {
        throw new ToolError(`${input} already exists; old_string may be empty only to create a file.`);
      }
      await ctx.fs.mkdir(path.dirname(file));
      await ctx.fs.writeFile(file, new_string);
      const diff = editDiff("", [0], "", new_string);
      return { content: `Created ${shown}`, details: { created: true, ...diff } };
    }

    const original = (await ctx.fs.readFile(file)).toString("utf8");
    let [from, to] = [old_string, new_string];
    if (original.includes("\r\n") && !from.includes("\r\n")) {
      // Models write \n; keep a CRLF file's line endings rather than fail to match.
      [from, to] = [from.replaceAll("\n", "\r\n"), to.replaceAll("\n", "\r\n")];
    }
    const positions = occurrences(original, from);
    if (positions.length === 0) throw new ToolError(notFoundMessage(shown, original, from));
    if (positions.length > 1 && !replace_all) {
      throw new ToolError(
        `old_string found ${positions.length} times in ${shown}; include more surrounding lines or set replace_all.`,
      );
    }
    const used = replace_all ? positions : positions.slice(0, 1);
    const updated = replace_all ? original.split(from).join(to) : original.replace(from, () => to);
    await ctx.fs.writeFile(file, updated);
    const diff = editDiff(original, used, from, to);
    const count = used.length === 1 ? "1 occurrence" : `${used.length} occurrences`;
    return {
      content: `Edited ${shown}: replaced ${count} (-${diff.removed} +${diff.added} lines)`,
      details: { created: false, replacements: used.length, ...diff },
    };
  },
});

function occurrences(text: string, needle: string): number[] {
  const found: number[] = [];
  for (let i = text.indexOf(needle); i !== -1; i = text.indexOf(needle, i + needle.length)) found.push(i);
  return found;
}

function notFoundMessage(shown: string, content: string, needle: string): string {
  const starts = whitespaceInsensitiveMatches(content, needle);
  if (starts.length === 0) return `old_string not found in ${shown}. Read the file again and copy the exact text.`;
  const span = needle.trim().split(/\r?\n/).length - 1;
  const where = starts
    .slice(0, 5)
    .map((s) => (span ? `${s}-${s + span}` : `${s}`))
    .join(", ");
  return `old_string not found exactly in ${shown}, but it matches line(s) ${where} if whitespace is ignored; copy the exact text (indentation, tabs, trailing spaces).`;
}

/** 1-based start lines where `needle` matches once runs of whitespace are collapsed and lines trimmed. */
export function whitespaceInsensitiveMatches(content: string, needle: string): number[] {
  const norm = (line: string) => line.trim().replace(/\s+/g, " ");
  const want = needle.trim().split(/\r?\n/).map(norm);
  if (want.length === 0 || want.every((w) => w === "")) return [];
  const lines = content.split(/\r?\n/).map(norm);
  const last = want.length - 1;
  const matchesAt = (i: number) => {
    if (last === 0) return lines[i]!.includes(want[0]!);
    if (!lines[i]!.endsWith(want[0]!) || !lines[i + last]!.startsWith(want[last]!)) return false;
    for (let j = 1; j < last; j++) if (lines[i + j] !== want[j]) return false;
    return true;
  };
  const starts: number[] = [];
  for (let i = 0; i + last < lines.length; i++) if (matchesAt(i)) starts.push(i + 1);
  return starts;
}

export interface EditDiff {
  /** Unified-diff-like text: one `@@ -a,n +b,m @@` hunk per replacement, whole lines. */
  diff: string;
  added: number;
  removed: number;
}

const MAX_DIFF_HUNKS = 20;

/** For UIs: the whole lines touched by each replacement, before (-) and after (+). */
export function editDiff(original: string, positions: number[], from: string, to: string): EditDiff {
  const hunks: string[] = [];
  let added = 0;
  let removed = 0;
  let shift = 0;
  const splitLines = (s: string) => (s === "" ? [] : s.replace(/\r?\n$/, "").split(/\r?\n/));
  for (const [n, at] of positions.entries()) {
    const lineStart = original.lastIndexOf("\n", at - 1) + 1;
    let end = at + from.length;
    if (!from.endsWith("\n")) {
      const nl = original.indexOf("\n", end);
      end = nl === -1 ? original.length : nl;
    }
    const before = splitLines(original.slice(lineStart, end));
    const after = splitLines(original.slice(lineStart, at) + to + original.slice(at + from.length, end));
    const line = original.slice(0, lineStart).split("\n").length;
    removed += before.length;
    added += after.length;
    if (n < MAX_DIFF_HUNKS) {
      hunks.push(
        `@@ -${line},${before.length} +${line + shift},${after.length} @@`,
        ...before.map((l) => `-${l}`),
        ...after.map((l) => `+${l}`),
      );
    }
    shift += after.length - before.length;
  }
  return { diff: hunks.join("\n"), added, removed };
}
