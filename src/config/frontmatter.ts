import { createRequire } from "node:module";

/**
 * The YAML parser, required on the first frontmatter block: most runs read none, and bundled it
 * was ~160 KB every start parsed. It stays a runtime dependency (scripts/build.mjs leaves it out).
 */
let yamlParse: ((text: string) => unknown) | undefined;
function parse(text: string): unknown {
  yamlParse ??= (createRequire(import.meta.url)("yaml") as typeof import("yaml")).parse;
  return yamlParse(text);
}

/** A markdown file with a YAML frontmatter block (SKILL.md, a slash command, a subagent). */
export interface MarkdownWithFrontmatter {
  data: Record<string, unknown>;
  /** Each top-level `key: value` line's value as written (for `argument-hint: [file] [focus]`, which YAML reads as lists). */
  raw: Record<string, string>;
  body: string;
}

export class FrontmatterError extends Error {
  override name = "FrontmatterError";
}

const OPENING = /^\uFEFF?---[ \t]*\r?\n/;
const CLOSING = /^---[ \t]*$/m;

/**
 * Splits `---\nyaml\n---\nbody`. A file without the block is all body (Claude Code's commands
 * need none). Files written for Claude Code are not always strict YAML (`argument-hint: [a] [b]`,
 * an unquoted `: ` in a description): a block that YAML refuses but that is plain `key: value`
 * lines is read line by line, as Claude Code does. A block that does not close, or is neither,
 * throws one readable line.
 */
export function parseFrontmatter(text: string): MarkdownWithFrontmatter {
  const opening = OPENING.exec(text);
  if (!opening) return { data: {}, raw: {}, body: text.trim() };
  const rest = text.slice(opening[0].length);
  const closing = CLOSING.exec(rest);
  if (!closing) throw new FrontmatterError("the frontmatter opens with --- but never closes");
  const block = rest.slice(0, closing.index);
  const raw = plainLines(block);
  const body = rest.slice(closing.index + closing[0].length).trim();
  let data: unknown;
  try {
    data = parse(block) ?? {};
  } catch (error) {
    if (raw) return { data: raw, raw, body };
    throw new FrontmatterError(`the frontmatter is not valid YAML (${firstLine((error as Error).message)})`);
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) throw new FrontmatterError("the frontmatter is not a map of keys to values");
  return { data: data as Record<string, unknown>, raw: raw ?? {}, body };
}

/** The block as `key: value` lines, values as written (outer quotes dropped); undefined when any line is something else. */
function plainLines(block: string): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const line of block.split(/\r?\n/)) {
    if (!line.trim() || line.trimStart().startsWith("#")) continue;
    const match = /^([A-Za-z][\w-]*):(?:\s+(.*))?$/.exec(line);
    if (!match) return undefined;
    out[match[1]!] = (match[2] ?? "").trim().replace(/^(["'])(.*)\1$/, "$2");
  }
  return out;
}

/** A frontmatter value that should be text: strings as they are, numbers and booleans written out. */
export function textField(data: Record<string, unknown>, key: string): string | undefined {
  const value = data[key];
  if (typeof value === "string") return value.trim() || undefined;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return undefined;
}

/** A list field written either way users write it: `a, b` or a YAML list. */
export function listField(data: Record<string, unknown>, key: string): string[] | undefined {
  const value = data[key];
  if (Array.isArray(value)) return value.map((v) => String(v).trim()).filter(Boolean);
  if (typeof value === "string") return splitToolList(value);
  return undefined;
}

/** `Read, Grep, Bash(git add:*)` → three entries; commas inside parentheses stay; `Read Grep` splits on spaces. */
export function splitToolList(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let current = "";
  for (const ch of text) {
    if (ch === "(") depth++;
    if (ch === ")") depth = Math.max(0, depth - 1);
    if (depth === 0 && (ch === "," || /\s/.test(ch))) {
      if (current.trim()) out.push(current.trim());
      current = "";
      continue;
    }
    current += ch;
  }
  if (current.trim()) out.push(current.trim());
  return out;
}

const firstLine = (text: string) => text.split("\n")[0] ?? text;
