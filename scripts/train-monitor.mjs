// Trains the monitors' naive Bayes classifier on the `tune` split of the red-team set and writes
// src/policy/monitors/classifier-weights.json. Run: node scripts/train-monitor.mjs
import { writeFileSync } from "node:fs";
import { build } from "esbuild";

const out = "node_modules/.cache/train-monitor.mjs";
await build({
  stdin: {
    contents: `
      import { readFileSync } from "node:fs";
      import { train } from "./src/policy/monitors/classifier.ts";
      import { itemText, parseRedTeam } from "./src/policy/monitors/dataset.ts";
      import { CATEGORIES } from "./src/policy/monitors/types.ts";
      const items = parseRedTeam(readFileSync("src/policy/data/redteam.jsonl", "utf8")).filter((i) => i.split === "tune");
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
