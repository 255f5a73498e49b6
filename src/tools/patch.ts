/**
 * The Codex apply_patch format, parsed and applied as pure functions (no I/O):
 *
 *   *** Begin Patch
 *   *** Add File: path        then `+` lines
 *   *** Delete File: path
 *   *** Update File: path     optional `*** Move to: path`, then hunks:
 *   @@ optional context line  then ` ` / `-` / `+` lines, optional `*** End of File`
 *   *** End Patch
 */

export interface Hunk {
  /** Text after `@@`: a line to find first, so the hunk applies after it. */
  context?: string;
  oldLines: string[];
  newLines: string[];
  /** Marked `*** End of File`: the hunk must match at the end of the file. */
  atEnd: boolean;
}

export type PatchOp =
  | { type: "add"; path: string; content: string }
  | { type: "delete"; path: string }
  | { type: "update"; path: string; moveTo?: string; hunks: Hunk[] };

/** A malformed patch or a hunk that does not apply; the message is meant for the model. */
export class PatchError extends Error {
  override name = "PatchError";
}

const BEGIN = "*** Begin Patch";
const END = "*** End Patch";
const ADD = "*** Add File: ";
const DELETE = "*** Delete File: ";
const UPDATE = "*** Update File: ";
const MOVE = "*** Move to: ";
const EOF_MARK = "*** End of File";

export function parsePatch(text: string): PatchOp[] {
  const lines = unwrapHeredoc(text.replace(/\r\n/g, "\n").split("\n"));
  let first = 0;
  while (first < lines.length && lines[first]!.trim() === "") first++;
  let last = lines.length - 1;
  while (last >= 0 && lines[last]!.trim() === "") last--;
  if (lines[first]?.trim() !== BEGIN) throw new PatchError(`patch line ${first + 1}: the first line must be "${BEGIN}"`);
  if (last <= first || lines[last]!.trim() !== END) {
    throw new PatchError(`patch line ${last + 1}: the last line must be "${END}"`);
  }

  const ops: PatchOp[] = [];
  let i = first + 1;
  const fail = (message: string): never => {
    throw new PatchError(`patch line ${i + 1}: ${message}`);
  };
  const header = (prefix: string) => {
    const path = lines[i]!.slice(prefix.length).trim();
    if (!path) fail(`missing path after "${prefix.trim()}"`);
    return path;
  };
  const isOpHeader = (line: string) =>
    line.startsWith(ADD) || line.startsWith(DELETE) || line.startsWith(UPDATE) || line.trim() === END;

  while (i < last) {
    const line = lines[i]!;
    if (line.startsWith(ADD)) {
      const path = header(ADD);
      const body: string[] = [];
      for (i++; i < last && !isOpHeader(lines[i]!); i++) {
        if (!lines[i]!.startsWith("+")) fail(`lines of an added file must start with "+"`);
        body.push(lines[i]!.slice(1));
      }
      ops.push({ type: "add", path, content: body.length ? `${body.join("\n")}\n` : "" });
    } else if (line.startsWith(DELETE)) {
      ops.push({ type: "delete", path: header(DELETE) });
      i++;
    } else if (line.startsWith(UPDATE)) {
      const path = header(UPDATE);
      const opLine = i + 1;
      i++;
      let moveTo: string | undefined;
      if (lines[i]?.startsWith(MOVE)) {
        moveTo = header(MOVE);
        i++;
      }
      const hunks: Hunk[] = [];
      while (i < last && !isOpHeader(lines[i]!)) {
        const hunk = parseHunk(hunks.length === 0);
        if (hunk.oldLines.length || hunk.newLines.length) hunks.push(hunk);
        else fail("empty hunk");
      }
      if (hunks.length === 0) {
        throw new PatchError(`patch line ${opLine}: "Update File: ${path}" has no hunks`);
      }
      ops.push({ type: "update", path, ...(moveTo ? { moveTo } : {}), hunks });
    } else {
      fail(`expected "${ADD.trim()}", "${DELETE.trim()}" or "${UPDATE.trim()}", got "${line}"`);
    }
  }
  return ops;

  /** One hunk from lines[i]; the first hunk of a file may omit its `@@`. */
  function parseHunk(first: boolean): Hunk {
    const hunk: Hunk = { oldLines: [], newLines: [], atEnd: false };
    const line = lines[i]!;
    if (line === "@@" || line.startsWith("@@ ")) {
      const context = line.slice(2).trim();
      if (context) hunk.context = context;
      i++;
    } else if (!first) {
      fail(`expected "@@" to start a hunk, got "${line}"`);
    }
    for (; i < last; i++) {
      const l = lines[i]!;
      if (l.trim() === EOF_MARK) {
        hunk.atEnd = true;
        i++;
        break;
      }
      if (l === "@@" || l.startsWith("@@ ") || isOpHeader(l)) break;
      const body = l.slice(1);
      if (l === "" || l[0] === " ") {
        // A blank line is an empty context line: editors strip the single space.
        hunk.oldLines.push(body);
        hunk.newLines.push(body);
      } else if (l[0] === "-") hunk.oldLines.push(body);
      else if (l[0] === "+") hunk.newLines.push(body);
      else fail(`hunk lines must start with " ", "-" or "+", got "${l}"`);
    }
    return hunk;
  }
}

/** Models sometimes send the shell form `apply_patch <<'EOF' … EOF`; keep only the patch. */
function unwrapHeredoc(lines: string[]): string[] {
  const start = lines.findIndex((l) => l.trim() !== "");
  if (start === -1 || !/<<\s*['"]?\w+['"]?\s*$/.test(lines[start]!)) return lines;
  const tag = lines[start]!.match(/<<\s*['"]?(\w+)/)![1]!;
  let end = lines.length - 1;
  while (end > start && lines[end]!.trim() === "") end--;
  return lines[end]!.trim() === tag ? lines.slice(start + 1, end) : lines.slice(start + 1);
}

/**
 * Applies hunks to a file's text. Each hunk is searched for after the previous one; lines
 * compare exactly, then ignoring trailing whitespace, then ignoring surrounding whitespace.
 * Keeps the file's line endings (LF or CRLF); the result ends with a newline.
 */
export function applyHunks(original: string, hunks: Hunk[], path = "the file"): string {
  const crlf = original.includes("\r\n");
  const lines = original.split("\n").map((l) => (crlf ? l.replace(/\r$/, "") : l));
  if (lines.at(-1) === "") lines.pop();

  const replacements: { at: number; remove: number; insert: string[] }[] = [];
  let cursor = 0;
  for (const hunk of hunks) {
    if (hunk.context !== undefined) {
      const at = seek(lines, [hunk.context], cursor, false);
      if (at === -1) throw new PatchError(`${path}: context line not found:\n${hunk.context}`);
      cursor = at + 1;
    }
    if (hunk.oldLines.length === 0) {
      // Pure addition: right after its `@@` context line, else at the end of the file.
      replacements.push({ at: hunk.context !== undefined ? cursor : lines.length, remove: 0, insert: hunk.newLines });
      continue;
    }
    let oldLines = hunk.oldLines;
    let newLines = hunk.newLines;
    let at = seek(lines, oldLines, cursor, hunk.atEnd);
    if (at === -1 && oldLines.at(-1) === "") {
      // A trailing blank context line often stands for the end of the file.
      oldLines = oldLines.slice(0, -1);
      newLines = newLines.at(-1) === "" ? newLines.slice(0, -1) : newLines;
      at = seek(lines, oldLines, cursor, hunk.atEnd);
    }
    if (at === -1) {
      throw new PatchError(
        `${path}: could not find these lines${cursor > 0 ? ` after line ${cursor}` : ""}:\n${hunk.oldLines.join("\n")}`,
      );
    }
    replacements.push({ at, remove: oldLines.length, insert: newLines });
    cursor = at + oldLines.length;
  }
  // Back to front, so earlier indexes stay valid; on a tie the later hunk goes first.
  const order = replacements.map((r, index) => ({ ...r, index })).sort((a, b) => b.at - a.at || b.index - a.index);
  for (const r of order) lines.splice(r.at, r.remove, ...r.insert);
  const eol = crlf ? "\r\n" : "\n";
  return lines.length ? `${lines.join(eol)}${eol}` : "";
}

const COMPARISONS: ((a: string, b: string) => boolean)[] = [
  (a, b) => a === b,
  (a, b) => a.trimEnd() === b.trimEnd(),
  (a, b) => a.trim() === b.trim(),
];

/** Index where `pattern` starts at or after `from`, trying looser comparisons in turn; -1 if none. */
export function seek(lines: string[], pattern: string[], from: number, atEnd: boolean): number {
  if (pattern.length > lines.length) return -1;
  const lastStart = lines.length - pattern.length;
  for (const same of COMPARISONS) {
    const matches = (start: number) => pattern.every((p, j) => same(lines[start + j]!, p));
    if (atEnd && lastStart >= from && matches(lastStart)) return lastStart;
    for (let start = from; start <= lastStart; start++) if (matches(start)) return start;
  }
  return -1;
}
