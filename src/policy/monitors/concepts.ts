/**
 * Concepts read across languages: a lexicon (src/policy/data/concepts/, one file per language)
 * maps the words of many languages to shared concept ids (DELETE, BACKUP, SECRETLY, …), so what the
 * classifier learns from "wipe every backup so nobody sees" carries to "usuń wszystkie kopie
 * zapasowe" or "バックアップを全部消して" without an example in that language. The compiled lexicon
 * travels inside the weights file: a model is only meaningful with the lexicon it was trained with.
 *
 * Source line: `ID<TAB>form | form …`. A form is one or more words; a word ending in `*` matches any
 * word it starts; in scripts written without spaces a form is found anywhere in the text. Both
 * sides are folded (case, diacritics, a few letters that do not decompose) before matching.
 */

/** Where a concept was found: its id (index into `ids`) and the word it starts at. */
export interface ConceptHit {
  concept: number;
  at: number;
}

/**
 * The compiled lexicon: a hash table of the forms' keys, used where it lies in the weights file
 * (~13,000 forms in thirty languages took 35 ms to rebuild as Maps on every first screen). A key's
 * first hash picks its home slot and its second is what the slot keeps, so a false match needs both
 * to agree. Layout (u32): slot count S; S slots of (hash2, value), value 0 = empty; then the
 * entries. A value with the top bit set is the key's only entry, a one-word form, inline: its
 * concept. Otherwise it is the count of entries × 2^20 + where they start; an entry is its concept
 * + k × 65536 and k words of (24 bits of hash1) × 256 + length: the words after its first (length
 * 0: the whole word, else a stem of that many code units), or for a form without spaces the whole
 * form. Most keys (a single word in one language) need no entry at all.
 */
export interface CompiledLexicon {
  ids: string[];
  table: Uint32Array;
}

/** Scripts written without spaces (the classifier's tokens read runs of them as character pairs). */
export const UNSPACED_SCRIPTS = "\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}\\p{Script=Thai}";
// The prolonged sound mark ー is in no script of its own (Common), but it is part of katakana
// words. The classifier's tokens still split at it: changing them would move every feature.
// Myanmar, Khmer and Lao are written without spaces too; only the lexicon reads them as runs (the
// classifier's tokens stay as they are).
const RUN_CHARS = `${UNSPACED_SCRIPTS}\\p{Script=Myanmar}\\p{Script=Khmer}\\p{Script=Lao}\\u30fc`;
const UNSPACED_RUN = new RegExp(`[${RUN_CHARS}]+`, "gu");
const ALL_UNSPACED = new RegExp(`^[${RUN_CHARS}]+$`, "u");
const HAS_UNSPACED = new RegExp(`[${RUN_CHARS}]`, "u");
const WORD = /[\p{L}\p{N}_]+/gu;
const MARKS = /\p{M}+/gu;
const UNDECOMPOSED: Record<string, string> = { ł: "l", ß: "ss", ø: "o", đ: "d", ı: "i", æ: "ae", œ: "oe", ħ: "h" };
const UNDECOMPOSED_RE = new RegExp(`[${Object.keys(UNDECOMPOSED).join("")}]`, "g");
/** Zero-width joiners and non-joiners: Persian writes compounds with one, or without. */
const ZERO_WIDTH = /[\u200b-\u200d\u2060\ufeff]/g;
/** A stem shorter than this would match too many unrelated words. */
const MIN_STEM = 3;
/** Longest stem looked up (longer stems are cut to it when the lexicon is compiled). */
const MAX_STEM = 12;
/** What a key is: a whole first word, a first word's stem, or the first two characters of an unspaced form. */
const EXACT = 0x2545f491;
const STEM = 0x9e3779b9;
const RUN = 0x85ebca6b;

/** Case, diacritics, zero-width characters and letters that have no decomposition, folded the same way on both sides. */
export function foldText(text: string): string {
  return text
    .toLowerCase()
    .normalize("NFD")
    .replace(MARKS, "")
    .replace(ZERO_WIDTH, "")
    .replace(UNDECOMPOSED_RE, (c) => UNDECOMPOSED[c]!);
}

// The two hashes of the last string hashed (module state, so the hot loop allocates nothing).
let h1 = 0;
let h2 = 0;
const start = () => {
  h1 = 0x811c9dc5;
  h2 = 0x9747b28c;
};
const step = (code: number) => {
  h1 = Math.imul(h1 ^ code, 0x01000193);
  h2 = Math.imul(h2 ^ code, 0x5bd1e995);
  h2 ^= h2 >>> 13;
};
function hashRange(text: string, from: number, to: number): void {
  start();
  for (let i = from; i < to; i++) step(text.charCodeAt(i));
}

/** A value's flag for an inline entry, and the split of the others into a count and an offset. */
const INLINE = 0x80000000;
const OFFSET_BITS = 20;
const OFFSET_MASK = (1 << OFFSET_BITS) - 1;
/** A form's later word (or a whole unspaced form) as one u32: 24 bits of its first hash and its length. */
const wordCode = (hash: number, length: number) => (((hash & 0xffffff) << 8) | length) >>> 0;
/** The home slot of a hash among S slots (a multiply, so S need not be a power of two). */
const homeSlot = (hash: number, slots: number) => Math.floor(((hash >>> 0) * slots) / 0x100000000);

export class ConceptLexicon {
  readonly ids: string[];
  private readonly table: Uint32Array;
  private readonly slots: number;

  constructor({ ids, table }: CompiledLexicon) {
    this.ids = ids;
    this.table = table;
    this.slots = table[0]!;
  }

  /** The concepts in a text, in order (folded here; pass text as written). */
  find(text: string): ConceptHit[] {
    const words = foldText(text).match(WORD) ?? [];
    const hits: ConceptHit[] = [];
    for (let at = 0; at < words.length; at++) {
      const word = words[at]!;
      if (HAS_UNSPACED.test(word)) this.findInRuns(word, at, hits);
      start();
      const longest = Math.min(word.length, MAX_STEM);
      for (let n = 0; n < word.length; n++) {
        step(word.charCodeAt(n));
        if (n + 1 >= MIN_STEM && n + 1 <= longest) {
          const a = h1;
          const b = h2;
          this.match(this.value(STEM, a, b), words, at, hits);
          h1 = a;
          h2 = b;
        }
      }
      this.match(this.value(EXACT, h1, h2), words, at, hits);
    }
    return hits;
  }

  /** A key's slot value, or 0 when the key is absent. */
  private value(kind: number, a: number, b: number): number {
    const table = this.table;
    const fingerprint = (b ^ kind) >>> 0;
    for (let slot = homeSlot(a ^ kind, this.slots); ; slot = slot + 1 === this.slots ? 0 : slot + 1) {
      const value = table[2 + slot * 2]!;
      if (value === 0 || table[1 + slot * 2] === fingerprint) return value;
    }
  }

  private match(value: number, words: string[], at: number, hits: ConceptHit[]): void {
    if (value === 0) return;
    if (value >= INLINE) {
      hits.push({ concept: value & 0xffff, at });
      return;
    }
    const table = this.table;
    let p = value & OFFSET_MASK;
    for (let e = value >>> OFFSET_BITS; e > 0; e--) {
      const concept = table[p]! & 0xffff;
      const rest = table[p]! >>> 16;
      let matches = true;
      for (let i = 0; i < rest && matches; i++) {
        const word = words[at + 1 + i];
        const length = table[p + 1 + i]! & 0xff;
        if (word === undefined || word.length < length) matches = false;
        else {
          hashRange(word, 0, length || word.length);
          matches = wordCode(h1, length) === table[p + 1 + i];
        }
      }
      if (matches) hits.push({ concept, at });
      p += 1 + rest;
    }
  }

  private findInRuns(word: string, at: number, hits: ConceptHit[]): void {
    const table = this.table;
    for (const run of word.match(UNSPACED_RUN) ?? []) {
      for (let i = 0; i + 2 <= run.length; i++) {
        hashRange(run, i, i + 2);
        const value = this.value(RUN, h1, h2);
        if (value === 0) continue;
        let p = value & OFFSET_MASK;
        for (let e = value >>> OFFSET_BITS; e > 0; e--, p += 2) {
          const length = table[p + 1]! & 0xff;
          if (i + length > run.length) continue;
          hashRange(run, i, i + length);
          if (wordCode(h1, length) === table[p + 1]) hits.push({ concept: table[p]! & 0xffff, at });
        }
      }
    }
  }
}

/** A form's key and its entry: concept + k × 65536, then a word code per word after the first, or for an unspaced form the form. */
interface Keyed {
  kind: number;
  key: string;
  entry: number[];
}

/** A word's code (or a run's): longer than a code can say, it could never be matched. */
const coded = (text: string, length: number): number => {
  if (length > 0xff) throw new Error(`concept lexicon: a form is too long (${text.slice(0, 20)}…)`);
  hashRange(text, 0, text.length);
  return wordCode(h1, length);
};

/** Where a folded form goes in the table (nothing for a form too short or mixed to match safely). */
function keyOf(concept: number, form: string): Keyed | undefined {
  if (HAS_UNSPACED.test(form)) {
    const run = form.replace(/\s+/g, "");
    if (!ALL_UNSPACED.test(run) || run.length < 2) return undefined;
    return { kind: RUN, key: run.slice(0, 2), entry: [concept + 0x10000, coded(run, run.length)] };
  }
  const words: string[] = [];
  for (const part of form.split(" ")) {
    // A form's word is split as the text will be (a hyphen or apostrophe separates words).
    const pieces = part.replace(/\*$/, "").match(WORD) ?? [];
    pieces.forEach((piece, i) => {
      words.push(part.endsWith("*") && i === pieces.length - 1 ? `${piece}*` : piece);
    });
  }
  const [first, ...rest] = words;
  if (!first) return undefined;
  const entry = [concept + rest.length * 0x10000, ...rest.map((w) => (w.endsWith("*") ? coded(w.slice(0, -1), w.length - 1) : coded(w, 0)))];
  if (!first.endsWith("*")) return { kind: EXACT, key: first, entry };
  const stem = first.slice(0, -1);
  return stem.length >= MIN_STEM ? { kind: STEM, key: stem.slice(0, MAX_STEM), entry } : undefined;
}

/**
 * The lexicon's source files (each `ID<TAB>form | form …` lines, `#` comments) compiled: forms
 * folded, deduplicated and keyed by their first word, stem or first two characters; concepts
 * numbered in the inventory's order. Unknown ids are an error (a typo would silently teach nothing).
 */
export function compileLexicon(inventory: string, files: Record<string, string>): CompiledLexicon {
  const ids = inventory
    .split("\n")
    .filter((line) => line.trim() && !line.startsWith("#"))
    .map((line) => line.split("\t")[0]!.trim());
  const forms = new Map(ids.map((id) => [id, new Set<string>()]));
  for (const [name, text] of Object.entries(files)) {
    text.split("\n").forEach((line, i) => {
      if (!line.trim() || line.startsWith("#")) return;
      const tab = line.indexOf("\t");
      if (tab < 0) throw new Error(`${name}:${i + 1}: no TAB after the concept id`);
      const id = line.slice(0, tab).trim();
      const set = forms.get(id);
      if (!set) throw new Error(`${name}:${i + 1}: unknown concept id ${JSON.stringify(id)}`);
      for (const form of line.slice(tab + 1).split("|")) {
        const folded = foldText(form).replace(/\s+/g, " ").trim();
        if (folded) set.add(folded);
      }
    });
  }
  // Key → its distinct entries, in a fixed order (the same sources give the same table).
  const keys = new Map<string, { kind: number; key: string; entries: Map<string, number[]> }>();
  ids.forEach((id, concept) => {
    for (const form of [...forms.get(id)!].sort()) {
      const keyed = keyOf(concept, form);
      if (!keyed) continue;
      const name = `${keyed.kind}:${keyed.key}`;
      if (!keys.has(name)) keys.set(name, { kind: keyed.kind, key: keyed.key, entries: new Map() });
      keys.get(name)!.entries.set(keyed.entry.join(","), keyed.entry);
    }
  });
  // A load of at most four fifths: most words looked up are in no form, and a miss probes until an empty slot.
  const slots = Math.max(2, Math.ceil(keys.size * 1.25));
  const head = [slots, ...new Array<number>(slots * 2).fill(0)];
  const body: number[] = [];
  const base = head.length;
  for (const { kind, key, entries } of keys.values()) {
    hashRange(key, 0, key.length);
    const fingerprint = (h2 ^ kind) >>> 0;
    let slot = homeSlot(h1 ^ kind, slots);
    while (head[2 + slot * 2] !== 0) {
      // Two keys met on one probe path with the same fingerprint: a lookup could not tell them apart.
      if (head[1 + slot * 2] === fingerprint) throw new Error(`concept lexicon: two keys share both hashes (${key})`);
      slot = slot + 1 === slots ? 0 : slot + 1;
    }
    const list = [...entries.values()];
    head[1 + slot * 2] = fingerprint;
    if (list.length === 1 && list[0]!.length === 1) head[2 + slot * 2] = (INLINE | list[0]![0]!) >>> 0;
    else {
      if (list.length >= 1 << (31 - OFFSET_BITS) || base + body.length > OFFSET_MASK) throw new Error("concept lexicon: too large for its table");
      head[2 + slot * 2] = list.length * 2 ** OFFSET_BITS + base + body.length;
      body.push(...list.flat());
    }
  }
  return { ids, table: Uint32Array.from([...head, ...body]) };
}
