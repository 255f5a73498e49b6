// What scripts/lexicon-check.mjs runs, bundled (it imports TypeScript).
import { readdirSync } from "node:fs";
import path from "node:path";
import { compileLexicon, ConceptLexicon, foldText } from "../../src/policy/monitors/concepts.ts";
import { itemText, loadRedTeam } from "../../src/policy/monitors/dataset.ts";

export { lexiconSources } from "./training-set.mjs";

/** The benign items' texts of the corpus (ordinary work, the written sets, the generated corpus), as the monitors read them. */
export function benignTexts(root = process.cwd()) {
  const dir = path.join(root, "src/policy/data/corpus");
  const files = [
    ...["ordinary", "written"].flatMap((sub) => readdirSync(path.join(dir, sub)).map((f) => path.join(dir, sub, f))),
    path.join(dir, "train.jsonl"),
    path.join(dir, "heldout.jsonl"),
  ];
  return files.flatMap((f) => loadRedTeam(f)).filter((i) => i.label === "benign").map(itemText);
}

const WORD = /[\p{L}\p{N}_]+/gu;

/**
 * Where the language files `files` ({ "xx.txt": source }) find a concept in `texts` that the shipped
 * lexicon (`shipped`, the same shape) does not find at that word: per file, each (concept, word)
 * with its count and the words around its first hit.
 */
export function newHits(inventory, shipped, files, texts) {
  const old = new ConceptLexicon(compileLexicon(inventory, shipped));
  const had = texts.map((t) => new Set(old.find(t).map((h) => `${old.ids[h.concept]}@${h.at}`)));
  const words = texts.map((t) => foldText(t).match(WORD) ?? []);
  const report = {};
  for (const [name, source] of Object.entries(files)) {
    const lexicon = new ConceptLexicon(compileLexicon(inventory, { [name]: source }));
    const found = new Map();
    texts.forEach((text, i) => {
      for (const hit of lexicon.find(text)) {
        const id = lexicon.ids[hit.concept];
        if (had[i].has(`${id}@${hit.at}`)) continue;
        const key = `${id} ${words[i][hit.at]}`;
        const seen = found.get(key) ?? { count: 0, context: words[i].slice(Math.max(0, hit.at - 4), hit.at + 5).join(" ") };
        seen.count++;
        found.set(key, seen);
      }
    });
    report[name] = [...found].map(([key, v]) => ({ key, ...v })).sort((a, b) => b.count - a.count);
  }
  return report;
}
