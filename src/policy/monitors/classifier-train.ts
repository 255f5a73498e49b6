import { BITS, type ClassLabel, CLASSES, type CompactWeights, featureBuckets, featureScale, softmax } from "./classifier.js";
import { normalise } from "./normalise.js";
import type { Stage } from "./types.js";

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
}

export interface TrainOptions {
  epochs?: number;
  rate?: number;
  l2?: number;
  /** Buckets whose largest weight is below this are dropped (smaller file, same decisions). */
  prune?: number;
  /** Buckets seen in fewer training items than this are not learned (they only memorise one item). */
  minItems?: number;
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
  const prepared = items.map((item) => ({
    buckets: featureBuckets(normalise(item.text, item.tool).text, item.stage),
    y: CLASSES.indexOf(item.label),
  }));
  const seenIn = new Uint16Array(size);
  for (const { buckets } of prepared) for (const b of new Set(buckets)) seenIn[b] = Math.min(65535, seenIn[b]! + 1);
  const learnable = prepared.map(({ buckets, y }) => ({ all: buckets.length, buckets: buckets.filter((b) => seenIn[b]! >= minItems), y }));
  const harmful = prepared.filter((p) => CLASSES[p.y] !== "benign").length;
  const benign = prepared.length - harmful;
  const weightOf = (y: number) => (CLASSES[y] === "benign" ? prepared.length / (2 * Math.max(1, benign)) : prepared.length / (2 * Math.max(1, harmful)));
  const random = seeded(18);
  const order = prepared.map((_, i) => i);
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    for (const index of order) {
      const { buckets, y, all } = learnable[index]!;
      const x = featureScale(all);
      const logits = Float64Array.from(bias);
      for (const b of buckets) for (let k = 0; k < c; k++) logits[k]! += w[b * c + k]! * x;
      const p = softmax(logits);
      const weight = weightOf(y);
      for (let k = 0; k < c; k++) {
        const grad = (p[k]! - (k === y ? 1 : 0)) * weight;
        biasG[k]! += grad * grad;
        bias[k]! -= (rate * grad) / Math.sqrt(biasG[k]!);
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
  return compact(w, bias, prune, options.trainedOn);
}

function compact(w: Float32Array, bias: Float64Array, prune: number, trainedOn: string): CompactWeights {
  const c = CLASSES.length;
  let max = 0;
  for (const v of w) max = Math.max(max, Math.abs(v));
  const scale = max / 127 || 1;
  const deltas: number[] = [];
  const values: number[] = [];
  let last = 0;
  for (let b = 0; b < w.length / c; b++) {
    let keep = false;
    for (let k = 0; k < c; k++) if (Math.abs(w[b * c + k]!) >= prune && Math.round(w[b * c + k]! / scale) !== 0) keep = true;
    if (!keep) continue;
    let delta = b - last;
    last = b;
    do {
      deltas.push((delta & 0x7f) | (delta > 0x7f ? 0x80 : 0));
      delta >>>= 7;
    } while (delta > 0);
    for (let k = 0; k < c; k++) values.push(Math.max(-127, Math.min(127, Math.round(w[b * c + k]! / scale))));
  }
  return {
    classes: [...CLASSES],
    bits: BITS,
    bias: [...bias].map((v) => Math.round(v * 1e4) / 1e4),
    scale: Number(scale.toPrecision(6)),
    buckets: Buffer.from(deltas).toString("base64"),
    weights: Buffer.from(Int8Array.from(values).buffer).toString("base64"),
    trainedOn,
  };
}

/** A small deterministic generator (mulberry32), so training is reproducible. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
