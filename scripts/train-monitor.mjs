// Trains the monitors' naive Bayes classifier on its training part of src/policy/data/redteam.jsonl
// (214 of 322 items, chosen by a hash of the id: trainsClassifier in dataset.ts) and writes
// src/policy/monitors/classifier-weights.json. The blind sets are not used here, but the rules were
// tuned on them and on the rest of redteam.jsonl (redteam-sets.json). Run: node scripts/train-monitor.mjs
import { writeFileSync } from "node:fs";
import { build } from "esbuild";

const out = "node_modules/.cache/train-monitor.mjs";
await build({
  stdin: {
    contents: `
      import { readFileSync } from "node:fs";
      import { train } from "./src/policy/monitors/classifier.ts";
      import { itemText, parseRedTeam, trainsClassifier } from "./src/policy/monitors/dataset.ts";
      import { CATEGORIES } from "./src/policy/monitors/types.ts";
      const items = parseRedTeam(readFileSync("src/policy/data/redteam.jsonl", "utf8")).filter((i) => trainsClassifier(i.id));
      const data = items.map((i) => ({ text: itemText(i), label: i.label === "benign" ? "benign" : i.category }));
      export const weights = train(data, [...CATEGORIES, "benign"]);
    `,
    resolveDir: process.cwd(),
    loader: "ts",
  },
  bundle: true,
  format: "esm",
  platform: "node",
  outfile: out,
  logLevel: "warning",
});
const { weights } = await import(`${process.cwd()}/${out}`);
writeFileSync("src/policy/monitors/classifier-weights.json", `${JSON.stringify(weights)}\n`);
console.log(`trained on ${weights.docs.reduce((a, b) => a + b, 0)} items, ${Object.keys(weights.counts).length} features`);
