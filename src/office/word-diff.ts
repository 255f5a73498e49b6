/** A word-level difference between two texts, as a reviewer reads a redline. */
export interface DiffSegment {
  kind: "same" | "delete" | "insert";
  text: string;
}

const MAX_CELLS = 4_000_000;

/**
 * The longest common run of words decides what stayed; the rest was deleted from the first
 * text or inserted into the second. Whitespace travels with the word before it, so deleted and
 * inserted phrases read as phrases. Beyond ~2,000 × 2,000 words it gives one deletion and one
 * insertion rather than spend quadratic memory.
 */
export function diffWords(before: string, after: string): DiffSegment[] {
  const a = tokens(before);
  const b = tokens(after);
  if (a.length * b.length > MAX_CELLS) return merge([{ kind: "delete", text: before }, { kind: "insert", text: after }]);
  const width = b.length + 1;
  const lcs = new Uint32Array((a.length + 1) * width);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lcs[i * width + j] = a[i] === b[j] ? lcs[(i + 1) * width + j + 1]! + 1 : Math.max(lcs[(i + 1) * width + j]!, lcs[i * width + j + 1]!);
    }
  }
  const out: DiffSegment[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      out.push({ kind: "same", text: a[i++]! });
      j++;
    } else if (i < a.length && (j === b.length || lcs[(i + 1) * width + j]! >= lcs[i * width + j + 1]!)) out.push({ kind: "delete", text: a[i++]! });
    else out.push({ kind: "insert", text: b[j++]! });
  }
  return merge(out);
}

function tokens(text: string): string[] {
  return text.match(/\S+\s*|\s+/g) ?? [];
}

function merge(segments: DiffSegment[]): DiffSegment[] {
  const out: DiffSegment[] = [];
  for (const s of segments) {
    if (!s.text) continue;
    const last = out.at(-1);
    if (last?.kind === s.kind) last.text += s.text;
    else out.push({ ...s });
  }
  return out;
}
