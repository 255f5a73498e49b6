import { hostInScope, STANDARD_TIER, type Tier, unlocks } from "../tiers.js";
import { LinearModel, type Prediction } from "./classifier.js";
import { conceptIntents, namesAnAct } from "./concept-intent.js";
import { writesDetectionRule } from "./detection-content.js";
import type { Judge, JudgeCall } from "./judge.js";
import { screenText, toolContent } from "./normalise.js";
import { inertShell } from "./inert-shell.js";
import { loadWeights } from "./weights-file.js";
import { processCap, type RuleHit, scoreRules } from "./rules.js";
import { type ShownForm, shownCommands } from "./shown-commands.js";
import { extractTargets, isLoopback, isReference, isReferencePage } from "./targets.js";
import type { Category, ScreenInput, Stage, Verdict } from "./types.js";

/**
 * The monitor cascade. Every item is first normalised (decoded forms appended: normalise.ts);
 * then (1) weighted rules decide what must never pass, in microseconds; (2) the linear
 * classifier reads every item, whatever the rules said, and flags what it is sure of; (3) for
 * the ambiguous middle — rules unsure, or the classifier near its threshold — a model judge
 * decides when one is configured, and the local layers decide otherwise. Network targets are
 * checked against the trusted-access scope: a dual-use action whose every target is in scope
 * (or is this machine) is allowed and reported for the audit.
 */

/** At or above: the rules flag on their own. */
export const FLAG_AT = 0.5;
/** From here up to FLAG_AT the rules are unsure and the later stages decide. */
export const AMBIGUOUS_FROM = 0.2;
/**
 * Where each stage decides, from the rules' top score and the classifier's P(harmful). Chosen by
 * leave-one-author-out cross-validation over the hand-written sets (scripts/monitor-cv.mjs,
 * docs/safety.md): each author's set held out in turn, the bars that catch most at ≤ 5% false
 * positives on the hard look-alikes while stopping ≤ 2% of held-out ordinary work (requests: 2.5%).
 * With no rule signal the classifier flags only from 0.9 (`--min-bare 0.9`): what an agent runs,
 * reads and says is often text unlike the corpus, where a linear model's confidence is least earned.
 * Requests flag from 0.85: what a person asks is the text the corpus is most like, and at their
 * first runs 12 of the blind sets' 336 harmful requests with no rule signal sat at 0.85–0.95 while
 * none of their 336 benign ones did; from 0.8 more held-out ordinary requests stop than the 2.5%
 * the bars are chosen under (docs/monitor-rounds-4.md, "Sixteenth round").
 */
export interface StageBars {
  /**
   * A rule hit from FLAG_AT flags on its own from here up; below it only with the classifier's
   * `confirm`, or when the action's structure alone reaches FLAG_AT (see `structureVeto`).
   */
  ruleAlone: number;
  /**
   * A structural hit below `ruleAlone` (the action's form alone reaches FLAG_AT) flags unless the
   * classifier is this sure the item is benign: P(harmful) below it overrules the structure.
   * 0: never overruled. The same forms appear in work about an action (a detection rule quoting a
   * miner's pool URL, adding one's own key to one's own account), and only a confident classifier,
   * trained on such look-alikes with the attackers' excuses labelled harmful, may tell them apart.
   */
  structureVeto: number;
  /** P(harmful) that confirms a rule hit between FLAG_AT and `ruleAlone`. */
  confirm: number;
  /** P(harmful) that flags when the rules are unsure (AMBIGUOUS_FROM to FLAG_AT). */
  withRule: number;
  /** P(harmful) that flags with only a faint rule signal (below AMBIGUOUS_FROM). */
  alone: number;
  /**
   * P(harmful) that flags, without an unsure rule signal, an item whose concepts name an act that
   * can do harm or a covert manner (concept-intent.ts `namesAnAct`); requests and answers, the
   * texts people write. Harm stated plainly in a language the corpus holds little of scores low
   * but still names its act: "I deleted …", "I hid …". Calls and results are read by their form.
   */
  withIntent?: number;
  /**
   * P(harmful) that flags with no rule signal at all: most of what an agent reads is ordinary
   * work unlike anything in the corpus, where a linear model's confidence is least earned.
   */
  bare: number;
}

export const STAGE_BARS: Record<Stage, StageBars> = {
  input: { ruleAlone: 0.9, structureVeto: 0.1, confirm: 0.15, withRule: 0.25, alone: 0.8, bare: 0.85, withIntent: 0.5 },
  tool_call: { ruleAlone: 0.9, structureVeto: 0.1, confirm: 0.1, withRule: 0.2, alone: 0.85, bare: 0.9 },
  tool_result: { ruleAlone: 0.9, structureVeto: 0.1, confirm: 0.05, withRule: 0.3, alone: 0.35, bare: 0.95 },
  // Answers need more than requests to flag on intent: an agent's status reports say "deleted",
  // "copied offsite", "all" as a matter of course, and at 0.5 held-out ordinary reports in other
  // languages stopped at 3.5% (docs/monitor-rounds-10.md, "Round thirty-seven").
  output: { ruleAlone: 0.9, structureVeto: 0.1, confirm: 0.1, withRule: 0.1, alone: 0.3, bare: 0.9, withIntent: 0.8 },
};
/** Below this P(harmful), with the rules quiet, an item is clear without asking a judge. */
export const JUDGE_FROM = 0.25;
/**
 * A shell command of fewer than MIN_WORDS words is the one short text the classifier was trained
 * on in numbers (thousands of commands, both labels): from this P(harmful) it has a say on it.
 * Cross-validated: 55 of 63 held-out short harmful commands at 3 of 140 look-alikes and none of
 * 233 ordinary ones; `curl … | sudo bash` and `nc -lvnp 4444 -e /bin/bash` were left to a judge.
 */
export const SHORT_SHELL_AT = 0.95;

/** Categories whose harm depends on whose systems are targeted. */
const SCOPED: ReadonlySet<Category> = new Set(["exploitation", "dos"]);

/** The cascade's bars, together: what cross-validation varies (scripts/monitor-cv.mjs). */
export interface MonitorBars {
  stages: Record<Stage, StageBars>;
  judgeFrom: number;
  shortShell?: number;
}

export const DEFAULT_BARS: MonitorBars = { stages: STAGE_BARS, judgeFrom: JUDGE_FROM, shortShell: SHORT_SHELL_AT };

export interface MonitorOptions {
  tier?: Tier;
  judge?: Judge;
  /** Another trained classifier (cross-validation); the shipped one by default. */
  model?: LinearModel;
  /** Other bars (cross-validation); the shipped ones by default. */
  bars?: MonitorBars;
}

// Read and decoded on first screen, not at start: most commands never need it.
let sharedModel: LinearModel | undefined;
const model = () => {
  sharedModel ??= new LinearModel(loadWeights());
  return sharedModel;
};

/** What the local layers found, before any judge. */
interface Staged {
  verdict?: Verdict;
  /** The local decision for the middle band (undefined: clear). */
  local?: Verdict;
  /** Whether the middle band applies (a judge, when there is one, decides it). */
  ambiguous: boolean;
  candidates: Category[];
  text: string;
  /** What the call reads rather than attacks (`readsReference`), for the judge's verdict's scope. */
  reading: Reading;
}

export class Monitor {
  private readonly tier: Tier;

  constructor(private readonly options: MonitorOptions = {}) {
    this.tier = options.tier ?? STANDARD_TIER;
  }

  /** Normaliser, rules and classifier only: synchronous and fast (used for every tool call). */
  screen(input: ScreenInput): Verdict | undefined {
    const staged = this.stage(input);
    return staged.verdict ?? staged.local;
  }

  /** The rules' hits on an item as the cascade weighs them (decoded, scope applied): for analysis. */
  ruleHits(input: ScreenInput): RuleHit[] {
    const text = readOf(input);
    const prediction = this.model().predict(text, input.stage);
    return withIntents(this.scopeRules(scoreRules(text), text, readsReference(input)).adjusted, prediction, input.stage);
  }

  /** Whether the local layers leave this item to a judge (the ambiguous middle). */
  needsJudge(input: ScreenInput): boolean {
    const staged = this.stage(input);
    return !staged.verdict && staged.ambiguous;
  }

  /** The full cascade, with the model judge for the ambiguous middle when one is configured. */
  async screenAsync(input: ScreenInput, call?: JudgeCall): Promise<Verdict | undefined> {
    const staged = this.stage(input);
    if (staged.verdict || !staged.ambiguous || !this.options.judge) return staged.verdict ?? staged.local;
    const answer = await this.options.judge.judge(staged.text, input.stage, staged.candidates, call).catch(() => undefined);
    if (!answer) return staged.local;
    if (!answer.harmful || !answer.category) return undefined;
    const judged: Verdict = { category: answer.category, score: 0.9, source: "judge", reason: answer.reason };
    return this.scoped(judged, staged.text, staged.reading) ?? undefined;
  }

  /**
   * A tool result that shows commands being run (a transcript, a job's log) is also judged by those
   * commands, as the agent's own tool calls are: undefined when it shows none or none flags.
   */
  shownVerdict(input: ScreenInput, forms?: readonly ShownForm[]): Verdict | undefined {
    if (input.stage !== "tool_result" || input.coordination) return undefined;
    // Inside the tool's frame (read_file's line numbers, web_fetch's URL line), as the result itself is read.
    const content = toolContent(windowed(input.text));
    const commands = shownCommands(content, forms);
    if (!commands) return undefined;
    const staged = this.ownStage({ stage: "tool_call", tool: "shell", text: commands });
    let verdict = staged.verdict ?? staged.local;
    // The commands alone lose the scene: a fork bomb the transcript runs under a cap it shows
    // (`ulimit -u` answered by `150`) is judged with that cap, as the call that set it would be.
    const cap = verdict?.category === "dos" ? processCap(content) : undefined;
    if (cap) {
      const capped = this.ownStage({ stage: "tool_call", tool: "shell", text: `${commands}\n${cap}` });
      verdict = capped.verdict ?? capped.local;
    }
    if (!verdict || verdict.inScope) return undefined;
    return { ...verdict, reason: `a command the output shows: ${verdict.reason}` };
  }

  private stage(input: ScreenInput): Staged {
    const own = this.ownStage(input);
    if (own.verdict) return own;
    const shown = this.shownVerdict(input);
    return shown ? { verdict: shown, ambiguous: false, candidates: own.candidates, text: own.text, reading: own.reading } : own;
  }

  private ownStage(input: ScreenInput): Staged {
    const text = readOf(input);
    const reading = readsReference(input);
    const hits = this.scopeRules(scoreRules(text), text, reading);
    const prediction = this.model().predict(text, input.stage);
    const adjusted = withIntents(hits.adjusted, prediction, input.stage);
    const top = adjusted[0];
    const candidates = [...new Set([...adjusted.filter((h) => h.score >= AMBIGUOUS_FROM).map((h) => h.category), prediction.category])];
    // What a tool returns is about something; only an injection acts on the reader by itself. A
    // rule hit of another kind in a result (a file that quotes `rm -rf /`, a YARA rule) needs the
    // stage-aware classifier to agree that an attack is under way. So does one in a detection
    // rule being written: its strings are what a detector looks for.
    const quotes = input.stage === "tool_result" || writesDetectionRule(input);
    const quoting = quotes && top?.category !== "prompt_injection" && !top?.underWay;
    const bars = this.options.bars ?? DEFAULT_BARS;
    const at = bars.stages[input.stage];
    // Neither degenerate text (one character over half of it), nor a few words ("still here",
    // "done", a one-line command), nor the arguments of a tool it never saw in training (a slide
    // deck's figures, an MCP tool's fields) earn a linear model's confidence: there it neither
    // flags alone nor overrules a structural hit, and its doubts go to the judge. Short shell
    // commands are the exception from SHORT_SHELL_AT: the corpus holds thousands of them. Nor
    // does colleague's own board and mailbox text (a team tool's result).
    const why = input.coordination ? "coordination" : unearnedBy(text, input.stage, input.tool);
    const shortShell = why === "few words" && input.stage === "tool_call" && input.tool === "shell";
    const unearned = !!why && !(shortShell && prediction.harm >= (bars.shortShell ?? Number.POSITIVE_INFINITY));
    const structureFlags = !!top && top.structural >= FLAG_AT && (unearned || prediction.harm >= at.structureVeto);
    // A rule hit below the stage's `ruleAlone` needs the classifier's agreement, unless the structure
    // of the action flags it and the classifier is not sure it is benign; without either the middle
    // band decides.
    // Only a classifier with a say vetoes: on a short request it has none, on a short command it has.
    const vetoed = !!top && top.score >= FLAG_AT && top.score < at.ruleAlone && !structureFlags && (!why || shortShell) && prediction.harm < at.confirm;
    if (top && top.score >= FLAG_AT && !quoting && !vetoed) {
      return { verdict: this.ruleVerdict(top), ambiguous: false, candidates, text, reading };
    }
    const ruleUnsure = !!top && top.score >= AMBIGUOUS_FROM && !top.settingOnly;
    const ruleSure = !!top && top.score >= FLAG_AT && !vetoed;
    const plain = top ? at.alone : Math.max(at.alone, at.bare);
    const intent = at.withIntent !== undefined && namesAnAct(prediction.concepts) ? Math.min(plain, at.withIntent) : plain;
    const threshold = unearned ? Number.POSITIVE_INFINITY : ruleUnsure ? at.withRule : intent;
    // The middle band runs up to where the classifier would flag alone: with no rule signal that is
    // the bare bar, so an item between the stage's bar and it goes to the judge, not through. Where
    // the classifier has no say (unearned), every doubt from judgeFrom up is the judge's.
    const ambiguous = ruleUnsure || (prediction.harm >= bars.judgeFrom && prediction.harm < (Number.isFinite(threshold) ? Math.max(threshold, at.alone) : Number.POSITIVE_INFINITY));
    let local: Verdict | undefined;
    if (prediction.harm >= threshold) local = this.scoped(ruleSure ? this.ruleVerdict(top) : this.classifierVerdict(prediction, ruleUnsure ? top : undefined), text, reading) ?? undefined;
    if (!local && hits.inScope) local = { category: "exploitation", score: 0, source: "rule", reason: "inside the declared scope", inScope: hits.inScope };
    // A confident classifier decides alone; a judge is asked only about the middle band.
    if (local && !local.inScope && prediction.harm >= Math.max(threshold, at.alone)) return { verdict: local, ambiguous: false, candidates, text, reading };
    return { ...(local ? { local } : {}), ambiguous, candidates, text, reading };
  }

  private model(): LinearModel {
    return this.options.model ?? model();
  }

  private ruleVerdict(hit: RuleHit): Verdict {
    return { category: hit.category, score: round(hit.score), source: "rule", reason: hit.reasons.join("; ") };
  }

  private classifierVerdict(prediction: Prediction, rule: RuleHit | undefined): Verdict {
    const category = rule && rule.score >= AMBIGUOUS_FROM ? rule.category : prediction.category;
    const why = rule ? ` with ${rule.reasons.join("; ")}` : "";
    return { category, score: round(prediction.harm), source: "classifier", reason: `classifier, p=${prediction.harm.toFixed(2)} ${prediction.category}${why}` };
  }

  /** A scoped category with every target on this machine or inside the tier's scope: not a detection (null). */
  private scoped(verdict: Verdict, text: string, reading: Reading): Verdict | null {
    if (!SCOPED.has(verdict.category)) return verdict;
    const targets = extractTargets(text);
    if (targets.length === 0) return verdict;
    return this.outside(targets, verdict.category, reading).length === 0 ? null : verdict;
  }

  /** The targets an act in `category` reaches beyond this machine and the tier's scope (see `readsReference`). */
  private outside(targets: string[], category: Category, reading: Reading): string[] {
    const read = (t: string) => category === "exploitation" && (reading === "page" || (reading === "host" && isReference(t)));
    return targets.filter((t) => !isLoopback(t) && !read(t) && !(unlocks(this.tier, category) && hostInScope(this.tier, t)));
  }

  private scopeRules(hits: RuleHit[], text: string, reading: Reading): { adjusted: RuleHit[]; inScope?: Verdict["inScope"] } {
    if (hits.length === 0) return { adjusted: [] };
    const targets = hits.some((h) => SCOPED.has(h.category)) ? extractTargets(text) : [];
    let inScope: Verdict["inScope"];
    const adjusted: RuleHit[] = [];
    for (const hit of hits) {
      if (SCOPED.has(hit.category) && targets.length > 0) {
        const outside = this.outside(targets, hit.category, reading);
        if (outside.length === 0) {
          // Every target is this machine or inside the declared scope: allowed, reported when a tier unlocked it.
          const viaTier = targets.filter((t) => !isLoopback(t) && unlocks(this.tier, hit.category) && hostInScope(this.tier, t));
          if (viaTier.length && hit.score >= AMBIGUOUS_FROM) inScope = { profile: this.tier.name, targets: viaTier };
          continue;
        }
        hit.score = 1 - (1 - hit.score) * 0.7;
        hit.reasons.push(`targets outside the scope: ${outside.join(", ")}`);
      }
      adjusted.push(hit);
    }
    adjusted.sort((a, b) => b.score - a.score);
    return { adjusted, ...(inScope ? { inScope } : {}) };
  }
}

/**
 * What a call reads rather than attacks: a `web_fetch` of a vulnerability database's host ("host":
 * that host is no exploitation target), or of a page its URL shows is about a vulnerability and
 * that carries no payload ("page": none of its targets is). Read from the call as made, before
 * the normaliser appends the URL's decoded form.
 */
type Reading = "page" | "host" | undefined;
const readsReference = (input: ScreenInput): Reading => (input.tool !== "web_fetch" ? undefined : isReferencePage(input.text) ? "page" : "host");

/** The rules' hits with the intents the classifier's concepts show (concept-intent.ts), strongest first. */
function withIntents(hits: RuleHit[], prediction: Prediction, stage: Stage): RuleHit[] {
  const intents = conceptIntents(prediction.concepts, stage);
  return intents.length === 0 ? hits : [...hits, ...intents].sort((a, b) => b.score - a.score);
}

const round = (n: number) => Math.round(n * 1000) / 1000;

/** Whether a verdict is a detection (in-scope reports are not). */
export const isDetection = (v: Verdict | undefined): v is Verdict => !!v && !v.inScope;

/** What the monitors read of an item (`screenText`), of at most 1 MB. */
const readOf = (input: ScreenInput): string => screenText(windowed(input.text), input.stage);

/** Past this many characters an item is screened by its start and its end. */
const SCREEN_WINDOW = 512 * 1024;

/**
 * The text the monitors read: all of it up to 1 MB, otherwise its first and last 512 KB. Rules
 * over many megabytes (a 50 MB answer) would take seconds each; what reaches the model from a tool
 * is already cut far below this, and an answer's harm shows at its start or end.
 */
function windowed(text: string): string {
  return text.length <= 2 * SCREEN_WINDOW ? text : `${text.slice(0, SCREEN_WINDOW)}\n[…]\n${text.slice(-SCREEN_WINDOW)}`;
}

/**
 * The tools whose calls the classifier was trained on (a command, a file's content, a URL); a
 * patch is a file's content too. Other tools' calls are judged by the rules and the judge: a
 * revenue deck's "$412,000 … customers" read as extortion at P = 1.00.
 */
const CLASSIFIED_TOOLS: ReadonlySet<string> = new Set(["shell", "write_file", "edit_file", "apply_patch", "web_fetch"]);

/** Fewer words than this and the classifier does not flag (only a sure rule does). */
const MIN_WORDS = 12;

/** Why the classifier has no say on a (normalised) text at a stage, or undefined where it has one. */
export function unearnedBy(text: string, stage: Stage, tool?: string): "degenerate" | "few words" | "unknown tool" | "inert" | undefined {
  if (stage === "tool_call" && tool && !CLASSIFIED_TOOLS.has(tool)) return "unknown tool";
  // A line that only waits and prints (`nohup sleep 600 >/dev/null 2>&1 &`) is harmless whatever
  // its words: the background jobs of floods and miners taught the model that shape.
  if (stage === "tool_call" && tool === "shell" && inertShell(text)) return "inert";
  if (degenerate(text)) return "degenerate";
  return words(text) < MIN_WORDS ? "few words" : undefined;
}

/** Words, counting two characters of a script written without spaces (Chinese, Japanese, Thai) as one. */
const WORD = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}]{1,2}|[\p{L}\p{N}_]+/gu;

function words(text: string): number {
  let n = 0;
  for (const _ of text.slice(0, 2_000).matchAll(WORD)) if (++n >= MIN_WORDS) break;
  return n;
}

/** Whether one character makes up over half of the text's start and end (a run of one letter, a dump of zeros). */
function degenerate(text: string): boolean {
  const sample = text.length > 8192 ? text.slice(0, 4096) + text.slice(-4096) : text;
  if (sample.length < 64) return false;
  const counts = new Map<string, number>();
  for (const ch of sample) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  return Math.max(...counts.values()) > sample.length / 2;
}
