// The training run of scripts/train-monitor.mjs, bundled (it imports TypeScript).
import { trainLinear } from "../../src/policy/monitors/classifier-train.ts";
export { encodeWeights } from "../../src/policy/monitors/weights-file.ts";
import { authorGroups, baseItems, conceptLexicon, describeGroups, toTraining } from "./training-set.mjs";

export function trainShipped(options = {}) {
  const groups = [...baseItems(), ...authorGroups()];
  const data = toTraining(groups.flatMap((g) => g.items));
  return { weights: trainLinear(data, { concepts: conceptLexicon(), ...options, trainedOn: describeGroups(groups) }), count: data.length };
}
