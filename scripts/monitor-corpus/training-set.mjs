// Bundled by esbuild (it imports TypeScript). What the monitors' classifier trains on, in one place for scripts/train-monitor.mjs and
// scripts/monitor-cv.mjs: the generated corpus's training part, every red-team set marked
// tunedOn, the hand-written sets of src/policy/data/corpus/written/, and ordinary reads from the
// training share of node_modules' packages. Never: corpus/heldout.jsonl, the held-out packages,
// this repository's own files, nor any set with tunedOn: false.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { compileLexicon } from "../../src/policy/monitors/concepts.ts";
import { itemText, loadRedTeam, loadRedTeamSets, stageOf } from "../../src/policy/monitors/dataset.ts";
import { ordinaryReads } from "./reads.mjs";
import { styledShellCalls } from "./styles.mjs";

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

/**
 * Plainly ordinary work (requests, commands, results and answers with no security look-alike in
 * them), written by helpers so that everyday words ("maintenance", "kill the process", "payload")
 * and other languages than English do not lean harmful for lack of benign company. The held-out
 * sets never train: they are the check of what the monitors do with everyday work they never saw
 * (test/policy/monitor-ordinary-work.test.ts), o3 mostly in English, o18 in eighteen other languages,
 * o21 and o22 a coding agent's everyday work (brief: scripts/monitor-corpus/briefs/coding-set.md).
 */
export const ORDINARY_HELD_OUT = ["o3", "o18", "o21", "o22"];
/** The `set` every ordinary-work item is loaded with (what toTraining weighs). */
const ORDINARY_SET = "ordinary";
/**
 * The ordinary-work sets written mostly in other languages than English (brief:
 * scripts/monitor-corpus/briefs/ordinary-set.md), loaded as a `set` of their own so that their
 * weight can be chosen apart from the English ones'.
 */
const LANGUAGES_SET = "ordinary-languages";
const IN_LANGUAGES = new Set(["o16", "o17", "o19", "o20", "o23", "o24", "o25", "o26", "o27", "o28", "o29", "o30", "o31"]);

/** @returns {{ name: string, items: object[] }[]} */
export function ordinarySets(root = process.cwd(), { split = "train" } = {}) {
  const dir = path.join(root, DATA, "corpus", "ordinary");
  return readdirSync(dir)
    .filter((f) => f.endsWith(".jsonl"))
    .sort()
    .map((f) => f.replace(/\.jsonl$/, ""))
    .map((id) => ({ name: `ordinary/${id}`, items: loadRedTeam(path.join(dir, `${id}.jsonl`), IN_LANGUAGES.has(id) ? LANGUAGES_SET : ORDINARY_SET) }))
    .filter((s) => ORDINARY_HELD_OUT.some((id) => s.name === `ordinary/${id}`) === (split === "heldout"));
}

/** Everything else trained on: the generated corpus, the maintainers' tuned sets, ordinary work and reads. */
export function baseItems(root = process.cwd()) {
  const tuned = loadRedTeamSets(path.join(root, DATA, "redteam.jsonl")).filter((s) => s.tunedOn && !/independent of the monitors/.test(s.by));
  return [
    { name: "corpus/train.jsonl", items: loadRedTeam(path.join(root, DATA, "corpus", "train.jsonl"), "corpus-train") },
    ...tuned.map((s) => ({ name: s.name, items: s.items })),
    ...ordinarySets(root),
    { name: "ordinary reads", items: ordinaryReads(root, { split: "train" }) },
  ];
}

/** The generated corpus's weight against hand-written items (chosen by scripts/monitor-cv.mjs). */
export const TEMPLATE_WEIGHT = 0.3;

/** Ordinary work's weight against the hand-written items (chosen by scripts/monitor-cv.mjs). */
export const ORDINARY_WEIGHT = 4;

/**
 * The other languages' ordinary work's weight against the hand-written items (`--languages-weight W`
 * in scripts/monitor-cv.mjs). The folds prefer 1 to 4 by 0.3 points of recall. A model trained at 1
 * once stopped an ordinary background-process command by the digits it held; that came from the
 * word features keeping exact numbers, which now fold (classifier.ts; docs/monitor-rounds-5.md).
 */
export const LANGUAGES_WEIGHT = 1;

/** A styled copy's weight against its original (styles.mjs); not searched yet: `scripts/monitor-cv.mjs --style-weight W` varies it. */
export const STYLE_WEIGHT = 0.5;

export function toTraining(items, { templateWeight = TEMPLATE_WEIGHT, ordinaryWeight = ORDINARY_WEIGHT, languagesWeight = LANGUAGES_WEIGHT, styleWeight = STYLE_WEIGHT } = {}) {
  const styled = styleWeight > 0 ? styledShellCalls(items) : [];
  return [...items, ...styled].map((i) => {
    const ordinary = i.set === ORDINARY_SET ? ordinaryWeight : i.set === LANGUAGES_SET ? languagesWeight : 1;
    const importance = (i.set === "corpus-train" ? templateWeight : 1) * ordinary * (i.styled ? styleWeight : 1);
    return {
      ...(importance !== 1 ? { importance } : {}),
      text: itemText(i),
      stage: stageOf(i),
      ...(i.tool ? { tool: i.tool } : {}),
      label: i.label === "benign" ? "benign" : i.category,
      ...(i.id.startsWith("read-") ? { weight: READ_WEIGHT } : {}),
    };
  });
}

export const describeGroups = (groups) => groups.map((g) => `${g.name} (${g.items.length})`).join(" + ");

/** The concept lexicon's sources in src/policy/data/concepts/: inventory.txt and one file per language (its ISO 639 code). */
export function lexiconSources(root = process.cwd()) {
  const dir = path.join(root, DATA, "concepts");
  const files = {};
  for (const f of readdirSync(dir).sort()) if (/^[a-z]{2,3}\.txt$/.test(f)) files[f] = readFileSync(path.join(dir, f), "utf8");
  return { inventory: readFileSync(path.join(dir, "inventory.txt"), "utf8"), files };
}

/** The concept lexicon of src/policy/data/concepts/, compiled. */
export function conceptLexicon(root = process.cwd()) {
  const { inventory, files } = lexiconSources(root);
  return compileLexicon(inventory, files);
}
