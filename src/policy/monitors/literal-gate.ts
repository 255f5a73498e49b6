/**
 * A literal gate for a regular expression: strings of which a match must contain at least one,
 * read from the pattern's source. The monitors test ~140 case-insensitive patterns on every
 * item, and V8 compiles each on its first use (~0.1 ms apiece); a lowercased text that holds
 * none of a pattern's literals cannot match it, so most patterns are never compiled or run.
 *
 * The gate is conservative by construction: where the analysis is unsure (a class, `\w`, a
 * back-reference, a cased non-ASCII letter) it knows less and lets more through, never the
 * reverse. A pattern it cannot read at all gets no gate and always runs.
 */

import type { GateTable } from "./rule-gates.js";

/** What a part of a pattern can match: its exact strings, if few, and strings one of which any match contains. */
interface Info {
  /** Every string the part matches, lowercased (undefined: too many or unknown). */
  exact?: string[];
  /** A match contains one of these (undefined: nothing is known). */
  must?: string[];
}

const MAX_EXACT = 16;
const ANY: Info = {};
const EMPTY: Info = { exact: [""] };

/** The literals of `re` (lowercase), or undefined when a match need not contain any. */
export function literalGate(re: RegExp): string[] | undefined {
  // Unicode mode folds more characters together (ſ with s, K with k): not modelled here.
  if (re.flags.includes("u") || re.flags.includes("v")) return undefined;
  try {
    const parser = new Parser(re.source);
    const info = parser.alternation();
    if (parser.pos !== re.source.length) return undefined;
    const must = mustOf(info);
    if (!must || must.some((s) => s.length === 0)) return undefined;
    // A string that holds another of the set adds nothing: the shorter one is found first.
    return must.filter((s) => !must.some((t) => t !== s && s.includes(t)));
  } catch {
    return undefined;
  }
}

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

function mustOf(info: Info): string[] | undefined {
  if (info.exact) return info.exact.includes("") ? undefined : info.exact;
  return info.must;
}

/** The better of two requirements: the one whose shortest string is longest (fewer strings on a tie). */
function better(a: string[] | undefined, b: string[] | undefined): string[] | undefined {
  if (!a || a.some((s) => s === "")) return b;
  if (!b || b.some((s) => s === "")) return a;
  const min = (xs: string[]) => Math.min(...xs.map((s) => s.length));
  if (min(a) !== min(b)) return min(a) > min(b) ? a : b;
  return a.length <= b.length ? a : b;
}

function product(a: string[], b: string[]): string[] | undefined {
  if (a.length * b.length > MAX_EXACT) return undefined;
  const out = new Set<string>();
  for (const x of a) for (const y of b) out.add(x + y);
  return [...out];
}

function sequence(items: Info[]): Info {
  let run: string[] | undefined = [""];
  let best: string[] | undefined;
  let whole = true;
  for (const item of items) {
    const joined: string[] | undefined = run && item.exact ? product(run, item.exact) : undefined;
    if (joined) {
      run = joined;
      continue;
    }
    whole = false;
    best = better(best, run && mustOf({ exact: run }));
    best = better(best, mustOf(item));
    run = item.exact ?? [""];
  }
  if (whole) return { exact: run };
  return { must: better(best, run && mustOf({ exact: run })) };
}

function alternatives(branches: Info[]): Info {
  if (branches.length === 1) return branches[0];
  if (branches.every((b) => b.exact)) {
    const all = [...new Set(branches.flatMap((b) => b.exact as string[]))];
    if (all.length <= MAX_EXACT) return { exact: all };
  }
  const musts = branches.map(mustOf);
  if (musts.some((m) => !m)) return ANY;
  return { must: [...new Set(musts.flat() as string[])] };
}

function repeat(item: Info, min: number, max: number): Info {
  if (max === 0) return EMPTY;
  if (min === 0) {
    if (max === 1 && item.exact && item.exact.length < MAX_EXACT) return { exact: [...new Set(["", ...item.exact])] };
    return ANY;
  }
  if (min === 1 && max === 1) return item;
  return { must: mustOf(item) };
}

/** One character, as the pattern (case-insensitive or not) and a lowercased text see it. */
function literal(ch: string): Info {
  const code = ch.charCodeAt(0);
  if (code < 128) return { exact: [ch.toLowerCase()] };
  // A non-ASCII character with no case is itself in any text that matches it; a cased one may
  // match a character whose lowercase differs (ς and σ both fold to Σ), so it is left unknown.
  return ch.toLowerCase() === ch && ch.toUpperCase() === ch ? { exact: [ch] } : ANY;
}

/** A recursive-descent reader of the pattern grammar the monitors use (ES2018, no `u` flag). */
class Parser {
  pos = 0;
  constructor(private readonly src: string) {}

  alternation(): Info {
    const branches = [this.sequence()];
    while (this.src[this.pos] === "|") {
      this.pos++;
      branches.push(this.sequence());
    }
    return alternatives(branches);
  }

  private sequence(): Info {
    const items: Info[] = [];
    while (this.pos < this.src.length && this.src[this.pos] !== "|" && this.src[this.pos] !== ")") {
      const atom = this.atom();
      items.push(this.quantified(atom));
    }
    return sequence(items);
  }

  private quantified(atom: Info): Info {
    const ch = this.src[this.pos];
    let min: number;
    let max: number;
    if (ch === "?" || ch === "*" || ch === "+") {
      this.pos++;
      [min, max] = ch === "?" ? [0, 1] : ch === "*" ? [0, Infinity] : [1, Infinity];
    } else if (ch === "{") {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.pos));
      if (!m) return atom;
      this.pos += m[0].length;
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] === "" ? Infinity : Number(m[3]);
    } else {
      return atom;
    }
    if (this.src[this.pos] === "?") this.pos++;
    return repeat(atom, min, max);
  }

  private atom(): Info {
    const ch = this.src[this.pos++];
    switch (ch) {
      case "^":
      case "$":
        return EMPTY;
      case ".":
        return ANY;
      case "[":
        this.skipClass();
        return ANY;
      case "(":
        return this.group();
      case "\\":
        return this.escape();
      default:
        return literal(ch);
    }
  }

  private group(): Info {
    let kind = "capture";
    if (this.src.startsWith("?:", this.pos)) kind = "plain";
    else if (this.src.startsWith("?=", this.pos) || this.src.startsWith("?!", this.pos)) kind = "look";
    else if (this.src.startsWith("?<=", this.pos) || this.src.startsWith("?<!", this.pos)) kind = "lookbehind";
    else if (this.src.startsWith("?<", this.pos)) kind = "named";
    if (kind === "plain" || kind === "look") this.pos += 2;
    else if (kind === "lookbehind") this.pos += 3;
    else if (kind === "named") this.pos = this.src.indexOf(">", this.pos) + 1;
    else if (this.src[this.pos] === "?") throw new Error("unknown group");
    const inner = this.alternation();
    if (this.src[this.pos++] !== ")") throw new Error("unclosed group");
    // A look-around matches no characters of its own.
    return kind === "look" || kind === "lookbehind" ? EMPTY : inner;
  }

  private escape(): Info {
    const ch = this.src[this.pos++];
    if (ch === undefined) throw new Error("trailing backslash");
    if (ch === "b" || ch === "B") return EMPTY;
    if ("dDwWsS".includes(ch)) return ANY;
    if (/[1-9]/.test(ch) || ch === "k" || ch === "c" || ch === "p" || ch === "P") return ANY;
    const named: Record<string, string> = { n: "\n", r: "\r", t: "\t", f: "\f", v: "\v", "0": "\0" };
    if (named[ch]) return literal(named[ch]);
    if (ch === "x" || ch === "u") {
      const hex = /^[0-9a-fA-F]+/.exec(this.src.slice(this.pos, this.pos + (ch === "x" ? 2 : 4)))?.[0];
      if (!hex || hex.length !== (ch === "x" ? 2 : 4)) return ANY;
      this.pos += hex.length;
      return literal(String.fromCharCode(Number.parseInt(hex, 16)));
    }
    return literal(ch);
  }

  private skipClass(): void {
    // (Without the `u` flag `[]` is an empty class: a `]` first still closes it.)
    if (this.src[this.pos] === "^") this.pos++;
    while (this.pos < this.src.length && this.src[this.pos] !== "]") this.pos += this.src[this.pos] === "\\" ? 2 : 1;
    if (this.src[this.pos++] !== "]") throw new Error("unclosed class");
  }
}
