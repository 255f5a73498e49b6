import { hostInScope, STANDARD_TIER, type Tier, unlocks } from "../tiers.js";
import { type ClassifierWeights, NaiveBayes } from "./classifier.js";
import weights from "./classifier-weights.json" with { type: "json" };
import type { Judge } from "./judge.js";
import { type RuleHit, scoreRules } from "./rules.js";
import { extractTargets, isLoopback } from "./targets.js";
import { CATEGORIES, type Category, type ScreenInput, type Verdict } from "./types.js";

/**
 * The monitor cascade: (1) weighted rules decide the clear cases in microseconds; (2) for the
 * ambiguous middle a naive Bayes classifier decides, or (3) a model judge when one is
 * configured. Network targets are checked against the trusted-access scope: a dual-use action
 * whose every target is in scope (or is this machine) is allowed and reported for the audit.
 */

/** At or above: the rules flag on their own. */
export const FLAG_AT = 0.5;
/** From here up to FLAG_AT the rules are unsure and the later stages decide. */
export const AMBIGUOUS_FROM = 0.2;
/** Classifier posterior needed to flag an ambiguous item. */
export const CLASSIFIER_FLAG_AT = 0.6;

/** Categories whose harm depends on whose systems are targeted. */
const SCOPED: ReadonlySet<Category> = new Set(["exploitation", "dos"]);

export interface MonitorOptions {
  tier?: Tier;
  judge?: Judge;
}

let sharedClassifier: NaiveBayes | undefined;
const classifier = () => {
  sharedClassifier ??= new NaiveBayes(weights as ClassifierWeights);
  return sharedClassifier;
};

export class Monitor {
  private readonly tier: Tier;

  constructor(private readonly options: MonitorOptions = {}) {
    this.tier = options.tier ?? STANDARD_TIER;
  }

  /** Rules and classifier only: synchronous and fast (used for every tool call). */
  screen(input: ScreenInput): Verdict | undefined {
    const staged = this.stage(input);
    if (staged.verdict || !staged.ambiguous) return staged.verdict;
    return this.classify(input, staged.ambiguous);
  }

  /** The full cascade, with the model judge for the ambiguous middle when one is configured. */
  async screenAsync(input: ScreenInput, signal?: AbortSignal): Promise<Verdict | undefined> {
    const staged = this.stage(input);
    if (staged.verdict || !staged.ambiguous) return staged.verdict;
    if (this.options.judge) {
      const answer = await this.options.judge
        .judge(input.text, input.stage, staged.ambiguous.map((h) => h.category), signal)
        .catch(() => undefined);
      if (answer) {
        if (!answer.harmful || !answer.category) return undefined;
        return { category: answer.category, score: 0.9, source: "judge", reason: answer.reason };
      }
    }
    return this.classify(input, staged.ambiguous);
  }

  private stage(input: ScreenInput): { verdict?: Verdict; ambiguous?: RuleHit[] } {
    const hits = scoreRules(input.text);
    if (hits.length === 0) return {};
    const targets = hits.some((h) => SCOPED.has(h.category)) ? extractTargets(input.text) : [];
    let inScope: Verdict["inScope"];
    const adjusted: RuleHit[] = [];
    for (const hit of hits) {
      if (SCOPED.has(hit.category) && targets.length > 0) {
        const outside = targets.filter((t) => !isLoopback(t) && !(unlocks(this.tier, hit.category) && hostInScope(this.tier, t)));
        if (outside.length === 0) {
          // Every target is this machine or inside the declared scope: allowed, reported when a tier unlocked it.
          const viaTier = targets.filter((t) => !isLoopback(t));
          if (viaTier.length && hit.score >= AMBIGUOUS_FROM) inScope = { profile: this.tier.name, targets: viaTier };
          continue;
        }
        hit.score = 1 - (1 - hit.score) * 0.7;
        hit.reasons.push(`targets outside the scope: ${outside.join(", ")}`);
      }
      adjusted.push(hit);
    }
    adjusted.sort((a, b) => b.score - a.score);
    const top = adjusted[0];
    if (top && top.score >= FLAG_AT) {
      return { verdict: { category: top.category, score: round(top.score), source: "rule", reason: top.reasons.join("; ") } };
    }
    const ambiguous = adjusted.filter((h) => h.score >= AMBIGUOUS_FROM);
    if (ambiguous.length) return { ambiguous };
    if (inScope) return { verdict: { category: "exploitation", score: 0, source: "rule", reason: "inside the declared scope", inScope } };
    return {};
  }

  private classify(input: ScreenInput, ambiguous: RuleHit[]): Verdict | undefined {
    const posterior = classifier().predict(input.text);
    let best: Category | undefined;
    let bestP = 0;
    for (const category of CATEGORIES) {
      const p = posterior.get(category) ?? 0;
      if (p > bestP) {
        best = category;
        bestP = p;
      }
    }
    if (!best || bestP < CLASSIFIER_FLAG_AT) return undefined;
    const rule = ambiguous.find((h) => h.category === best) ?? ambiguous[0]!;
    return { category: best, score: round(bestP), source: "classifier", reason: `classifier (${rule.reasons.join("; ")})` };
  }
}

const round = (n: number) => Math.round(n * 1000) / 1000;

/** Whether a verdict is a detection (in-scope reports are not). */
export const isDetection = (v: Verdict | undefined): v is Verdict => !!v && !v.inScope;
