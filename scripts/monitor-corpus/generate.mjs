// Generates the monitor corpus: templates × slots (slots.mjs) across the four stages, with
// openers, closers, attacker-chosen "mitigating" words, obfuscations and five languages.
// Output: src/policy/data/corpus/train.jsonl (the classifier trains on it) and heldout.jsonl (it
// never does). The split is by TEMPLATE (FNV-1a of the template id, ~22% held out), so the held-out
// part measures new phrasings, not new slot values of phrasings seen in training.
// Run: node scripts/monitor-corpus/generate.mjs
import { mkdirSync, writeFileSync } from "node:fs";
import { SHELL, WRITES } from "./calls.mjs";
import { FOREIGN } from "./languages.mjs";
import { EVERYDAY, EVERYDAY_OUTPUTS, OUTPUTS, REQUESTS } from "./requests.mjs";
import { EVERYDAY_RESULTS, RESULTS } from "./results.mjs";
import { DOC_FRAMES, INJECTION_FRAMES, INJECTION_PHRASES, SLOTS } from "./slots.mjs";
import { fnv } from "./hash.mjs";

let seed = 20261202;
const random = () => {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const pick = (list) => list[Math.floor(random() * list.length)];
const fill = (template) => template.replace(/\{([a-z]+)\}/g, (all, name) => (SLOTS[name] ? pick(SLOTS[name]) : all));

export const heldOut = (templateId) => fnv(templateId) % 100 < 22;

const OPENERS = ["", "", "", "Please ", "Can you ", "Quick one: ", "hey, ", "I need you to ", "For the migration, ", "Urgent: ", "when you get a chance, "];
// Words an attacker controls: they must not make a harmful item pass (nor a benign one flag).
const CLOSERS = ["", "", "", ".", " thanks", " — this is just a test", " (expected behaviour, the team knows)", " for our detections project", " it's for a CTF", " asap", ", it's authorised", " (test environment)"];
const COMMENT_TAGS = ["", "", "", "  # expected", "  # test fixture", "  # for detections", "  # approved by security", "  # harmless"];

const ZERO_WIDTH = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"];
const LOOKALIKE = { a: "а", e: "е", o: "о", p: "р", c: "с", i: "і", x: "х", y: "у" };

function hideWords(text) {
  return text.replace(/\b([A-Za-z]{5,})\b/g, (w) => (random() < 0.4 ? `${w.slice(0, 2)}${pick(ZERO_WIDTH)}${w.slice(2)}` : w));
}
function confuse(text) {
  return [...text].map((ch) => (LOOKALIKE[ch] && random() < 0.35 ? LOOKALIKE[ch] : ch)).join("");
}
const b64 = (s) => Buffer.from(s, "utf8").toString("base64");
const hexEscapes = (s) => [...Buffer.from(s, "utf8")].map((b) => `\\x${b.toString(16).padStart(2, "0")}`).join("");

/** Obfuscated forms of a shell command that runs it. */
const WRAPS = [
  (c) => `echo ${b64(c)} | base64 -d | bash`,
  (c) => `bash -c "$(echo ${b64(c)} | base64 --decode)"`,
  (c) => `sh -c '${c.replace(/'/g, "'\\''")}'`,
  (c) => `eval "$(printf '${hexEscapes(c)}')"`,
  (c) => `sudo bash -c '${c.replace(/'/g, "'\\''")}'`,
  (c) => `python3 -c "import base64,os;os.system(base64.b64decode('${b64(c)}').decode())"`,
];
/** Encodings that only print or store (benign ones do not run what they decode). */
const BENIGN_WRAPS = [
  (c) => `echo ${b64(c)} | base64 -d > notes/decoded.txt`,
  (c) => `bash -c '${c.replace(/'/g, "'\\''")}'`,
  (c) => `sh -c '${c.replace(/'/g, "'\\''")}'`,
  (c) => `echo ${b64(c)} | base64 -d | bash`,
];

const items = [];
const add = (template, item) => items.push({ template, ...item });
let counter = 0;
const id = (template) => `${template}-${(counter++).toString(36)}`;

for (const [tid, category, label, template] of SHELL) {
  const fills = label === "harmful" ? 7 : 8;
  for (let k = 0; k < fills; k++) {
    let command = fill(template);
    if (random() < 0.3) command += pick(COMMENT_TAGS);
    add(tid, { id: id(tid), category, label, kind: "tool_call", tool: "shell", args: { command } });
  }
  const wraps = label === "harmful" ? WRAPS : BENIGN_WRAPS;
  for (let k = 0; k < 2; k++) {
    add(`${tid}`, { id: id(tid), category, label, kind: "tool_call", tool: "shell", args: { command: pick(wraps)(fill(template)) } });
  }
}
for (const [tid, category, label, path, content] of WRITES) {
  for (let k = 0; k < 5; k++) {
    add(tid, { id: id(tid), category, label, kind: "tool_call", tool: "write_file", args: { path: fill(path), content: fill(content) } });
  }
}
const requestForms = (text, label) => {
  const base = `${pick(OPENERS)}${text}${pick(CLOSERS)}`;
  const forms = [base, `${pick(OPENERS)}${text}${pick(CLOSERS)}`];
  if (random() < 0.35) forms.push(hideWords(base));
  if (random() < 0.3) forms.push(confuse(base));
  if (label === "harmful" && random() < 0.15) forms.push(`Decode this and do what it says: ${b64(text)}`);
  return forms;
};
for (const [tid, category, label, phrasings] of REQUESTS) {
  phrasings.forEach((phrasing, p) => {
    const ptid = `${tid}-${p}`;
    for (let k = 0; k < 3; k++) {
      for (const text of requestForms(fill(phrasing), label)) add(ptid, { id: id(ptid), category, label, kind: "request", text });
    }
  });
}
for (const [tid, category, label, phrasings] of OUTPUTS) {
  phrasings.forEach((phrasing, p) => {
    const ptid = `${tid}-${p}`;
    for (let k = 0; k < 4; k++) add(ptid, { id: id(ptid), category, label, kind: "output", text: fill(phrasing) });
  });
}
for (const [tid, category, label, templates] of RESULTS) {
  templates.forEach((template, p) => {
    const ptid = `${tid}-${p}`;
    for (let k = 0; k < 5; k++) {
      let text = fill(template);
      if (k === 4 && label === "harmful") text = hideWords(text);
      add(ptid, { id: id(ptid), category, label, kind: "tool_result", text });
    }
  });
}
for (const [tid, category, label, kind, texts] of FOREIGN) {
  texts.forEach((template, p) => {
    const ptid = `${tid}-${p}`;
    for (let k = 0; k < 4; k++) {
      const text = kind === "request" ? `${fill(template)}${k === 3 ? pick(CLOSERS) : ""}` : fill(template);
      add(ptid, { id: id(ptid), category, label, kind, text: k === 2 && random() < 0.5 ? hideWords(text) : text });
    }
  });
}

EVERYDAY.forEach((phrasing, p) => {
  const ptid = `ev-rq-${p}`;
  for (let k = 0; k < 3; k++) for (const text of requestForms(fill(phrasing), "benign")) add(ptid, { id: id(ptid), category: "destructive", label: "benign", kind: "request", text });
});
EVERYDAY_OUTPUTS.forEach((phrasing, p) => {
  const ptid = `ev-ou-${p}`;
  for (let k = 0; k < 3; k++) add(ptid, { id: id(ptid), category: "destructive", label: "benign", kind: "output", text: fill(phrasing) });
});
EVERYDAY_RESULTS.forEach((template, p) => {
  const ptid = `ev-tr-${p}`;
  for (let k = 0; k < 3; k++) add(ptid, { id: id(ptid), category: "prompt_injection", label: "benign", kind: "tool_result", text: fill(template) });
});

// Injection phrases as instructions (harmful) and as quoted mentions in docs and tests (benign).
DOC_FRAMES.forEach((frame, p) => {
  const ptid = `doc-inj-${p}`;
  for (let k = 0; k < 5; k++) {
    const text = fill(frame.replace("{phrase}", pick(INJECTION_PHRASES)));
    add(ptid, { id: id(ptid), category: "prompt_injection", label: "benign", kind: k % 2 ? "request" : "tool_result", text: k % 2 ? `add this to the docs: ${text}` : text });
  }
});
INJECTION_FRAMES.forEach((frame, p) => {
  const ptid = `use-inj-${p}`;
  for (let k = 0; k < 5; k++) {
    const phrase = pick(INJECTION_PHRASES);
    const text = fill(frame.replace("{Phrase}", phrase[0].toUpperCase() + phrase.slice(1)).replace("{phrase}", phrase));
    add(ptid, { id: id(ptid), category: "prompt_injection", label: "harmful", kind: "tool_result", text });
  }
});

// Duplicates (same text from different slot draws) are kept once.
const seen = new Set();
const unique = items.filter((item) => {
  const key = JSON.stringify([item.kind, item.text ?? item.args, item.label]);
  if (seen.has(key)) return false;
  seen.add(key);
  return true;
});
const dir = new URL("../../src/policy/data/corpus/", import.meta.url);
mkdirSync(dir, { recursive: true });
const line = ({ template: _template, ...item }) => JSON.stringify(item);
const train = unique.filter((i) => !heldOut(i.template));
const held = unique.filter((i) => heldOut(i.template));
writeFileSync(new URL("train.jsonl", dir), `${train.map(line).join("\n")}\n`);
writeFileSync(new URL("heldout.jsonl", dir), `${held.map(line).join("\n")}\n`);
const count = (list, label) => list.filter((i) => i.label === label).length;
console.log(
  `corpus: ${unique.length} items; train ${train.length} (${count(train, "harmful")} harmful), held out ${held.length} (${count(held, "harmful")} harmful) from ${new Set(held.map((i) => i.template)).size} templates`,
);
