// The ES module build: the package's `main` is a UMD file whose lazy require()s a bundle cannot follow.
import { findNodeAtLocation, type Node, type ParseError, parseTree, printParseErrorCode } from "jsonc-parser/lib/esm/main.js";

/**
 * Config files are JSONC, as editors know it (VS Code settings, tsconfig.json): comments and
 * trailing commas are allowed. Errors point at `file:line:col`, so a person can jump there.
 */
export interface JsoncDocument {
  value: unknown;
  /** `file:line:col` of the value (or the key) at a path; the file alone when it is not there. */
  locate(path: readonly PropertyKey[], key?: boolean): string;
}

const WORDS: Record<string, string> = {
  InvalidSymbol: "unexpected character",
  InvalidNumberFormat: "not a number",
  PropertyNameExpected: "expected a key in double quotes",
  ValueExpected: "expected a value",
  ColonExpected: "expected a colon",
  CommaExpected: "expected a comma",
  CloseBraceExpected: "expected }",
  CloseBracketExpected: "expected ]",
  EndOfFileExpected: "expected the end of the file",
  InvalidCommentToken: "broken comment",
  UnexpectedEndOfComment: "comment not closed",
  UnexpectedEndOfString: "string not closed",
  UnexpectedEndOfNumber: "number cut short",
  InvalidUnicode: "bad \\u escape",
  InvalidEscapeCharacter: "bad escape",
  InvalidCharacter: "character not allowed in a string",
};

/** Line and column (both from 1) of an offset. */
export function lineCol(text: string, offset: number): { line: number; col: number } {
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  return { line, col: offset - before.lastIndexOf("\n") };
}

/** Parses JSONC; a syntax error throws `SyntaxError("file:line:col: what")` (the first error). */
export function parseJsonc(text: string, file: string): JsoncDocument {
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
  const first = errors[0];
  if (first || !tree) {
    const at = lineCol(text, first?.offset ?? 0);
    const what = first ? (WORDS[printParseErrorCode(first.error)] ?? printParseErrorCode(first.error)) : "empty file";
    throw new SyntaxError(`${file}:${at.line}:${at.col}: ${what}`);
  }
  const where = (offset: number) => {
    const at = lineCol(text, offset);
    return `${file}:${at.line}:${at.col}`;
  };
  return {
    value: plainValue(tree),
    locate(path, key = false) {
      const node = findNodeAtLocation(tree, path.map((p) => (typeof p === "number" ? p : String(p))));
      if (!node) return file;
      // A key's position is its property's start; a value's is the value's own.
      const target: Node = key && node.parent?.type === "property" ? node.parent : node;
      return where(target.offset);
    },
  };
}

/** The plain value of a tree; a duplicate key keeps its last value, as JSON.parse does. */
function plainValue(node: Node): unknown {
  switch (node.type) {
    case "object":
      return Object.fromEntries((node.children ?? []).map((p) => [String(p.children?.[0]?.value), p.children?.[1] ? plainValue(p.children[1]) : undefined]));
    case "array":
      return (node.children ?? []).map(plainValue);
    default:
      return node.value;
  }
}
