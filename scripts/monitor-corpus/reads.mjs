// Ordinary reads: what an agent's read tools return in everyday work — source code, type
// declarations, READMEs, changelogs, configs, scripts — taken from the packages installed in
// node_modules (pinned by package-lock.json, so the same tree gives the same items). The monitors
// must let these pass: they are benign tool results, unlike the templated ones of results.mjs in
// that nobody wrote them to look like anything.
//
// Packages split by a hash of their name: the classifier trains on ~70% of them
// (scripts/train-monitor.mjs) and the test measures false positives on the rest and on this
// repository's own files, which it never trains on (test/policy/monitor-ordinary-reads.test.ts).
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fnv } from "./hash.mjs";

const EXTENSIONS = /\.(m?js|cjs|ts|mts|tsx|jsx|md|json|ya?ml|py|sh|c|h|cc|go|rs|toml|txt|css|html)$/;
/** Lines per window: a typical read_file page or a screenful of a command's output. */
const WINDOW = 40;
const MAX_FILE_BYTES = 400_000;

/** Whether a package's reads are held out from training. */
export const heldOutPackage = (name) => fnv(`reads:${name}`) % 100 < 30;

function packages(root) {
  const names = [];
  let entries = [];
  try {
    entries = readdirSync(root).sort();
  } catch {
    return names;
  }
  for (const entry of entries) {
    if (entry.startsWith(".")) continue;
    if (entry.startsWith("@")) {
      for (const sub of readdirSync(path.join(root, entry)).sort()) names.push(`${entry}/${sub}`);
    } else names.push(entry);
  }
  return names;
}

function files(dir, out = [], depth = 0) {
  if (depth > 4) return out;
  let entries = [];
  try {
    entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
  } catch {
    return out;
  }
  for (const entry of entries) {
    if (entry.name === "node_modules" || entry.name.startsWith(".")) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) files(full, out, depth + 1);
    else if (EXTENSIONS.test(entry.name) && !entry.name.endsWith(".min.js") && !entry.name.endsWith(".map")) out.push(full);
  }
  return out;
}

/** The shapes a read comes back in: numbered lines (read_file), grep hits, or plain text (cat, shell). */
function shapes(relative, lines, start) {
  const slice = lines.slice(start, start + WINDOW);
  return {
    numbered: slice.map((line, i) => `${start + i + 1}\t${line}`).join("\n"),
    grep: slice
      .map((line, i) => [line, i])
      .filter(([line]) => line.trim().length > 3)
      .slice(0, 12)
      .map(([line, i]) => `${relative}:${start + i + 1}:${line}`)
      .join("\n"),
    plain: slice.join("\n"),
  };
}

/** Text windows of one file, spread over it (first page, then evenly). */
export function windowsOf(file, relative, perFile) {
  let text;
  try {
    if (statSync(file).size > MAX_FILE_BYTES) return [];
    text = readFileSync(file, "utf8");
  } catch {
    return [];
  }
  if (text.includes("\u0000")) return [];
  const lines = text.split("\n");
  // Minified or generated one-liners are not what an agent pages through.
  if (lines.some((l) => l.length > 1000)) return [];
  const count = Math.max(1, Math.min(perFile, Math.ceil(lines.length / WINDOW)));
  const step = Math.max(WINDOW, Math.floor(lines.length / count));
  const out = [];
  for (let k = 0; k < count; k++) {
    const start = Math.min(k * step, Math.max(0, lines.length - WINDOW));
    const form = ["numbered", "numbered", "plain", "grep"][fnv(`${relative}:${k}`) % 4];
    const body = shapes(relative, lines, start)[form];
    if (body.trim().length >= 80) out.push({ text: body, tool: form === "grep" ? "grep" : form === "plain" ? "shell" : "read_file" });
  }
  return out;
}

/**
 * Benign tool_result items from node_modules: `split` "train" or "heldout" (by package), at most
 * `perPackage` windows from each package.
 */
export function ordinaryReads(root, { split, perPackage = 4, perFile = 2 }) {
  const items = [];
  const nodeModules = path.join(root, "node_modules");
  for (const name of packages(nodeModules)) {
    if ((split === "heldout") !== heldOutPackage(name)) continue;
    const dir = path.join(nodeModules, name);
    const all = files(dir);
    if (all.length === 0) continue;
    // Files spread over the package: every n-th, so one package's many near-identical files do not dominate.
    const stride = Math.max(1, Math.floor(all.length / perPackage));
    let taken = 0;
    for (let i = 0; i < all.length && taken < perPackage; i += stride) {
      const relative = path.relative(dir, all[i]);
      for (const window of windowsOf(all[i], relative, perFile)) {
        if (taken >= perPackage) break;
        items.push({ id: `read-${name}-${taken}`, category: "prompt_injection", label: "benign", kind: "tool_result", ...window });
        taken++;
      }
    }
  }
  return items;
}
