import type { Category } from "./types.js";

/**
 * The second stage: a multinomial naive Bayes classifier over word unigrams and bigrams, with
 * one class per category plus `benign`. Its weights are trained on 214 of the 322 items of
 * redteam.jsonl, chosen by a hash of the id (`node scripts/train-monitor.mjs` writes
 * classifier-weights.json); the rules it backs were tuned on every set. The monitors consult it
 * for the ambiguous middle that the rules neither clear nor flag.
 */

export type ClassLabel = Category | "benign";

export interface ClassifierWeights {
  classes: ClassLabel[];
  /** Documents per class. */
  docs: number[];
  /** Feature occurrences per class. */
  totals: number[];
  vocabulary: number;
  /** feature → occurrences per class (features seen at least twice). */
  counts: Record<string, number[]>;
}

const SYMBOLS = new Set(["|", ">", "&", ";", "~", "$", "/"]);

export function features(text: string): string[] {
  const lower = text.toLowerCase();
  const words = lower.match(/[a-z][a-z0-9_]*|\d+/g) ?? [];
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!.length > 24 ? words[i]!.slice(0, 24) : words[i]!;
    out.push(w);
    if (i > 0) out.push(`${words[i - 1]} ${w}`);
  }
  for (const ch of lower) if (SYMBOLS.has(ch)) out.push(ch);
  return out;
}

export function train(items: readonly { text: string; label: ClassLabel }[], classes: readonly ClassLabel[]): ClassifierWeights {
  const index = new Map(classes.map((c, i) => [c, i]));
  const docs = classes.map(() => 0);
  const totals = classes.map(() => 0);
  const all = new Map<string, number[]>();
  for (const item of items) {
    const k = index.get(item.label)!;
    docs[k]! += 1;
    for (const f of features(item.text)) {
      let row = all.get(f);
      if (!row) {
        row = classes.map(() => 0);
        all.set(f, row);
      }
      row[k]! += 1;
      totals[k]! += 1;
    }
  }
  const counts: Record<string, number[]> = {};
  for (const [f, row] of [...all.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (row.reduce((x, y) => x + y, 0) >= 2) counts[f] = row;
  }
  return { classes: [...classes], docs, totals, vocabulary: all.size, counts };
}

export class NaiveBayes {
  private readonly logPrior: number[];
  private readonly denominators: number[];

  constructor(private readonly weights: ClassifierWeights) {
    const n = weights.docs.reduce((a, b) => a + b, 0);
    this.logPrior = weights.docs.map((d) => Math.log((d + 1) / (n + weights.classes.length)));
    this.denominators = weights.totals.map((t) => Math.log(t + weights.vocabulary));
  }

  /** Posterior probability per class. */
  predict(text: string): Map<ClassLabel, number> {
    const scores = [...this.logPrior];
    for (const f of features(text)) {
      const row = this.weights.counts[f];
      if (!row) continue; // unseen features add the same smoothing term to every class
      for (let k = 0; k < scores.length; k++) scores[k]! += Math.log(row[k]! + 1) - this.denominators[k]!;
    }
    const max = Math.max(...scores);
    const exp = scores.map((s) => Math.exp(s - max));
    const sum = exp.reduce((a, b) => a + b, 0);
    return new Map(this.weights.classes.map((c, k) => [c, exp[k]! / sum]));
  }
}
