/**
 * Bradley–Terry ratings from pairwise outcomes, fitted with the MM algorithm (Hunter, 2004),
 * reported on the Elo scale (400·log10 of the strength, centred on 1500) with percentile
 * bootstrap intervals from resampling the outcomes.
 */
import { seededRandom } from "../seeded-random.js";

export interface Outcome {
  a: string;
  b: string;
  /** "tie" counts half a win to each. */
  winner: "a" | "b" | "tie";
}

export interface Rating {
  model: string;
  elo: number;
  low: number;
  high: number;
}

const ELO_CENTRE = 1500;
/** Virtual tied games per pair: keeps a model that never won (or never lost) finite. */
const PRIOR_TIES = 0.5;

/** Strengths on the Elo scale, centred on 1500. */
export function fitBradleyTerry(models: string[], outcomes: Outcome[], iterations = 500): Map<string, number> {
  const index = new Map(models.map((m, i) => [m, i]));
  const n = models.length;
  const wins = new Array<number>(n).fill(0);
  const games = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++)
      if (i !== j) {
        games[i]![j]! += PRIOR_TIES;
        wins[i]! += PRIOR_TIES / 2;
      }
  for (const o of outcomes) {
    const i = index.get(o.a);
    const j = index.get(o.b);
    if (i === undefined || j === undefined || i === j) continue;
    games[i]![j]! += 1;
    games[j]![i]! += 1;
    if (o.winner === "a") wins[i]! += 1;
    else if (o.winner === "b") wins[j]! += 1;
    else {
      wins[i]! += 0.5;
      wins[j]! += 0.5;
    }
  }
  let p = new Array<number>(n).fill(1);
  for (let it = 0; it < iterations; it++) {
    const next = p.map((pi, i) => {
      let denominator = 0;
      for (let j = 0; j < n; j++) if (j !== i && games[i]![j]! > 0) denominator += games[i]![j]! / (pi + p[j]!);
      return denominator > 0 ? wins[i]! / denominator : pi;
    });
    const logMean = next.reduce((s, v) => s + Math.log(v), 0) / n;
    const scaled = next.map((v) => v / Math.exp(logMean));
    const change = Math.max(...scaled.map((v, i) => Math.abs(v - p[i]!)));
    p = scaled;
    if (change < 1e-10) break;
  }
  return new Map(models.map((m, i) => [m, ELO_CENTRE + 400 * Math.log10(p[i]!)]));
}

/** Ratings with 95% percentile-bootstrap intervals, best first. */
export function rate(models: string[], outcomes: Outcome[], options: { samples?: number; seed?: number } = {}): Rating[] {
  const point = fitBradleyTerry(models, outcomes);
  const random = seededRandom(options.seed ?? 17);
  const samples = options.samples ?? 1000;
  const draws = new Map(models.map((m) => [m, [] as number[]]));
  for (let s = 0; s < samples && outcomes.length; s++) {
    const resample = outcomes.map(() => outcomes[Math.floor(random() * outcomes.length)]!);
    for (const [m, elo] of fitBradleyTerry(models, resample, 200)) draws.get(m)!.push(elo);
  }
  return models
    .map((model) => {
      const sorted = draws.get(model)!.sort((x, y) => x - y);
      const at = (q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! : point.get(model)!);
      return { model, elo: point.get(model)!, low: at(0.025), high: at(0.975) };
    })
    .sort((x, y) => y.elo - x.elo);
}
