import type { Node } from "web-tree-sitter";

/**
 * One shell word as the program will receive it, as far as that is known before it runs:
 * quoting removed (`'r''m'` is `rm`, `\rm` is `rm`, `$'\x72m'` is `rm`), expansions kept as
 * written (`"$HOME"` stays `$HOME`) and flagged, since their value exists only at run time.
 */
export interface ShellWord {
  text: string;
  /** Holds a parameter, command, process or arithmetic expansion. */
  dynamic: boolean;
  /** Holds an unquoted glob or brace expansion (`/bin/r?`, `{rm,x}`): one word may become several. */
  pattern: boolean;
}

export const literal = (text: string): ShellWord => ({ text, dynamic: false, pattern: false });

const EXPANSIONS = new Set(["simple_expansion", "expansion", "command_substitution", "process_substitution", "arithmetic_expansion"]);
// A brace expansion needs a comma or `..` inside braces; `{}` (find's placeholder) is literal.
const UNQUOTED_PATTERN = /[*?[]|\{[^}]*(?:,|\.\.)[^}]*\}/;

export function wordOf(node: Node): ShellWord {
  switch (node.type) {
    case "word":
    case "number":
    case "variable_name":
    case "extglob_pattern":
      return unquoted(node.text);
    case "raw_string":
      return literal(node.text.slice(1, -1));
    case "ansi_c_string":
      return literal(decodeAnsiC(node.text.slice(2, -1)));
    case "string":
      return doubleQuoted(node);
    case "translated_string":
      return node.firstNamedChild ? doubleQuoted(node.firstNamedChild) : literal("");
    case "concatenation": {
      const parts = node.namedChildren.filter((c): c is Node => c !== null).map(wordOf);
      // The grammar splits `r{m,}` into `r`, `{`, `m,`, `}`: braces are judged on the whole word.
      const bare = node.namedChildren.map((c) => (c && isUnquoted(c) ? maskEscapes(c.text) : " ")).join("");
      return {
        text: parts.map((p) => p.text).join(""),
        dynamic: parts.some((p) => p.dynamic),
        pattern: parts.some((p) => p.pattern) || UNQUOTED_PATTERN.test(bare),
      };
    }
    default:
      // Expansions and anything this reader does not know: its value is decided at run time.
      return { text: node.text, dynamic: true, pattern: !EXPANSIONS.has(node.type) };
  }
}

/** An unquoted word: backslashes quote the next character; a backslash-newline disappears. */
function unquoted(raw: string): ShellWord {
  const text = raw.replace(/\\([\s\S])/g, (_m, c: string) => (c === "\n" ? "" : c));
  return { text, dynamic: false, pattern: UNQUOTED_PATTERN.test(maskEscapes(raw)) };
}

function isUnquoted(node: Node): boolean {
  return node.type === "word" || node.type === "number" || node.type === "extglob_pattern";
}

/** The word with each escaped character blanked: what is left can glob or brace-expand. */
function maskEscapes(raw: string): string {
  return raw.replace(/\\[\s\S]/g, "  ");
}

function doubleQuoted(node: Node): ShellWord {
  let text = "";
  let dynamic = false;
  for (const child of node.children) {
    if (!child) continue;
    if (child.type === "string_content") text += child.text.replace(/\\([$`"\\\n])/g, (_m, c: string) => (c === "\n" ? "" : c));
    else if (child.type === '"') continue;
    else if (!child.isNamed) text += child.text;
    else {
      text += child.text;
      dynamic = true;
    }
  }
  return { text, dynamic, pattern: false };
}

const SIMPLE_ESCAPES: Record<string, string> = { a: "\x07", b: "\b", e: "\x1b", E: "\x1b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v", "\\": "\\", "'": "'", '"': '"', "?": "?" };

/** The body of `$'…'`: C escapes (`\n`, `\x72`, `\162`, `\u00e9`, `\cA`). */
export function decodeAnsiC(body: string): string {
  return body.replace(/\\(?:x([0-9a-fA-F]{1,2})|u([0-9a-fA-F]{1,4})|U([0-9a-fA-F]{1,8})|([0-7]{1,3})|c(.)|(.))/gs, (match, hex, u4, u8, octal, control, other) => {
    if (hex) return String.fromCharCode(Number.parseInt(hex, 16));
    if (u4 || u8) return String.fromCodePoint(Math.min(Number.parseInt(u4 ?? u8, 16), 0x10ffff));
    if (octal) return String.fromCharCode(Number.parseInt(octal, 8) & 0xff);
    if (control) return String.fromCharCode(control.charCodeAt(0) & 0x1f);
    return SIMPLE_ESCAPES[other] ?? match;
  });
}
