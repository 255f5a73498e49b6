// Checks concept-lexicon files before they join src/policy/data/concepts/: the format (every
// concept of inventory.txt, in its order, with at least six forms; lower case; stems of three
// letters or more) and, for each file, the words of the corpus's benign texts (ordinary work, the
// written sets, the generated corpus) where it finds a concept that the shipped lexicon does not.
// A form that fires there in another language, or with another meaning, makes the classifier read
// harmless work differently: leave it out.
//   node scripts/lexicon-check.mjs DIR [--min N]   (DIR holds xx.txt files; N: hits to report, default 2)
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { importBundled } from "./monitor-corpus/bundle.mjs";

const { values, positionals } = parseArgs({ options: { min: { type: "string" } }, allowPositionals: true });
const dir = positionals[0];
if (!dir) throw new Error("usage: node scripts/lexicon-check.mjs DIR [--min N]");
const min = Number(values.min ?? 2);
const { benignTexts, newHits, lexiconSources } = await importBundled("scripts/monitor-corpus/lexicon-entry.mjs", "lexicon-check");
const { inventory, files: shipped } = lexiconSources();
const ids = inventory.split("\n").filter((l) => l && !l.startsWith("#")).map((l) => l.split("\t")[0]);
const files = Object.fromEntries(
  readdirSync(dir)
    .filter((f) => /^[a-z]{2,3}\.txt$/.test(f))
    .map((f) => [f, readFileSync(path.join(dir, f), "utf8")]),
);

let problems = 0;
const problem = (file, line, what) => {
  problems++;
  console.log(`${file}:${line}: ${what}`);
};
for (const [file, source] of Object.entries(files)) {
  const lines = source.split("\n").map((text, i) => ({ text, n: i + 1 })).filter(({ text }) => text.includes("\t"));
  const order = lines.map(({ text }) => text.split("\t")[0]);
  if (order.join(" ") !== ids.join(" ")) problem(file, 1, "the concepts must be inventory.txt's, each once, in its order");
  for (const { text, n } of lines) {
    const forms = text.split("\t")[1].split(" | ");
    if (forms.length < 6) problem(file, n, `${forms.length} forms (at least six)`);
    for (const form of forms) {
      if (form !== form.trim().toLowerCase() || !form) problem(file, n, `"${form}": lower case, no stray spaces`);
      if (/[|,;()]/.test(form)) problem(file, n, `"${form}": a separator or bracket inside a form`);
      for (const word of form.split(/\s+/)) {
        if (/\*./.test(word)) problem(file, n, `"${form}": * only at a word's end`);
        if (word.endsWith("*") && [...word.slice(0, -1)].length < 3) problem(file, n, `"${form}": a stem of fewer than three letters`);
      }
    }
  }
}

const texts = benignTexts();
const report = newHits(inventory, shipped, files, texts);
for (const [file, hits] of Object.entries(report)) {
  for (const { key, count, context } of hits.filter((h) => h.count >= min)) console.log(`${file}: ${key} ×${count}  «${context}»`);
}
console.log(`${Object.keys(files).length} files, ${texts.length} benign texts; ${problems} format problems`);
process.exit(problems ? 1 : 0);
