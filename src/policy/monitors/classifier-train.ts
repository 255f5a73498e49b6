import { BucketIndex } from "./bucket-index.js";
import { BITS, type ClassLabel, CLASSES, type CompactWeights, featureBuckets, featureScale, softmax } from "./classifier.js";
import { type CompiledLexicon, ConceptLexicon } from "./concepts.js";
import { screenText } from "./normalise.js";
import type { Stage } from "./types.js";
import { seededRandom } from "../../seeded-random.js";

/**
 * Training for the linear classifier (classifier.ts): softmax regression by AdaGrad over the
 * hashed features, harmful and benign items weighted to equal total mass, a fixed seed and a
 * fixed order so the same corpus always gives the same weights. Used by
 * scripts/train-monitor.mjs; nothing at runtime imports it.
 */

export interface TrainingItem {
  text: string;
  stage: Stage;
  label: ClassLabel;
  tool?: string;
  /**
   * An extra item's weight relative to an ordinary one of its class. Extra items do not enter the
   * class balance and train only their stage's own features, so a large family of easy ones
   * (ordinary reads) teaches that stage without making every hard look-alike count for less or
   * moving the other stages.
   */
  weight?: number;
  /** An ordinary item's weight relative to the others (a family that should count for less or more); default 1. */
  importance?: number;
}

export interface TrainOptions {
  epochs?: number;
  rate?: number;
  l2?: number;
  /** Buckets whose largest weight is below this are dropped (smaller file, same decisions). */
  prune?: number;
  /** Buckets seen in fewer training items than this are not learned (they only memorise one item). */
  minItems?: number;
  /** The compiled concept lexicon (concepts.ts `compileLexicon`) to read concepts with; it ships inside the weights. */
  concepts?: CompiledLexicon;
  trainedOn: string;
}

export function trainLinear(items: readonly TrainingItem[], options: TrainOptions): CompactWeights {
  const { epochs = 12, rate = 0.5, l2 = 1e-6, prune = 0.02, minItems = 10 } = options;
  const c = CLASSES.length;
  const size = 1 << BITS;
  const w = new Float32Array(size * c);
  const g = new Float32Array(size * c).fill(1e-6);
  const bias = new Float64Array(c);
  const biasG = new Float64Array(c).fill(1e-6);
  const lexicon = options.concepts ? new ConceptLexicon(options.concepts) : undefined;
  const prepared = items.map((item) => {
    const text = screenText(item.text, item.stage);
    const extra = item.weight !== undefined;
    const buckets = featureBuckets(text, item.stage, extra, lexicon);
    // Scaled as the whole item will be when it is screened.
    const all = extra ? featureBuckets(text, item.stage, false, lexicon).length : buckets.length;
    return { buckets, all, y: CLASSES.indexOf(item.label), weight: item.weight ?? item.importance ?? 1, extra };
  });
  // Ordinary items learn the buckets that enough ordinary items share, as if there were no extras.
  const seenIn = (which: typeof prepared) => {
    const counts = new Uint16Array(size);
    for (const { buckets } of which) for (const b of new Set(buckets)) counts[b] = Math.min(65535, counts[b]! + 1);
    return counts;
  };
  const seenInOrdinary = seenIn(prepared.filter((p) => !p.extra));
  const seenInAll = seenIn(prepared);
  const learnable = prepared.map(({ buckets, all, y, weight, extra }) => {
    const seen = extra ? seenInAll : seenInOrdinary;
    return { all, buckets: buckets.filter((b) => seen[b]! >= minItems), y, weight, extra };
  });
  const mass = (benign: boolean) => prepared.reduce((sum, p) => sum + (!p.extra && (CLASSES[p.y] === "benign") === benign ? p.weight : 0), 0);
  const harmful = mass(false);
  const benign = mass(true);
  const total = harmful + benign;
  const weightOf = (y: number, weight: number) => (weight * total) / (2 * Math.max(1e-9, CLASSES[y] === "benign" ? benign : harmful));
  // Ordinary items keep their own shuffle; extras are shuffled apart and spread evenly through it.
  const ordinary = prepared.flatMap((p, i) => (p.extra ? [] : [i]));
  const extras = prepared.flatMap((p, i) => (p.extra ? [i] : []));
  const shuffle = shuffler(seededRandom(18));
  const shuffleExtras = shuffler(seededRandom(19));
  for (let epoch = 0; epoch < epochs; epoch++) {
    shuffle(ordinary);
    shuffleExtras(extras);
    for (const index of interleave(ordinary, extras)) {
      const { buckets, y, all, weight: relative, extra } = learnable[index]!;
      const x = featureScale(all);
      const logits = Float64Array.from(bias);
      for (const b of buckets) for (let k = 0; k < c; k++) logits[k]! += w[b * c + k]! * x;
      const p = softmax(logits);
      const weight = weightOf(y, relative);
      for (let k = 0; k < c; k++) {
        const grad = (p[k]! - (k === y ? 1 : 0)) * weight;
        if (!extra) {
          biasG[k]! += grad * grad;
          bias[k]! -= (rate * grad) / Math.sqrt(biasG[k]!);
        }
        if (Math.abs(grad) < 1e-4) continue;
        for (const b of buckets) {
          const at = b * c + k;
          const step = grad * x + l2 * w[at]!;
          g[at]! += step * step;
          w[at]! -= (rate * step) / Math.sqrt(g[at]!);
        }
      }
    }
  }
  const weights = compact(w, bias, prune, options.trainedOn);
  return options.concepts ? { ...weights, concepts: options.concepts } : weights;
}

/**
 * The sixteen levels a weight is rounded to, in units of the scale (the largest weight / 127): spaced
 * about geometrically, so a weight keeps about a fifth of relative precision at any size in four
 * bits (rounding the thirty-second round's int8 weights to them changed 14 verdicts in 52,571
 * items, none on a harmful one). Large weights are mostly negative (a feature that rules a class
 * out), hence the one level without a twin.
 */
export const LEVELS: readonly number[] = [-40, -27, -17, -11, -7, -4, -2, -1, 0, 1, 2, 4, 7, 11, 17, 27];

/** The code of the level nearest each integer from −127 to 127 (index q + 127). */
const NEAREST = Array.from({ length: 255 }, (_, i) => {
  let best = 0;
  for (let code = 1; code < LEVELS.length; code++) if (Math.abs(LEVELS[code]! - (i - 127)) < Math.abs(LEVELS[best]! - (i - 127))) best = code;
  return best;
});

function compact(w: Float32Array, bias: Float64Array, prune: number, trainedOn: string): CompactWeights {
  const c = CLASSES.length;
  let max = 0;
  for (const v of w) max = Math.max(max, Math.abs(v));
  const scale = max / 127 || 1;
  const codeOf = (v: number) => NEAREST[Math.max(-127, Math.min(127, Math.round(v / scale))) + 127]!;
  const keys: number[] = [];
  const codes: number[] = [];
  for (let b = 0; b < w.length / c; b++) {
    const row = Array.from({ length: c }, (_, k) => codeOf(w[b * c + k]!));
    if (!row.some((code, k) => LEVELS[code] !== 0 && Math.abs(w[b * c + k]!) >= prune)) continue;
    keys.push(b);
    for (let k = 0; k < c; k += 2) codes.push(row[k]! | (row[k + 1]! << 4));
  }
  return {
    classes: [...CLASSES],
    bits: BITS,
    bias: [...bias].map((v) => Math.round(v * 1e4) / 1e4),
    scale: Number(scale.toPrecision(6)),
    levels: [...LEVELS],
    index: BucketIndex.fromKeys(keys, BITS),
    rows: Uint8Array.from(codes),
    trainedOn,
  };
}

/** Fisher–Yates in place, from a seeded source. */
function shuffler(random: () => number) {
  return (list: number[]) => {
    for (let i = list.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [list[i], list[j]] = [list[j]!, list[i]!];
    }
  };
}

/** `a` in its order with `b` spread evenly through it. */
function interleave(a: number[], b: number[]): number[] {
  if (b.length === 0) return a;
  const out: number[] = [];
  let taken = 0;
  a.forEach((item, i) => {
    out.push(item);
    const due = Math.floor(((i + 1) * b.length) / a.length);
    while (taken < due) out.push(b[taken++]!);
  });
  return out;
}
