// Leave-one-author-out cross-validation of the monitors (scripts/monitor-cv.mjs), bundled.
import { trainLinear } from "../../src/policy/monitors/classifier-train.ts";
import { LinearModel } from "../../src/policy/monitors/classifier.ts";
import { EVAL_TIER, evaluate } from "../../src/policy/monitors/evaluate.ts";
import { DEFAULT_BARS, Monitor, unearnedBy } from "../../src/policy/monitors/monitor.ts";
import { itemText, stageOf } from "../../src/policy/monitors/dataset.ts";
import { screenText } from "../../src/policy/monitors/normalise.ts";
import { authorGroups, baseItems, conceptLexicon, ordinarySets, toTraining } from "./training-set.mjs";

export { DEFAULT_BARS };

/** The shipped concept lexicon unless the options say otherwise (`concepts: null` trains without one). */
const withConcepts = (options) => ("concepts" in options ? options : { ...options, concepts: conceptLexicon() });

/** Each author's set held out in turn, with a classifier trained on everything else. */
function* folds(options, data, only = []) {
  options = withConcepts(options);
  const base = baseItems().flatMap((g) => g.items);
  const groups = authorGroups();
  for (const held of groups) {
    if (only.length && !only.includes(held.name)) continue;
    const rest = groups.filter((g) => g !== held).flatMap((g) => g.items);
    const model = new LinearModel(trainLinear(toTraining([...base, ...rest], data), { ...options, trainedOn: `cv without ${held.name}` }));
    yield { held, model };
  }
}

/** For each fold: the held-out set screened by the rules and the fold's classifier under each of `barsList`. */
export function crossValidate(options = {}, barsList = [DEFAULT_BARS], only = [], data = {}) {
  return [...folds(options, data, only)].map(({ held, model }) => ({
    name: held.name,
    items: held.items,
    reports: barsList.map((bars) => evaluate(new Monitor({ tier: EVAL_TIER, model, bars }), held.items)),
  }));
}

/**
 * The ordinary-work sets that train, each held out in turn (the held-out ones, ORDINARY_HELD_OUT,
 * never enter): what the bars do to everyday work, kept apart from the hard look-alikes.
 */
function* ordinaryFolds(options, data, only = []) {
  options = withConcepts(options);
  const authors = authorGroups().flatMap((g) => g.items);
  const base = baseItems();
  for (const held of ordinarySets()) {
    if (only.length && !only.includes(held.name)) continue;
    const rest = base.filter((g) => g.name !== held.name).flatMap((g) => g.items);
    const model = new LinearModel(trainLinear(toTraining([...rest, ...authors], data), { ...options, trainedOn: `cv without ${held.name}` }));
    yield { held, model };
  }
}

/**
 * Per held-out item: its stage and label, the classifier's P(harm) and the rules' top score (for
 * analysis and the bars' search); items of the ordinary-work folds carry `ordinary: true`.
 */
export function crossValidateScores(options = {}, data = {}, { authors = true, ordinary = true, only = [] } = {}) {
  const out = [];
  const everyday = ordinary ? [...ordinaryFolds(options, data, only)].map((f) => ({ ...f, ordinary: true })) : [];
  const all = [...(authors ? folds(options, data, only) : []), ...everyday];
  for (const { held, model, ordinary: isOrdinary } of all) {
    const monitor = new Monitor({ tier: EVAL_TIER, model });
    for (const item of held.items) {
      const stage = stageOf(item);
      const input = { stage, text: itemText(item), ...(item.tool ? { tool: item.tool } : {}) };
      const top = monitor.ruleHits(input)[0];
      const verdict = monitor.screen(input);
      // What the monitor does with the rules alone regardless of bars: tool results that only quote an attack.
      const quoting = stage === "tool_result" && !!top && top.category !== "prompt_injection" && !top.underWay;
      const text = screenText(input.text, stage);
      const harm = model.predict(text, stage).harm;
      const unearned = unearnedBy(text, stage, item.tool);
      // The commands a result shows, judged as tool calls (bars of their own stage): the search takes it as given.
      const shown = !!monitor.shownVerdict(input);
      // The same from shell prompts alone, to measure what the other transcript forms add.
      const shownShell = shown && !!monitor.shownVerdict(input, ["shell"]);
      out.push({
        fold: held.name,
        id: item.id,
        stage,
        ...(item.tool ? { tool: item.tool } : {}),
        harmful: item.label === "harmful",
        harm,
        rule: top?.score ?? 0,
        structural: top?.structural ?? 0,
        quoting,
        ...(unearned ? { unearned } : {}),
        ...(shown ? { shown } : {}),
        ...(shownShell ? { shownShell } : {}),
        flagged: !!verdict && !verdict.inScope,
        ...(isOrdinary ? { ordinary: true } : {}),
      });
    }
  }
  return out;
}
