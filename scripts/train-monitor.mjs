// Trains the monitors' linear classifier and writes src/policy/monitors/classifier-weights.json.
// Training data: the generated corpus's training part (src/policy/data/corpus/train.jsonl, written
// by scripts/monitor-corpus/generate.mjs), every red-team set marked tunedOn in redteam-sets.json,
// and ordinary reads from the training share of node_modules' packages (scripts/monitor-corpus/
// reads.mjs). Never: corpus/heldout.jsonl, the held-out packages, this repository's own files,
// nor any set with tunedOn: false.
// Deterministic: the same data gives the same file. Run: node scripts/train-monitor.mjs
import { writeFileSync } from "node:fs";
import { build } from "esbuild";

const out = "node_modules/.cache/train-monitor.mjs";
await build({
  stdin: {
    contents: `
      import { readFileSync } from "node:fs";
      import { trainLinear } from "./src/policy/monitors/classifier-train.ts";
      import { itemText, loadRedTeam, loadRedTeamSets, stageOf } from "./src/policy/monitors/dataset.ts";
      import { ordinaryReads } from "./scripts/monitor-corpus/reads.mjs";
      const tuned = loadRedTeamSets("src/policy/data/redteam.jsonl").filter((s) => s.tunedOn);
      const corpus = loadRedTeam("src/policy/data/corpus/train.jsonl", "corpus-train");
      const reads = ordinaryReads(process.cwd(), { split: "train" });
      const items = [...corpus, ...tuned.flatMap((s) => s.items), ...reads];
      // Ordinary reads are many and easy; at full weight they would outweigh the hard benign look-alikes.
      const READ_WEIGHT = 0.1;
      const data = items.map((i) => ({ text: itemText(i), stage: stageOf(i), tool: i.tool, label: i.label === "benign" ? "benign" : i.category, ...(i.id.startsWith("read-") ? { weight: READ_WEIGHT } : {}) }));
      const trainedOn = "corpus/train.jsonl (" + corpus.length + ") + " + tuned.map((s) => s.name + " (" + s.items.length + ")").join(" + ") + " + ordinary reads (" + reads.length + ")";
      export const weights = trainLinear(data, { trainedOn });
      export const count = data.length;
    `,
    resolveDir: process.cwd(),
    loader: "ts",
  },
  bundle: true,
  format: "esm",
  platform: "node",
  outfile: out,
  external: ["web-tree-sitter", "tree-sitter-wasms"],
  logLevel: "warning",
});
const { weights, count } = await import(`${process.cwd()}/${out}?t=${Date.now()}`);
const file = "src/policy/monitors/classifier-weights.json";
writeFileSync(file, `${JSON.stringify(weights)}\n`);
const buckets = Buffer.from(weights.weights, "base64").length / weights.classes.length;
console.log(`trained on ${count} items; ${buckets} buckets kept; ${file}: ${(JSON.stringify(weights).length / 1024).toFixed(0)} KB`);
