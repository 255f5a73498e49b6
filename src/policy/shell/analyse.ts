import type { Node } from "web-tree-sitter";
import { splitCommands } from "../patterns.js";
import { shellParser } from "./parser.js";
import { literal, type ShellWord, wordOf } from "./words.js";
import { unwrap } from "./wrappers.js";

/**
 * What a shell line runs, read before it runs: every simple command of its pipelines, lists,
 * subshells, groups, functions, loops and substitutions, and the commands that wrappers run
 * (`sudo`, `sh -c`, `xargs`, `find -exec`, …; see wrappers.ts). Permission rules match these.
 * What cannot be known without running the line (a command name held in a variable, a line that
 * does not parse, a shell reading a pipe) is listed in `unknown`: a rule cannot decide such a line.
 */

export interface ShellCommand {
  /** The words as the program receives them, joined by spaces: quotes removed, the program as written. */
  text: string;
  /** The program as written (quotes removed): `/bin/rm`. */
  name: string;
  /** Its basename: `rm`. */
  program: string;
  /** Every spelling deny and ask rules are matched against: `text`, the same with the basename, the source. */
  forms: string[];
  /** The wrapper that runs it (`sudo`, `sh`, `find`, …), when there is one. */
  via?: string;
}

export interface ShellAnalysis {
  commands: ShellCommand[];
  /** Files that `>`, `>>`, `&>` or `>|` redirections write, as written. */
  writes: string[];
  /** Has a command or process substitution: some of its words are another command's output. */
  substitutes: boolean;
  /** Why some of the line's commands cannot be known before it runs; empty when all can. */
  unknown: string[];
  /** "tree-sitter", or "fallback" while the parser is not loaded (only plain lines are read then). */
  reader: "tree-sitter" | "fallback";
}

/** Nested `sh -c`, `eval` and wrappers deeper than this are not followed (and the line is unknown). */
const MAX_DEPTH = 8;
const CACHE_SIZE = 200;
const cache = new Map<string, ShellAnalysis>();

export function analyseShell(line: string): ShellAnalysis {
  const cached = cache.get(line);
  if (cached) return cached;
  const reader = new LineReader();
  reader.script(line, 0);
  const analysis: ShellAnalysis = {
    commands: reader.commands,
    writes: reader.writes,
    substitutes: reader.substitutes,
    unknown: [...new Set(reader.unknown)],
    reader: shellParser() ? "tree-sitter" : "fallback",
  };
  if (analysis.reader === "tree-sitter") {
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
    cache.set(line, analysis);
  }
  return analysis;
}

// Without the parser only lines of plain words and list operators (`;`, `&&`, `||`, `|`, `&`,
// newlines) are read, which a split at those operators reads exactly; anything with quotes,
// expansions, groups or redirections is unknown.
const PLAIN_LINE = /^[A-Za-z0-9_\-./=:,@%+ \t\n;&|]*$/;
const PLAIN_TOKENS = /&&|\|\||[;&|\n]|[^\s;&|]+/g;
/**
 * First words that the grammar reads as something other than a simple command (compound
 * statements, declarations, assignments); a line starting a command with one needs the grammar.
 */
const GRAMMAR_WORDS = new Set(
  "! case coproc do done elif else esac fi for function if in select then until while time declare typeset export readonly local unset".split(" "),
);

/**
 * Whether a line is plain enough that the fallback reader reads it exactly as the grammar
 * would: plain words (no quotes, expansions, globs, redirections or groups), commands that do
 * not start with a keyword or an assignment, joined by `;`, `&&`, `||`, `|`, `&` or newlines
 * into a well-formed list. Such a line is decided without loading the grammar.
 */
export function readsWithoutGrammar(line: string): boolean {
  if (!PLAIN_LINE.test(line)) return false;
  let inCommand = false;
  let needsCommand = false;
  for (const token of line.match(PLAIN_TOKENS) ?? []) {
    if (token === "\n") {
      // A blank line is fine; a line ending in `|`, `&&` or `||` continues, which is left to the grammar.
      if (needsCommand) return false;
      inCommand = false;
    } else if (token === ";" || token === "&" || token === "|" || token === "&&" || token === "||") {
      if (!inCommand) return false;
      inCommand = false;
      needsCommand = token !== ";" && token !== "&";
    } else {
      if (!inCommand && (token.includes("=") || GRAMMAR_WORDS.has(token))) return false;
      inCommand = true;
      needsCommand = false;
    }
  }
  return !needsCommand;
}
const WRITE_OPERATORS = new Set([">", ">>", "&>", "&>>", ">|", "<>"]);

class LineReader {
  readonly commands: ShellCommand[] = [];
  readonly writes: string[] = [];
  readonly unknown: string[] = [];
  substitutes = false;

  script(source: string, depth: number, via?: string): void {
    if (depth > MAX_DEPTH) {
      this.unknown.push("commands are nested too deeply to follow");
      return;
    }
    const parser = shellParser();
    if (!parser) {
      this.plain(source, depth, via);
      return;
    }
    const tree = parser.parse(source);
    if (!tree) {
      this.unknown.push("the shell parser failed on it");
      this.pieces(source, via);
      return;
    }
    try {
      if (tree.rootNode.hasError) {
        this.unknown.push("it does not parse as a shell command line");
        this.pieces(source, via);
      }
      this.visit(tree.rootNode, depth, via);
    } finally {
      tree.delete();
    }
  }

  /** The fallback reader: plain words only. */
  private plain(source: string, depth: number, via?: string): void {
    if (!readsWithoutGrammar(source)) {
      this.unknown.push("the shell parser is not loaded");
      this.pieces(source, via);
      return;
    }
    // The piece as written is one of the command's spellings, as the grammar's node text is.
    for (const piece of splitCommands(source)) this.run(piece.split(/[ \t]+/).map(literal), depth, via, [], piece);
  }

  /** A regex split of text that did not parse: more for deny rules to match, never enough to allow. */
  private pieces(source: string, via?: string): void {
    for (const piece of splitCommands(source)) {
      const [first = "", ...rest] = piece.split(/\s+/);
      const program = basename(first);
      this.commands.push({ text: piece, name: first, program, forms: unique([piece, [program, ...rest].join(" ")]), ...(via ? { via } : {}) });
    }
  }

  private visit(node: Node, depth: number, via?: string): void {
    switch (node.type) {
      case "command":
        this.command(node, depth, via);
        break;
      case "declaration_command":
      case "unset_command":
      case "test_command":
        this.add(node.text, node.firstChild?.text ?? node.text, via);
        break;
      case "variable_assignment":
        // A bare `NAME=value` statement (prefix assignments belong to their command).
        if (node.parent?.type !== "command" && node.parent?.type !== "declaration_command") this.add(node.text, node.text, via);
        break;
      case "command_substitution":
      case "process_substitution":
        this.substitutes = true;
        break;
      case "file_redirect":
        this.redirect(node);
        break;
    }
    for (const child of node.namedChildren) if (child) this.visit(child, depth, via);
  }

  private command(node: Node, depth: number, via?: string): void {
    const words: ShellWord[] = [];
    const redirects: Node[] = [];
    for (const child of node.namedChildren) {
      if (!child || child.type === "variable_assignment") continue;
      if (child.type.endsWith("_redirect")) redirects.push(child);
      else words.push(wordOf(child.type === "command_name" ? (child.firstNamedChild ?? child) : child));
    }
    const parent = node.parent;
    if (parent?.type === "redirected_statement" && parent.childForFieldName("body")?.id === node.id) {
      for (const child of parent.namedChildren) if (child?.type.endsWith("_redirect")) redirects.push(child);
    }
    this.run(words, depth, via, redirects, node.text);
  }

  /** One simple command: recorded, then whatever it runs in turn. */
  private run(words: ShellWord[], depth: number, via: string | undefined, redirects: Node[], source: string | undefined): void {
    const [name, ...args] = words;
    if (!name) return;
    const text = words.map((w) => w.text).join(" ");
    if (name.dynamic || name.pattern) {
      this.unknown.push(`the command name \`${name.text}\` is only known when it runs`);
      this.commands.push({ text, name: name.text, program: name.text, forms: unique([text, source ?? text]), ...(via ? { via } : {}) });
      return;
    }
    const program = basename(name.text);
    const forms = unique([text, [program, ...args.map((a) => a.text)].join(" "), ...(source ? [source.trim()] : [])]);
    this.commands.push({ text, name: name.text, program, forms, ...(via ? { via } : {}) });

    const inner = unwrap(program, args);
    if (!inner) return;
    if (inner.unknown) this.unknown.push(`${program}: ${inner.unknown}`);
    if (depth >= MAX_DEPTH && (inner.commands.length > 0 || inner.scripts.length > 0)) {
      this.unknown.push("commands are nested too deeply to follow");
      return;
    }
    // An inner command shares the wrapper's redirections: `sudo bash <<EOF` feeds bash.
    for (const command of inner.commands) this.run(command, depth + 1, program, redirects, undefined);
    for (const script of inner.scripts) {
      if (script.dynamic) this.unknown.push(`\`${program}\` runs a script that is only known when it runs`);
      this.script(script.text, depth + 1, program);
    }
    if (inner.readsStdin) this.standardInput(program, redirects, depth);
  }

  /** A shell reading its commands from standard input: a here-document or here-string is read; anything else is unknown. */
  private standardInput(program: string, redirects: Node[], depth: number): void {
    for (const redirect of redirects) {
      if (redirect.type === "heredoc_redirect") {
        const body = redirect.namedChildren.find((c) => c?.type === "heredoc_body");
        if (body?.namedChildren.some((c) => c && c.type !== "heredoc_content")) {
          this.unknown.push(`\`${program}\` runs a here-document with expansions`);
        }
        this.script(body?.text ?? "", depth + 1, program);
        return;
      }
      if (redirect.type === "herestring_redirect") {
        const value = redirect.firstNamedChild ? wordOf(redirect.firstNamedChild) : literal("");
        if (value.dynamic) this.unknown.push(`\`${program}\` runs a here-string that is only known when it runs`);
        this.script(value.text, depth + 1, program);
        return;
      }
      if (redirect.type === "file_redirect" && operatorOf(redirect) === "<") return; // a script file: opaque
    }
    this.unknown.push(`\`${program}\` reads its commands from standard input`);
  }

  private redirect(node: Node): void {
    if (!WRITE_OPERATORS.has(operatorOf(node))) return;
    const destination = node.childForFieldName("destination");
    if (destination) this.writes.push(wordOf(destination).text);
  }

  private add(text: string, name: string, via?: string): void {
    this.commands.push({ text, name, program: name, forms: [text], ...(via ? { via } : {}) });
  }
}

function operatorOf(redirect: Node): string {
  return redirect.children.find((c) => c && !c.isNamed)?.text ?? "";
}

/** `/bin/rm`, `./rm` and `~/bin/rm` name `rm`. */
function basename(name: string): string {
  const trimmed = name.replace(/\/+$/, "");
  return trimmed.slice(trimmed.lastIndexOf("/") + 1) || name;
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
