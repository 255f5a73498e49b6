// Bundled by esbuild (it imports TypeScript). What the monitors' classifier trains on, in one place for scripts/train-monitor.mjs and
// scripts/monitor-cv.mjs: the generated corpus's training part, every red-team set marked
// tunedOn, the hand-written sets of src/policy/data/corpus/written/, and ordinary reads from the
// training share of node_modules' packages. Never: corpus/heldout.jsonl, the held-out packages,
// this repository's own files, nor any set with tunedOn: false.
import { readdirSync } from "node:fs";
import path from "node:path";
import { itemText, loadRedTeam, loadRedTeamSets, stageOf } from "../../src/policy/monitors/dataset.ts";
import { ordinaryReads } from "./reads.mjs";

const DATA = "src/policy/data";
/** Ordinary reads are many and easy; at full weight they would outweigh the hard benign look-alikes. */
const READ_WEIGHT = 0.1;

/**
 * The sets each written by one independent author (a helper with its own persona, blind to the
 * monitors): the unit of cross-validation, since a new author is what a blind set is.
 */
/** @returns {{ name: string, items: object[] }[]} */
export function authorGroups(root = process.cwd()) {
  const tuned = loadRedTeamSets(path.join(root, DATA, "redteam.jsonl")).filter((s) => s.tunedOn && /independent of the monitors/.test(s.by));
  const dir = path.join(root, DATA, "corpus", "written");
  const written = readdirSync(dir)
    .filter((f) => f.endsWith(".jsonl"))
    .sort()
    .map((f) => ({ name: f.replace(/\.jsonl$/, ""), items: loadRedTeam(path.join(dir, f)) }));
  return [...tuned.map((s) => ({ name: s.name, items: s.items })), ...written];
}

/** Everything else trained on: the generated corpus, the maintainers' tuned sets, ordinary reads. */
export function baseItems(root = process.cwd()) {
  const tuned = loadRedTeamSets(path.join(root, DATA, "redteam.jsonl")).filter((s) => s.tunedOn && !/independent of the monitors/.test(s.by));
  return [
    { name: "corpus/train.jsonl", items: loadRedTeam(path.join(root, DATA, "corpus", "train.jsonl"), "corpus-train") },
    ...tuned.map((s) => ({ name: s.name, items: s.items })),
    { name: "ordinary reads", items: ordinaryReads(root, { split: "train" }) },
  ];
}

/** The generated corpus's weight against hand-written items (chosen by scripts/monitor-cv.mjs). */
export const TEMPLATE_WEIGHT = 0.3;

export function toTraining(items, { templateWeight = TEMPLATE_WEIGHT } = {}) {
  return items.map((i) => ({
    ...(i.set === "corpus-train" && templateWeight !== 1 ? { importance: templateWeight } : {}),
    text: itemText(i),
    stage: stageOf(i),
    ...(i.tool ? { tool: i.tool } : {}),
    label: i.label === "benign" ? "benign" : i.category,
    ...(i.id.startsWith("read-") ? { weight: READ_WEIGHT } : {}),
  }));
}

export const describeGroups = (groups) => groups.map((g) => `${g.name} (${g.items.length})`).join(" + ");
