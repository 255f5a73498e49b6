/**
 * A literal gate for a regular expression: strings of which a match must contain at least one,
 * read from the pattern's source. The monitors test ~140 case-insensitive patterns on every
 * item, and V8 compiles each on its first use (~0.1 ms apiece); a lowercased text that holds
 * none of a pattern's literals cannot match it, so most patterns are never compiled or run.
 *
 * The literals come from literal-parse.ts, which lets more through where it is unsure, never
 * less; this file is the check at run time.
 */

import { literalGate } from "./literal-parse.js";
import type { GateTable } from "./rule-gates.js";

/**
 * A gate as the check reads it: its literals, and for each the hashes of three of its character
 * trigrams (first, middle, last; all 0 for a literal under three characters, searched directly).
 */
export interface Gate {
  literals: string[];
  grams: Uint32Array;
}

const gramHash = (a: number, b: number, c: number): number => (Math.imul(a, 0x9e3779b1) ^ Math.imul(b, 0x85ebca77) ^ Math.imul(c, 0xc2b2ae3d)) >>> 0;

/** The trigram hashes of `literals`, three for each (first, middle, last; 0s under three characters). */
export function gramsOf(literals: readonly string[]): Uint32Array {
  const grams = new Uint32Array(literals.length * 3);
  for (let k = 0; k < literals.length; k++) {
    const text = literals[k]!;
    const last = text.length - 3;
    if (last < 0) continue;
    const at = (i: number) => gramHash(text.charCodeAt(i), text.charCodeAt(i + 1), text.charCodeAt(i + 2));
    grams[k * 3] = at(0);
    grams[k * 3 + 1] = at(last >> 1);
    grams[k * 3 + 2] = at(last);
  }
  return grams;
}

/**
 * A text as the gates read it: lowercased, with a bit set for each of its character trigrams
 * (the table is ≥ 16 bits per character, so few bits collide). A literal with a trigram not
 * marked is absent, decided without a search; the rest are confirmed with `includes`. One pass
 * over the text instead of a search for each of ~1,400 literals.
 */
export class GateText {
  readonly lowered: string;
  private readonly bits: Uint32Array;
  private readonly mask: number;

  constructor(readonly text: string) {
    const s = text.toLowerCase();
    this.lowered = s;
    let size = 1 << 12;
    while (size < s.length * 16 && size < 1 << 23) size <<= 1;
    this.bits = new Uint32Array(size >>> 5);
    this.mask = size - 1;
    // Hash 0 stands for "no trigram" (a short literal): always marked.
    this.bits[0] |= 1;
    let a = s.charCodeAt(0);
    let b = s.charCodeAt(1);
    for (let i = 2; i < s.length; i++) {
      const c = s.charCodeAt(i);
      const h = gramHash(a, b, c) & this.mask;
      this.bits[h >>> 5] |= 1 << (h & 31);
      a = b;
      b = c;
    }
  }

  private marked(hash: number): boolean {
    const h = hash & this.mask;
    return (this.bits[h >>> 5] & (1 << (h & 31))) !== 0;
  }

  /** Whether the text can match a pattern with this gate (no gate: always). */
  passes(gate: Gate | null): boolean {
    if (!gate) return true;
    const { literals, grams } = gate;
    for (let k = 0; k < literals.length; k++) {
      if (this.marked(grams[3 * k]) && this.marked(grams[3 * k + 1]) && this.marked(grams[3 * k + 2]) && this.lowered.includes(literals[k])) return true;
    }
    return false;
  }
}

const gates = new WeakMap<RegExp, Gate | null>();
const toGate = (literals: string[] | null | undefined): Gate | null => (literals ? { literals, grams: gramsOf(literals) } : null);

/**
 * What a gate table checks its patterns by: flags and alternatives, which the bundles keep as
 * written (the CommonJS bundle escapes non-ASCII characters, so a source's length changes).
 */
export const gateSignature = (re: RegExp): string => `${re.flags}${re.source.split("|").length}`;

/**
 * Takes the gates of `patterns` from a table the build computed (rule-gates.ts), where each
 * entry lines up with its pattern; any other pattern is read on first use.
 */
export function primeGates(patterns: readonly RegExp[], table: GateTable | undefined): void {
  if (!table || table.gates.length !== patterns.length || !littleEndian()) return;
  const bytes = Buffer.from(table.grams, "base64");
  const grams = new Uint32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
  let at = 0;
  patterns.forEach((re, i) => {
    const { signature, gate } = table.gates[i]!;
    const end = at + (gate ? gate.length * 3 : 0);
    if (signature === gateSignature(re) && end <= grams.length) gates.set(re, gate ? { literals: gate, grams: grams.subarray(at, end) } : null);
    at = end;
  });
}

/** The table's hashes are little-endian u32s. */
const littleEndian = (): boolean => new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** The gate of `re`: the build's, else read from its source on first use (null: none). */
export function gateOf(re: RegExp): Gate | null {
  let gate = gates.get(re);
  if (gate === undefined) {
    gate = toGate(literalGate(re));
    gates.set(re, gate);
  }
  return gate;
}

/** `re.test(text)`, skipped when the text lacks every literal a match needs. */
export function gatedTest(re: RegExp, text: GateText): boolean {
  return text.passes(gateOf(re)) && re.test(text.text);
}
