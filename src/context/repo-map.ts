import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import type { Language, Parser, Query } from "web-tree-sitter";
import { grammarFile } from "./grammar-file.js";
import { type LanguageSpec, languageOf } from "./repo-map-languages.js";
import { estimateText } from "./tokens.js";
import { monotonicMs } from "../builtins.js";

/**
 * The repository map: definitions (functions, classes, types…) of the files that the rest of
 * the code refers to most, ranked, within a token budget. Tree-sitter (web-tree-sitter with
 * the tree-sitter-wasms grammars) parses TypeScript/JavaScript, Python, Go and Rust.
 */

export interface Definition {
  name: string;
  kind: string;
  /** 1-based line */
  line: number;
  /** The definition's first line, trimmed. */
  signature: string;
}

export interface FileSymbols {
  /** Relative to the map's root, with forward slashes. */
  path: string;
  definitions: Definition[];
  /** How often each name is used in this file (definitions' own names excluded). */
  references: Map<string, number>;
}

export interface RepoMapOptions {
  /** Token budget of the rendered map (default 2,048). */
  budgetTokens?: number;
  /** Files parsed at most (default 4,000); the rest are named in the summary line. */
  maxFiles?: number;
  /** Files larger than this are skipped (default 512 KB): generated bundles say little. */
  maxFileBytes?: number;
  signal?: AbortSignal;
}

export interface RepoMap {
  text: string;
  tokens: number;
  files: number;
  parsed: number;
  definitions: number;
  durationMs: number;
}

const SKIPPED_DIRS = new Set([".git", "node_modules", "dist", "build", "out", "target", ".venv", "venv", "__pycache__", "vendor", "coverage"]);
const SIGNATURE_CHARS = 160;

// ── parsing ──────────────────────────────────────────────────────────────────────────────

interface Grammar {
  language: Language;
  definitions: Query[];
  references: Query[];
}

let runtime: Promise<{ parser: Parser; load: (spec: LanguageSpec) => Promise<Grammar> }> | undefined;

/** Loads web-tree-sitter once; grammars load on first use of their language. */
function treeSitter() {
  runtime ??= (async () => {
    const ts = await import("web-tree-sitter");
    await ts.Parser.init();
    const parser = new ts.Parser();
    const grammars = new Map<string, Promise<Grammar>>();
    // One query for all patterns (compiling costs tens of ms each); pattern by pattern only
    // when a grammar version lacks a node type, so one bad pattern does not sink the rest.
    const compile = (language: Language, patterns: string[]): Query[] => {
      try {
        return [new ts.Query(language, patterns.join("\n"))];
      } catch {
        return patterns.flatMap((p) => {
          try {
            return [new ts.Query(language, p)];
          } catch {
            return [];
          }
        });
      }
    };
    const load = (spec: LanguageSpec) => {
      let grammar = grammars.get(spec.id);
      if (!grammar) {
        grammar = ts.Language.load(grammarFile(spec.wasm)).then((language) => ({
          language,
          definitions: compile(language, spec.definitions),
          references: compile(language, spec.references),
        }));
        grammars.set(spec.id, grammar);
      }
      return grammar;
    };
    return { parser, load };
  })();
  return runtime;
}

/** Definitions and references of one source file. */
export async function extractSymbols(source: string, relativePath: string): Promise<FileSymbols | undefined> {
  const spec = languageOf(relativePath);
  if (!spec) return undefined;
  const { parser, load } = await treeSitter();
  const grammar = await load(spec);
  parser.setLanguage(grammar.language);
  const tree = parser.parse(source);
  if (!tree) return undefined;
  try {
    const definitions: (Definition & { at: number })[] = [];
    const defined = new Set<number>();
    for (const query of grammar.definitions) {
      for (const capture of query.captures(tree.rootNode)) {
        const node = capture.node;
        const whole = node.parent ?? node;
        defined.add(node.startIndex);
        // From the start of its line, so `export`, `pub` and decorators' neighbours show.
        const from = source.lastIndexOf("\n", whole.startIndex - 1) + 1;
        const head = source.slice(from, Math.min(whole.endIndex, from + SIGNATURE_CHARS * 2));
        const firstLine = head.split("\n", 1)[0]!.trim();
        definitions.push({
          at: node.startIndex,
          name: node.text,
          kind: capture.name.slice("def.".length),
          line: node.startPosition.row + 1,
          signature: firstLine.length > SIGNATURE_CHARS ? `${firstLine.slice(0, SIGNATURE_CHARS)}…` : firstLine,
        });
      }
    }
    const references = new Map<string, number>();
    for (const query of grammar.references) {
      for (const capture of query.captures(tree.rootNode)) {
        if (defined.has(capture.node.startIndex)) continue;
        const name = capture.node.text;
        references.set(name, (references.get(name) ?? 0) + 1);
      }
    }
    definitions.sort((a, b) => a.at - b.at);
    const ordered = definitions.map(({ at: _at, ...def }) => def);
    return { path: relativePath, definitions: dedupeDefinitions(ordered), references };
  } finally {
    tree.delete();
  }
}

function dedupeDefinitions(defs: Definition[]): Definition[] {
  const seen = new Set<string>();
  return defs.filter((d) => {
    const key = `${d.line}:${d.name}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

// ── ranking and rendering (pure) ─────────────────────────────────────────────────────────

interface Ranked {
  file: FileSymbols;
  score: number;
  symbols: { def: Definition; score: number }[];
}

/**
 * Ranks files by how much the other files use what they define: a definition scores the
 * uses of its name in other files, divided by how many files define that name (so common
 * names like `get` or `init` count little). Files and their symbols are listed best first
 * until the budget is spent.
 */
export function renderRepoMap(files: readonly FileSymbols[], budgetTokens: number): { text: string; tokens: number } {
  const definers = new Map<string, number>();
  const totalUses = new Map<string, number>();
  for (const f of files) {
    for (const name of new Set(f.definitions.map((d) => d.name))) definers.set(name, (definers.get(name) ?? 0) + 1);
    for (const [name, n] of f.references) totalUses.set(name, (totalUses.get(name) ?? 0) + n);
  }
  const ranked: Ranked[] = files.map((file) => {
    const symbols = file.definitions.map((def) => {
      const elsewhere = (totalUses.get(def.name) ?? 0) - (file.references.get(def.name) ?? 0);
      return { def, score: Math.max(0, elsewhere) / (definers.get(def.name) ?? 1) };
    });
    const score = symbols.reduce((sum, s) => sum + Math.sqrt(s.score), 0) * (isSupportCode(file.path) ? 0.3 : 1);
    return { file, score, symbols };
  });
  ranked.sort((a, b) => b.score - a.score || a.file.path.localeCompare(b.file.path));

  const lines: string[] = [];
  let tokens = 0;
  const fits = (text: string) => tokens + estimateText(text) + 1 <= budgetTokens;
  for (const r of ranked) {
    if (r.symbols.length === 0) continue;
    const header = `${r.file.path}:`;
    if (!fits(header)) break;
    const best = [...r.symbols].sort((a, b) => b.score - a.score || a.def.line - b.def.line);
    const chosen: Definition[] = [];
    let cost = estimateText(header) + 1;
    for (const s of best) {
      const line = `  ${s.def.line}: ${s.def.signature}`;
      const c = estimateText(line) + 1;
      if (tokens + cost + c > budgetTokens) break;
      chosen.push(s.def);
      cost += c;
      if (chosen.length >= 12) break;
    }
    if (chosen.length === 0) break;
    lines.push(header, ...chosen.sort((a, b) => a.line - b.line).map((d) => `  ${d.line}: ${d.signature}`));
    tokens += cost;
  }
  return { text: lines.join("\n"), tokens };
}

/** Tests, fixtures and benchmarks use the code rather than define it: they rank lower. */
const isSupportCode = (file: string) => /(^|\/)(tests?|__tests__|spec|fixtures|bench|benchmarks?|examples?)\/|\.(test|spec)\.[a-z]+$/.test(file);

// ── the repository walk ───────────────────────────────────────────────────────────────────

/** Parsed files by absolute path, reused while their size and mtime are unchanged. */
const cache = new Map<string, { mtimeMs: number; size: number; symbols: FileSymbols | undefined }>();
const CACHE_LIMIT = 20_000;

/**
 * Source files under `root` (skipping dependencies, build output and hidden folders), the
 * first `limit` of them and how many there are; the walk stops early once `stopAfter` are
 * counted or `maxDirs` folders were read (a home folder must not be walked whole).
 */
export async function sourceFiles(
  root: string,
  limit: number,
  stopAfter = Number.POSITIVE_INFINITY,
  maxDirs = 20_000,
): Promise<{ files: string[]; total: number }> {
  const files: string[] = [];
  let total = 0;
  let dirs = 0;
  const queue = [root];
  while (queue.length && total < stopAfter && dirs++ < maxDirs) {
    const dir = queue.shift()!;
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    // Code-point order: localeCompare's first call starts ICU's collator (~8 ms of every session start).
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (e.isDirectory()) {
        if (!SKIPPED_DIRS.has(e.name) && !e.name.startsWith(".")) queue.push(path.join(dir, e.name));
      } else if (e.isFile() && languageOf(e.name)) {
        total++;
        if (files.length < limit) files.push(path.join(dir, e.name));
      }
    }
  }
  return { files, total };
}

/** Builds the map of the code under `root`. Never throws for a file it cannot parse. */
export async function buildRepoMap(root: string, options: RepoMapOptions = {}): Promise<RepoMap> {
  const started = monotonicMs();
  const budget = options.budgetTokens ?? 2_048;
  const maxBytes = options.maxFileBytes ?? 512 * 1024;
  const { files, total } = await sourceFiles(root, options.maxFiles ?? 4_000);
  const symbols: FileSymbols[] = [];
  for (const file of files) {
    if (options.signal?.aborted) break;
    const parsed = await symbolsOf(file, root, maxBytes);
    if (parsed) symbols.push(parsed);
  }
  const { text, tokens } = renderRepoMap(symbols, budget);
  const definitions = symbols.reduce((n, s) => n + s.definitions.length, 0);
  return { text, tokens, files: total, parsed: symbols.length, definitions, durationMs: Math.round(monotonicMs() - started) };
}

async function symbolsOf(file: string, root: string, maxBytes: number): Promise<FileSymbols | undefined> {
  const info = await stat(file).catch(() => undefined);
  if (!info || info.size > maxBytes) return undefined;
  const key = `${root}\0${file}`; // paths inside are relative to the root
  const hit = cache.get(key);
  if (hit && hit.mtimeMs === info.mtimeMs && hit.size === info.size) return hit.symbols;
  const relative = path.relative(root, file).split(path.sep).join("/");
  let symbols: FileSymbols | undefined;
  try {
    symbols = await extractSymbols(await readFile(file, "utf8"), relative);
  } catch {
    symbols = undefined; // unreadable or unparsable: left out of the map
  }
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, { mtimeMs: info.mtimeMs, size: info.size, symbols });
  return symbols;
}

/**
 * For a large repository (at least `minFiles` source files), a short map for the system
 * prompt at session start; undefined for a small one (the model can call repo_map).
 */
export async function repoSummary(root: string, minFiles: number, budgetTokens = 1_024): Promise<string | undefined> {
  if (minFiles <= 0) return undefined;
  const { total } = await sourceFiles(root, 0, minFiles, 2_000);
  if (total < minFiles) return undefined;
  try {
    const map = await buildRepoMap(root, { budgetTokens, maxFiles: 3_000 });
    if (!map.text) return undefined;
    return `# Repository map\nThe most-referenced definitions of this repository (${map.files} source files); call repo_map for more or for a subfolder.\n${map.text}`;
  } catch {
    return undefined;
  }
}
