// Trains the monitors' linear classifier and writes src/policy/monitors/classifier-weights.bin.
// Training data: scripts/monitor-corpus/training-set.mjs (the generated corpus's training part,
// every red-team set marked tunedOn, the hand-written sets in src/policy/data/corpus/written/,
// ordinary reads from the training share of node_modules' packages). Never: corpus/heldout.jsonl,
// the held-out packages, this repository's own files, nor any set with tunedOn: false.
// Deterministic: the same data gives the same file. Run: node scripts/train-monitor.mjs
import { writeFileSync } from "node:fs";
import { importBundled } from "./monitor-corpus/bundle.mjs";

const { trainShipped, encodeWeights } = await importBundled("scripts/monitor-corpus/train-entry.mjs", "train-monitor");
const { weights, count } = trainShipped();
const file = "src/policy/monitors/classifier-weights.bin";
const bytes = encodeWeights(weights);
writeFileSync(file, bytes);
console.log(`trained on ${count} items; ${weights.index.size} buckets kept; ${file}: ${(bytes.length / 1024).toFixed(0)} KB`);
