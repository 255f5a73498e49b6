// What scripts/monitor-screen.mjs runs, bundled (it imports TypeScript).
import { LinearModel } from "../../src/policy/monitors/classifier.ts";
import { decodeWeights } from "../../src/policy/monitors/weights-file.ts";
import { EVAL_TIER } from "../../src/policy/monitors/evaluate.ts";
import { DEFAULT_BARS, Monitor } from "../../src/policy/monitors/monitor.ts";
import { screenText } from "../../src/policy/monitors/normalise.ts";

/** Each item screened as the cascade would (`weights`: the bytes of a weights file), with its P(harm) and the rules' top hit beside the verdict. */
export function screenAll(items, { weights, bars = DEFAULT_BARS } = {}) {
  const model = new LinearModel(decodeWeights(weights));
  const monitor = new Monitor({ tier: EVAL_TIER, bars, model });
  return items.map((item) => {
    const input = { stage: item.stage, text: item.text, ...(item.tool ? { tool: item.tool } : {}) };
    const verdict = monitor.screen(input);
    const p = model.predict(screenText(item.text, item.stage), item.stage);
    const rule = monitor.ruleHits(input)[0];
    return { ...item, verdict, harm: p.harm, category: p.category, rule: rule ? `${rule.category} ${rule.score.toFixed(2)}` : "" };
  });
}
