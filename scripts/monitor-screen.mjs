// Screens items with the monitors' local layers and shows why: the verdict, the classifier's
// P(harm) and top category, and the rules' top hit. For looking at one model or set of bars on
// text of one's own (a test's commands, a user's report) without training anything.
//   node scripts/monitor-screen.mjs [--weights FILE.bin] [--bars FILE.json] [FILE.jsonl]
// Items are JSON lines {"stage": "tool_call", "text": "...", "tool"?: "shell"} (a file, or stdin).
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { importBundled } from "./monitor-corpus/bundle.mjs";

const { values, positionals } = parseArgs({ options: { weights: { type: "string" }, bars: { type: "string" } }, allowPositionals: true });
const read = (file) => JSON.parse(readFileSync(file, "utf8"));
const lines = readFileSync(positionals[0] ?? 0, "utf8").split("\n").filter((l) => l.trim());
const { screenAll } = await importBundled("scripts/monitor-corpus/screen-entry.mjs", "monitor-screen");
const results = screenAll(lines.map((l) => JSON.parse(l)), {
  weights: readFileSync(values.weights ?? "src/policy/monitors/classifier-weights.bin"),
  ...(values.bars ? { bars: read(values.bars) } : {}),
});
for (const r of results) {
  const verdict = r.verdict ? `${r.verdict.inScope ? "in scope" : `FLAG ${r.verdict.category}`} (${r.verdict.source})` : "clear";
  console.log(`${verdict.padEnd(32)} p=${r.harm.toFixed(2)} ${r.category.padEnd(16)} ${(r.rule || "-").padEnd(22)} ${r.stage.padEnd(11)} ${r.text.replace(/\s+/g, " ").slice(0, 90)}`);
}
