// Leave-one-author-out cross-validation of the monitors' classifier: each hand-written set by an
// independent author (tuned red-team sets by helpers, src/policy/data/corpus/written/) is held
// out in turn, the classifier is trained on everything else, and the rules + that classifier
// screen the held-out set. A new author is what a blind set is, so this is how training settings
// and bars are chosen without looking at a never-tuned set. Local layers only (no judge), scores
// (not the agent's actions).
//   node scripts/monitor-cv.mjs [--epochs N] [--rate R] [--l2 X] [--min-items N] [--template-weight W] [--ordinary-weight W] [--languages-weight W] [--style-weight W] [--only a,b] [--misses]
//   node scripts/monitor-cv.mjs --search [--max-fp 0.05] [--max-ordinary 0.01] [--min-bare P]   per stage, the bars that catch most at that FP rate
//     on the hard look-alikes while stopping at most that share of ordinary work (held-out ordinary folds);
//     --min-bare: the classifier with no rule signal flags only from P (1.01: never)
//     --short-shell-bare P: a shell command of fewer than 12 words flags from this P (default: the shipped SHORT_SHELL_AT)
//     --objective-folds REGEX: count recall and FP on the matching folds only (e.g. '^blind'; ordinary work still bounds)
//     --max-fp-all F: with --objective-folds, also at most this share of every author's look-alikes flagged
//     --shown all|shell|none: which commands a tool result shows count (every transcript form, shell prompts only, none)
//   node scripts/monitor-cv.mjs --bars FILE.json          the folds screened with other bars (--search prints them)
//   node scripts/monitor-cv.mjs --auc                     the classifier's own held-out ranking (AUC, recall at 5% FP)
//   --no-concepts: train without the concept lexicon (src/policy/data/concepts/), to measure what it adds
//   --save-rows FILE / --rows FILE: keep the folds' per-item scores, and search or rank them again without retraining
import { readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { importBundled } from "./monitor-corpus/bundle.mjs";

const { values } = parseArgs({
  options: {
    epochs: { type: "string" },
    rate: { type: "string" },
    l2: { type: "string" },
    "min-items": { type: "string" },
    only: { type: "string" },
    misses: { type: "boolean" },
    search: { type: "boolean" },
    "max-fp": { type: "string" },
    "max-ordinary": { type: "string" },
    "min-bare": { type: "string" },
    "short-shell-bare": { type: "string" },
    bars: { type: "string" },
    "template-weight": { type: "string" },
    "ordinary-weight": { type: "string" },
    "languages-weight": { type: "string" },
    "style-weight": { type: "string" },
    "objective-folds": { type: "string" },
    "max-fp-all": { type: "string" },
    shown: { type: "string" },
    auc: { type: "boolean" },
    rows: { type: "string" },
    "save-rows": { type: "string" },
    "no-concepts": { type: "boolean" },
  },
});
const options = {};
if (values.epochs) options.epochs = Number(values.epochs);
if (values.rate) options.rate = Number(values.rate);
if (values.l2) options.l2 = Number(values.l2);
if (values["min-items"]) options.minItems = Number(values["min-items"]);
if (values["no-concepts"]) options.concepts = null;
const { crossValidate, DEFAULT_BARS } = await importBundled("scripts/monitor-corpus/cv-entry.mjs", "monitor-cv");

const STAGES = ["input", "tool_call", "tool_result", "output"];
const COLUMNS = [...STAGES, "all"];
const pct = (a, b) => (b ? `${((100 * a) / b).toFixed(1)}%` : "—").padStart(6);
const cell = (s) => `${pct(s.detected, s.harmful)} / ${pct(s.falsePositives, s.benign)}`.padStart(22);
const blank = () => ({ harmful: 0, detected: 0, benign: 0, falsePositives: 0 });
const add = (into, s) => {
  for (const key of Object.keys(into)) into[key] += s?.[key] ?? 0;
};
const column = (report, stage) => (stage === "all" ? report.overall : report.perStage[stage]);

const shownField = { all: "shown", shell: "shownShell", none: undefined }[values.shown ?? "all"];
if (values.shown && !(values.shown in { all: 1, shell: 1, none: 1 })) throw new Error(`--shown takes all, shell or none, not ${values.shown}`);
const shownCounts = (r) => !!shownField && !!r[shownField];

/**
 * Per stage, the bars that flag the most held-out harmful items with at most `maxFp` of the benign
 * ones, searched over the folds' (rule score, P(harmful)) pairs. An approximation of the monitor
 * (scope and decoding are not modelled): check the result with `--bars`.
 */
function search(rows, maxFp, maxOrdinary, minBare = 0, shortShellBare = Number.POSITIVE_INFINITY, objectiveFolds = undefined, maxFpAll = 1) {
  const steps = Array.from({ length: 21 }, (_, i) => i / 20);
  const chosen = {};
  for (const stage of STAGES) {
    const all = rows.filter((r) => r.stage === stage);
    const rs = all.filter((r) => !r.ordinary && (!objectiveFolds || objectiveFolds.test(r.fold)));
    const everyday = all.filter((r) => r.ordinary);
    const lookAlikes = all.filter((r) => !r.ordinary && !r.harmful);
    const positives = rs.filter((r) => r.harmful).length;
    const negatives = rs.length - positives;
    let best;
    for (const structureVeto of [0, 0.1, 0.2, 0.3])
    for (const ruleAlone of [0.5, 0.7, 0.8, 0.9]) {
      for (const withRule of steps) {
        for (const confirm of steps.filter((c) => ruleAlone > 0.5 || c === 0)) {
          for (const alone of steps.filter((a) => a >= withRule)) {
            for (const bare of [...steps, 1.01].filter((b) => b >= alone && b >= minBare)) {
              // Where the classifier has no say (few words, degenerate text) it vetoes no rule hit (on a
              // short shell command, no structural one) and never flags alone; --short-shell-bare
              // lets it flag a short shell command from that P.
              const shortShell = (r) => r.unearned === "few words" && r.stage === "tool_call" && r.tool === "shell";
              const say = (r) => !r.unearned || (shortShell(r) && r.harm >= shortShellBare);
              const flags = (r) =>
                (r.rule >= 0.5 && !r.quoting && (r.rule >= ruleAlone || (r.structural >= 0.5 && (!!r.unearned || r.harm >= structureVeto)) || (!!r.unearned && !shortShell(r)) || r.harm >= confirm)) ||
                (say(r) && (r.unearned ? true : r.rule >= 0.2 ? r.harm >= withRule : r.rule > 0 ? r.harm >= alone : r.harm >= bare)) ||
                shownCounts(r);
              let tp = 0;
              let fp = 0;
              for (const r of rs) if (flags(r)) r.harmful ? tp++ : fp++;
              if (fp > maxFp * negatives) continue;
              let stopped = 0;
              for (const r of everyday) if (flags(r)) stopped++;
              if (stopped > maxOrdinary * everyday.length) continue;
              if (best && (tp < best.tp || (tp === best.tp && fp >= best.fp))) continue;
              let fpAll = 0;
              if (maxFpAll < 1) for (const r of lookAlikes) if (flags(r)) fpAll++;
              if (fpAll > maxFpAll * lookAlikes.length) continue;
              best = { tp, fp, stopped, fpAll, bars: { ruleAlone, structureVeto, confirm, withRule, alone, bare } };
            }
          }
        }
      }
    }
    // `withIntent` (a request that names an act) is not searched: the rows do not carry the
    // concepts. The printed bars keep the shipped value; the search's figures leave it out (check
    // them with `--bars`, which screens with it).
    const { withIntent } = DEFAULT_BARS.stages[stage];
    chosen[stage] = withIntent === undefined ? best.bars : { ...best.bars, withIntent };
    const everyAuthor = maxFpAll < 1 ? `  FP, every author ${pct(best.fpAll, lookAlikes.length)}` : "";
    console.log(`${stage.padEnd(12)} recall ${pct(best.tp, positives)}  FP ${pct(best.fp, negatives)}${everyAuthor}  ordinary stopped ${pct(best.stopped, everyday.length)}  ${JSON.stringify(best.bars)}`);
  }
  return chosen;
}

const data = {
  ...(values["template-weight"] ? { templateWeight: Number(values["template-weight"]) } : {}),
  ...(values["ordinary-weight"] ? { ordinaryWeight: Number(values["ordinary-weight"]) } : {}),
  ...(values["languages-weight"] ? { languagesWeight: Number(values["languages-weight"]) } : {}),
  ...(values["style-weight"] ? { styleWeight: Number(values["style-weight"]) } : {}),
};
const bars = values.bars ? JSON.parse(readFileSync(values.bars, "utf8")) : DEFAULT_BARS;
const folds = values.search || values.auc || values.rows ? [] : crossValidate(options, [bars], values.only ? values.only.split(",") : [], data);
console.log(`settings ${JSON.stringify({ ...options, ...data })}; bars ${values.bars ?? "shipped"}`);

/** The classifier's own ranking of held-out items: AUC of P(harm), and recall at 5% false positives. */
function ranking(rows) {
  for (const stage of [...STAGES, "all"]) {
    const rs = rows.filter((r) => stage === "all" || r.stage === stage);
    const pos = rs.filter((r) => r.harmful).map((r) => r.harm);
    const neg = rs.filter((r) => !r.harmful).map((r) => r.harm).sort((a, b) => b - a);
    let wins = 0;
    for (const p of pos) for (const n of neg) wins += p > n ? 1 : p === n ? 0.5 : 0;
    const bar = neg[Math.floor(0.05 * neg.length)] ?? 1;
    const recall = pos.filter((p) => p > bar).length / pos.length;
    console.log(`${stage.padEnd(12)} AUC ${(wins / (pos.length * neg.length)).toFixed(3)}  recall@5%FP ${(100 * recall).toFixed(1)}%`);
  }
}

/** The folds' per-item scores: computed (and saved with --save-rows), or read back with --rows. */
async function foldRows() {
  if (values.rows) return JSON.parse(readFileSync(values.rows, "utf8"));
  const { crossValidateScores } = await importBundled("scripts/monitor-corpus/cv-entry.mjs", "monitor-cv");
  const rows = crossValidateScores(options, data, { only: values.only ? values.only.split(",") : [] });
  if (values["save-rows"]) writeFileSync(values["save-rows"], JSON.stringify(rows));
  return rows;
}

if (values.auc) {
  ranking(await foldRows());
} else if (values.search) {
  const rows = await foldRows();
  const shortShellBare = Number(values["short-shell-bare"] ?? DEFAULT_BARS.shortShell ?? Number.POSITIVE_INFINITY);
  const objective = values["objective-folds"] ? new RegExp(values["objective-folds"]) : undefined;
  const maxFpAll = Number(values["max-fp-all"] ?? 1);
  const stages = search(rows, Number(values["max-fp"] ?? 0.05), Number(values["max-ordinary"] ?? 0.01), Number(values["min-bare"] ?? 0), shortShellBare, objective, maxFpAll);
  console.log(JSON.stringify({ stages, judgeFrom: DEFAULT_BARS.judgeFrom, shortShell: shortShellBare }));
} else {
  const pooled = Object.fromEntries(COLUMNS.map((s) => [s, blank()]));
  console.log(`${"held out".padEnd(12)} ${COLUMNS.map((s) => `${s} recall/FP`.padStart(22)).join("")}`);
  for (const fold of folds) {
    const report = fold.reports[0];
    for (const s of COLUMNS) add(pooled[s], column(report, s));
    console.log(`${fold.name.padEnd(12)} ${COLUMNS.map((s) => (column(report, s) ? cell(column(report, s)) : "".padStart(22))).join("")}`);
    if (values.misses) {
      for (const id of report.misses) console.log(`  miss ${id}`);
      for (const fp of report.falsePositives) console.log(`  fp   ${fp}`);
    }
  }
  console.log(`${"pooled".padEnd(12)} ${COLUMNS.map((s) => cell(pooled[s])).join("")}`);
}
