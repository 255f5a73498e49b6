import type { BucketIndex } from "./bucket-index.js";
import { type CompiledLexicon, type ConceptHit, ConceptLexicon, UNSPACED_SCRIPTS } from "./concepts.js";
import { CATEGORIES, type Category, type Stage } from "./types.js";

/**
 * The local classifier every screened item reaches: a multinomial logistic regression (one
 * class per category plus `benign`) over hashed features of the normalised text — word
 * unigrams and bigrams, the same unigrams conjoined with the stage, and character 3- to
 * 5-grams (which carry it across inflections, compounds, typos and languages written without
 * spaces), and the concepts a multilingual lexicon finds (concepts.ts), alone and in pairs near each
 * other, which carry it across languages and phrasings no training item used. Each feature counts
 * once per text, however often it occurs (binary features). Trained by `node scripts/train-monitor.mjs` on the generated corpus
 * (src/policy/data/corpus/train.jsonl) plus the tuned red-team sets; see docs/safety.md.
 * The weights ship as a binary table (an index of the used buckets and their rows of 4-bit codes;
 * weights-file.ts), read on first use.
 */

export type ClassLabel = Category | "benign";
export const CLASSES: readonly ClassLabel[] = [...CATEGORIES, "benign"];

/** 2^BITS hash buckets. */
export const BITS = 20;
const MASK = (1 << BITS) - 1;
/** Long texts are read as their head and tail (a bundled file's middle adds cost, not signal). */
const HEAD = 3_000;
const TAIL = 1_000;

export interface CompactWeights {
  classes: ClassLabel[];
  bits: number;
  /** Logit bias per class. */
  bias: number[];
  /** levels[code] × scale = the weight a code stands for. */
  scale: number;
  /** Sixteen integer levels, one per 4-bit code (LEVELS in classifier-train.ts). */
  levels: number[];
  /** The used buckets, and each one's row. */
  index: BucketIndex;
  /**
   * Their weights as 4-bit codes, classes.length per bucket in ascending order of bucket, two to a
   * byte: class 2j in the low half of the row's byte j, class 2j + 1 in the high half.
   */
  rows: Uint8Array;
  trainedOn: string;
  /** The compiled concept lexicon the model was trained with (concepts.ts), if any. */
  concepts?: CompiledLexicon;
}

const STAGE_SALT: Record<Stage, number> = { input: 0x9e3779b1, tool_call: 0x85ebca77, tool_result: 0xc2b2ae3d, output: 0x27d4eb2f };
const TOKEN = /[\p{L}\p{N}_]+|[|&;<>$`\\~*=]+/gu;
// A run of a script written without spaces is one "word" to TOKEN, read instead as overlapping character pairs.
const UNSPACED = new RegExp(`[${UNSPACED_SCRIPTS}]+|[^${UNSPACED_SCRIPTS}]+`, "gu");
const HAS_UNSPACED = new RegExp(`[${UNSPACED_SCRIPTS}]`, "u");

/** TOKEN's words, with each run of an unspaced script split into the overlapping pairs of its characters. */
function tokensOf(text: string): string[] {
  const tokens = text.match(TOKEN) ?? [];
  if (!HAS_UNSPACED.test(text)) return tokens;
  const out: string[] = [];
  for (const token of tokens) {
    if (!HAS_UNSPACED.test(token)) {
      out.push(token);
      continue;
    }
    for (const part of token.match(UNSPACED) ?? []) {
      if (part.length < 2 || !HAS_UNSPACED.test(part)) out.push(part);
      else for (let i = 0; i + 2 <= part.length; i++) out.push(part.slice(i, i + 2));
    }
  }
  return out;
}

function fnv(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

const mix = (a: number, b: number) => (Math.imul(a ^ (b >>> 15), 0x2c1b3c6d) ^ b) >>> 0;

/**
 * The hashed features of a text at a stage, one bucket per occurrence. `stageOnly`: just the
 * stage's own features (its bucket and the stage-conjoined words), for training items that must
 * teach one stage without moving what the others have learned.
 */
export function featureBuckets(text: string, stage: Stage, stageOnly = false, lexicon?: ConceptLexicon): Uint32Array {
  return featuresOf(text, stage, stageOnly, lexicon).buckets;
}

/** The part of a text the classifier reads. */
const clip = (text: string) => (text.length > HEAD + TAIL ? `${text.slice(0, HEAD)}\n${text.slice(-TAIL)}` : text);

/** The buckets, and the concepts the lexicon found on the way (none without one). */
function featuresOf(text: string, stage: Stage, stageOnly: boolean, lexicon?: ConceptLexicon): { buckets: Uint32Array; hits: ConceptHit[] } {
  const clipped = clip(text);
  const words = distinct(wordBuckets(clipped, stage, stageOnly));
  if (!lexicon) return { buckets: words, hits: [] };
  const hits = lexicon.find(clipped);
  const concepts = conceptBuckets(hits, stage, stageOnly);
  const buckets = new Uint32Array(words.length + concepts.length);
  buckets.set(words);
  buckets.set(concepts, words.length);
  return { buckets, hits };
}

/**
 * Each bucket once, however often it occurs: a log's timestamp prefix on every line, or a table's
 * rule of dashes, would otherwise outweigh the one line that matters, and teach the model that
 * anything shaped like a log is benign.
 */
function distinct(buckets: Uint32Array): Uint32Array {
  if (buckets.length < 2) return buckets;
  buckets.sort();
  let n = 1;
  for (let i = 1; i < buckets.length; i++) if (buckets[i] !== buckets[n - 1]) buckets[n++] = buckets[i]!;
  return buckets.subarray(0, n);
}

/** Concepts this many words apart or closer also count as a pair. */
const PAIR_WINDOW = 8;
/**
 * Each concept feature counts this many times: a text has thousands of character n-grams and a
 * handful of concepts, and one occurrence would weigh too little against them. Cross-validated
 * (40 held-out authors, mean of two halves): 3 lifts the requests' AUC from 0.943 to 0.953; 8
 * does less (0.951) and costs the tool calls.
 */
const CONCEPT_WEIGHT = 3;
const CONCEPT_SALT = 0x6a09e667;
const PAIR_SALT = 0xbb67ae85;

/** Each concept present (once, however often it occurs), alone and with the stage, and each pair of concepts found near each other. */
function conceptBuckets(hits: ConceptHit[], stage: Stage, stageOnly: boolean): Uint32Array {
  if (hits.length === 0) return new Uint32Array(0);
  const salt = STAGE_SALT[stage];
  const features = new Set<number>();
  for (let i = 0; i < hits.length; i++) {
    const a = hits[i]!;
    const concept = mix(a.concept + 1, CONCEPT_SALT);
    features.add(mix(concept, salt) & MASK);
    if (stageOnly) continue;
    features.add(concept & MASK);
    for (let j = i + 1; j < hits.length && hits[j]!.at - a.at <= PAIR_WINDOW; j++) {
      const b = hits[j]!.concept;
      if (b === a.concept) continue;
      features.add(mix(mix(Math.min(a.concept, b) + 1, PAIR_SALT), Math.max(a.concept, b) + 1) & MASK);
    }
  }
  const out = new Uint32Array(features.size * CONCEPT_WEIGHT);
  let n = 0;
  for (const bucket of features) for (let k = 0; k < CONCEPT_WEIGHT; k++) out[n++] = bucket;
  return out;
}

const DIGITS = /^[0-9]+$/;

/** Word unigrams and bigrams, unigrams with the stage, and character 3- to 5-grams. */
function wordBuckets(clipped: string, stage: Stage, stageOnly: boolean): Uint32Array {
  const lower = clipped.toLowerCase();
  const tokens = tokensOf(lower);
  // Digits fold to one, in the words as in the character n-grams: a pid, a port or a sleep's
  // seconds would otherwise sway the score by which digits they happen to hold. A number keeps its
  // length (up to six digits), so a flood's 20000 still reads apart from a retry's 3.
  const chars = lower.replace(/\s+/g, " ").replace(/[0-9]/g, "0");
  const out = new Uint32Array(1 + tokens.length * 3 + chars.length * 3);
  let n = 0;
  const salt = STAGE_SALT[stage];
  out[n++] = salt & MASK;
  let previous = 0;
  for (const raw of tokens) {
    const token = DIGITS.test(raw) ? "0".repeat(Math.min(raw.length, 6)) : raw.length > 20 ? raw.slice(0, 20) : raw;
    const word = fnv(token);
    out[n++] = mix(word, salt) & MASK;
    if (stageOnly) continue;
    out[n++] = word & MASK;
    if (previous) out[n++] = mix(previous, word) & MASK;
    previous = word;
  }
  if (stageOnly) return out.subarray(0, n);
  for (let i = 0; i + 3 <= chars.length; i++) {
    let h = 0x01000193;
    for (let k = 0; k < 5 && i + k < chars.length; k++) {
      h = Math.imul(h ^ chars.charCodeAt(i + k), 0x5bd1e995) >>> 0;
      if (k >= 2) out[n++] = (h ^ (k * 0x68e31da4)) & MASK;
    }
  }
  return out.subarray(0, n);
}

/**
 * Feature weight for a text with n features: 1/√n, with n at least MIN_FEATURES so that a very
 * short text ("hello", "Done.") cannot swing on two or three buckets.
 */
const MIN_FEATURES = 150;
export const featureScale = (n: number): number => 1 / Math.sqrt(Math.max(n, MIN_FEATURES));

export interface Prediction {
  /** 1 − P(benign). */
  harm: number;
  /** The most likely harmful category and its probability. */
  category: Category;
  categoryP: number;
  /** The ids of the concepts found in the text (concepts.ts), each once; empty without a lexicon. */
  concepts: ReadonlySet<string>;
}

/**
 * The trained model, holding the used buckets only (their index and weights): a dense table of
 * 2^BITS rows would hold megabytes of zeros in every session's memory.
 */
export class LinearModel {
  private readonly index: BucketIndex;
  private readonly rows: Uint8Array;
  private readonly levels: Int32Array;
  private readonly classes: number;

  private readonly lexicon: ConceptLexicon | undefined;

  constructor(private readonly weights: CompactWeights) {
    if (weights.bits !== BITS || weights.index.bits !== BITS) throw new Error(`classifier weights use ${weights.bits} bits; this build reads ${BITS}`);
    this.classes = weights.classes.length;
    if (this.classes % 2 !== 0 || weights.levels.length !== 16) throw new Error("classifier weights: the rows need an even number of classes and sixteen levels");
    if (weights.rows.length !== (weights.index.size * this.classes) / 2) throw new Error("classifier weights: the rows do not match the buckets");
    this.index = weights.index;
    this.rows = weights.rows;
    this.levels = Int32Array.from(weights.levels);
    this.lexicon = weights.concepts ? new ConceptLexicon(weights.concepts) : undefined;
  }

  logits(text: string, stage: Stage): Float64Array {
    return this.read(text, stage).logits;
  }

  predict(text: string, stage: Stage): Prediction {
    const { logits, hits } = this.read(text, stage);
    const p = softmax(logits);
    const classes = this.weights.classes;
    let category: Category = "malware";
    let categoryP = -1;
    let benign = 0;
    classes.forEach((label, k) => {
      if (label === "benign") benign = p[k]!;
      else if (p[k]! > categoryP) {
        categoryP = p[k]!;
        category = label;
      }
    });
    const ids = this.lexicon?.ids;
    const concepts = new Set(ids ? hits.map((h) => ids[h.concept]!) : []);
    return { harm: 1 - benign, category, categoryP, concepts };
  }

  private read(text: string, stage: Stage): { logits: Float64Array; hits: ConceptHit[] } {
    const { buckets, hits } = featuresOf(text, stage, false, this.lexicon);
    const c = this.classes;
    const half = c / 2;
    // Integer sums of the codes' levels (exact in an Int32Array for any text the window admits).
    const sums = new Int32Array(c);
    const rows = this.rows;
    const levels = this.levels;
    const index = this.index;
    for (let i = 0; i < buckets.length; i++) {
      const row = index.rowOf(buckets[i]!);
      if (row < 0) continue;
      const base = row * half;
      for (let j = 0; j < half; j++) {
        const byte = rows[base + j]!;
        sums[2 * j]! += levels[byte & 15]!;
        sums[2 * j + 1]! += levels[byte >>> 4]!;
      }
    }
    const x = this.weights.scale * featureScale(buckets.length);
    const logits = new Float64Array(c);
    for (let k = 0; k < c; k++) logits[k] = this.weights.bias[k]! + sums[k]! * x;
    return { logits, hits };
  }
}

export function softmax(logits: ArrayLike<number>): Float64Array {
  let max = -Infinity;
  for (let k = 0; k < logits.length; k++) max = Math.max(max, logits[k]!);
  const out = new Float64Array(logits.length);
  let sum = 0;
  for (let k = 0; k < logits.length; k++) {
    out[k] = Math.exp(logits[k]! - max);
    sum += out[k]!;
  }
  for (let k = 0; k < logits.length; k++) out[k]! /= sum;
  return out;
}
