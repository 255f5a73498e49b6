// Leave-one-author-out cross-validation of the monitors (scripts/monitor-cv.mjs), bundled.
import { trainLinear } from "../../src/policy/monitors/classifier-train.ts";
import { LinearModel } from "../../src/policy/monitors/classifier.ts";
import { EVAL_TIER, evaluate } from "../../src/policy/monitors/evaluate.ts";
import { DEFAULT_BARS, Monitor } from "../../src/policy/monitors/monitor.ts";
import { itemText, stageOf } from "../../src/policy/monitors/dataset.ts";
import { normalise } from "../../src/policy/monitors/normalise.ts";
import { authorGroups, baseItems, toTraining } from "./training-set.mjs";

export { DEFAULT_BARS };

/**
 * For each author's set: train on everything else, then screen that set with the rules and the
 * fold's classifier under each of `barsList`. Returns, per fold, one report per bars.
 */
export function crossValidate(options = {}, barsList = [DEFAULT_BARS], only = [], data = {}) {
  const base = baseItems().flatMap((g) => g.items);
  const groups = authorGroups();
  const folds = [];
  for (const held of groups) {
    if (only.length && !only.includes(held.name)) continue;
    const rest = groups.filter((g) => g !== held).flatMap((g) => g.items);
    const model = new LinearModel(trainLinear(toTraining([...base, ...rest], data), { ...options, trainedOn: `cv without ${held.name}` }));
    const reports = barsList.map((bars) => evaluate(new Monitor({ tier: EVAL_TIER, model, bars }), held.items));
    folds.push({ name: held.name, items: held.items, reports });
  }
  return folds;
}

/** Per held-out item: its stage and label, the classifier's P(harm) and the rules' top score (for analysis). */
export function crossValidateScores(options = {}, data = {}) {
  const base = baseItems().flatMap((g) => g.items);
  const groups = authorGroups();
  const out = [];
  for (const held of groups) {
    const rest = groups.filter((g) => g !== held).flatMap((g) => g.items);
    const model = new LinearModel(trainLinear(toTraining([...base, ...rest], data), { ...options, trainedOn: `cv without ${held.name}` }));
    const monitor = new Monitor({ tier: EVAL_TIER, model });
    for (const item of held.items) {
      const stage = stageOf(item);
      const text = normalise(itemText(item), item.tool).text;
      const hits = monitor.ruleHits({ stage, text: itemText(item), ...(item.tool ? { tool: item.tool } : {}) });
      const verdict = monitor.screen({ stage, text: itemText(item), ...(item.tool ? { tool: item.tool } : {}) });
      const top = hits[0];
      // What the monitor does with the rules alone regardless of bars: tool results that only quote an attack.
      const quoting = stage === "tool_result" && !!top && top.category !== "prompt_injection" && !top.underWay;
      out.push({ fold: held.name, id: item.id, stage, harmful: item.label === "harmful", harm: model.predict(text, stage).harm, rule: top?.score ?? 0, structural: top?.structural ?? 0, quoting, flagged: !!verdict && !verdict.inScope });
    }
  }
  return out;
}
