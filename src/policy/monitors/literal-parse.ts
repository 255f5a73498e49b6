/**
 * Reads a regular expression's source for the literals any match of it must contain (the
 * literal gates of literal-gate.ts). Run at build time for the monitors' own patterns
 * (scripts/rule-gates.mjs), and at run time only for a pattern the build did not see.
 *
 * Conservative by construction: where the analysis is unsure (a class, `\w`, a back-reference,
 * a cased non-ASCII letter) it knows less and lets more through, never the reverse. A pattern it
 * cannot read at all gets no gate and always runs.
 */

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
