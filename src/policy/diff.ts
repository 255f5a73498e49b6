/**
 * A unified diff of two texts, for approval prompts: what an edit would change, with three
 * lines of context. Common head and tail are trimmed first, so the usual edit (a few lines in a
 * big file) costs little; a huge middle falls back to "all removed, all added".
 */

const CONTEXT = 3;
/** Above this many cells the line table is not built (memory and time stay small). */
const MAX_CELLS = 4_000_000;

type Op = { kind: " " | "-" | "+"; line: string; a: number; b: number };

export function unifiedDiff(before: string, after: string, file: string): string {
  if (before === after) return `(no change to ${file})`;
  const a = splitLines(before);
  const b = splitLines(after);
  const ops = diffLines(a, b);
  const header = [`--- ${before === "" ? "/dev/null" : `a/${file}`}`, `+++ b/${file}`];
  return [...header, ...hunks(ops)].join("\n");
}

function splitLines(text: string): string[] {
  if (text === "") return [];
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  return lines;
}

function diffLines(a: string[], b: string[]): Op[] {
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const ops: Op[] = [];
  for (let i = 0; i < head; i++) ops.push({ kind: " ", line: a[i]!, a: i, b: i });
  ops.push(...middle(a.slice(head, a.length - tail), b.slice(head, b.length - tail), head, head));
  for (let i = 0; i < tail; i++) {
    const ai = a.length - tail + i;
    ops.push({ kind: " ", line: a[ai]!, a: ai, b: b.length - tail + i });
  }
  return ops;
}

/** The changed middle: a longest-common-subsequence table when it is small enough. */
function middle(a: string[], b: string[], aStart: number, bStart: number): Op[] {
  const removed = () => a.map((line, i): Op => ({ kind: "-", line, a: aStart + i, b: bStart }));
  const added = () => b.map((line, j): Op => ({ kind: "+", line, a: aStart + a.length, b: bStart + j }));
  if (a.length === 0 || b.length === 0 || a.length * b.length > MAX_CELLS) return [...removed(), ...added()];
  const width = b.length + 1;
  const table = new Uint32Array((a.length + 1) * width);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      table[i * width + j] = a[i] === b[j] ? table[(i + 1) * width + j + 1]! + 1 : Math.max(table[(i + 1) * width + j]!, table[i * width + j + 1]!);
    }
  }
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      ops.push({ kind: " ", line: a[i]!, a: aStart + i, b: bStart + j });
      i++;
      j++;
    } else if (i < a.length && (j === b.length || table[(i + 1) * width + j]! >= table[i * width + j + 1]!)) {
      // Removals before additions, as diff(1) prints them.
      ops.push({ kind: "-", line: a[i]!, a: aStart + i, b: bStart + j });
      i++;
    } else {
      ops.push({ kind: "+", line: b[j]!, a: aStart + i, b: bStart + j });
      j++;
    }
  }
  return ops;
}

/** Groups changes with their context into `@@ -a,n +b,m @@` hunks. */
function hunks(ops: Op[]): string[] {
  const out: string[] = [];
  let index = 0;
  while (index < ops.length) {
    const change = ops.findIndex((op, k) => k >= index && op.kind !== " ");
    if (change < 0) break;
    const start = Math.max(index, change - CONTEXT);
    let end = change;
    // Extend while the next change is within two contexts of the last one.
    for (let k = change; k < ops.length; k++) {
      if (ops[k]!.kind !== " ") end = k;
      else if (k - end > CONTEXT * 2) break;
    }
    const stop = Math.min(ops.length, end + CONTEXT + 1);
    const slice = ops.slice(start, stop);
    const first = slice[0]!;
    const aCount = slice.filter((op) => op.kind !== "+").length;
    const bCount = slice.filter((op) => op.kind !== "-").length;
    out.push(`@@ -${aCount ? first.a + 1 : first.a},${aCount} +${bCount ? first.b + 1 : first.b},${bCount} @@`);
    for (const op of slice) out.push(`${op.kind}${op.line}`);
    index = stop;
  }
  return out;
}
