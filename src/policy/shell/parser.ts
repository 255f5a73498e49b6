import { readFileSync } from "node:fs";
import v8 from "node:v8";
import type { Parser, Tree } from "web-tree-sitter";
import { grammarFile } from "../../context/grammar-file.js";

/**
 * The bash grammar (tree-sitter-bash from tree-sitter-wasms) behind a synchronous parse. Loading
 * is asynchronous (WebAssembly), so it starts once, early, and callers that can wait await
 * `loadShellParser()`; until it is ready (or if it cannot load) `shellParser()` is undefined and
 * the permission check falls back to a conservative reading of the line.
 */

export interface ShellParser {
  /** The syntax tree of a line, or undefined when the parser failed on it. The caller deletes the tree. */
  parse(source: string): Tree | undefined;
}

let loading: Promise<ShellParser | undefined> | undefined;
let loaded: ShellParser | undefined;
let loadError: string | undefined;

/** The parser once loaded; undefined while loading or when it could not load. */
export function shellParser(): ShellParser | undefined {
  return loaded;
}

/** Why the parser is not available, when it failed to load. */
export function shellParserError(): string | undefined {
  return loadError;
}

/** Starts loading (once) and resolves when the parser is ready or has failed; never rejects. */
export function loadShellParser(): Promise<ShellParser | undefined> {
  loading ??= (async () => {
    const baselineOnly = !process.execArgv.includes("--liftoff-only");
    try {
      const ts = await import("web-tree-sitter");
      // V8 compiles WebAssembly with a quick baseline tier, then optimises hot code in the
      // background; for this grammar's huge lexer functions that optimisation stalled the event
      // loop for 10-20 s after the first parse on a busy 2-core machine. The baseline tier
      // parses a line in a fraction of a millisecond, so modules compiled now keep it (the
      // flag is read at compile time, and restored once they are compiled).
      if (baselineOnly) v8.setFlagsFromString("--liftoff-only");
      await ts.Parser.init();
      const wasm = readFileSync(grammarFile("tree-sitter-bash.wasm"));
      const language = await ts.Language.load(linkableGrammar(wasm));
      loaded = recoveringParser(() => {
        const parser = new ts.Parser();
        parser.setLanguage(language);
        return parser;
      });
      return loaded;
    } catch (error) {
      loadError = (error as Error).message;
      return undefined;
    } finally {
      if (baselineOnly) v8.setFlagsFromString("--no-liftoff-only");
    }
  })();
  return loading;
}

/**
 * A parser that is replaced after it throws: a fault inside the grammar's scanner leaves the
 * old instance's state corrupt, and the next lines would parse as nonsense.
 */
function recoveringParser(create: () => Parser): ShellParser {
  let parser = create();
  return {
    parse(source) {
      try {
        return parser.parse(source) ?? undefined;
      } catch {
        try {
          parser.delete();
        } catch {
          // the broken instance is dropped either way
        }
        parser = create();
        return undefined;
      }
    },
  };
}

/**
 * The bash grammar's scanner imports `isalpha`, which the web-tree-sitter 0.25 runtime does not
 * export: every line that reaches that code path (`${x}`, `case`, heredocs) threw "resolved is
 * not a function". `iswalpha` (exported) agrees with `isalpha` on ASCII, which is all the scanner
 * asks about, so the import is renamed before the module is linked.
 */
export function linkableGrammar(wasm: Uint8Array): Uint8Array {
  const from = importName("isalpha");
  const to = importName("iswalpha");
  const sections: Uint8Array[] = [wasm.subarray(0, 8)];
  let pos = 8;
  while (pos < wasm.length) {
    const id = wasm[pos]!;
    const [size, start] = readLeb(wasm, pos + 1);
    const end = start + size;
    const body = wasm.subarray(start, end);
    const at = id === 2 ? indexOf(body, from) : -1;
    if (at < 0) sections.push(wasm.subarray(pos, end));
    else {
      const patched = concat([body.subarray(0, at), to, body.subarray(at + from.length)]);
      sections.push(Uint8Array.of(id, ...writeLeb(patched.length)), patched);
    }
    pos = end;
  }
  return concat(sections);
}

/** `env.NAME` as it appears in an import entry: length-prefixed module and field names. */
function importName(name: string): Uint8Array {
  return Uint8Array.of(3, ...Buffer.from("env"), name.length, ...Buffer.from(name));
}

function readLeb(bytes: Uint8Array, at: number): [number, number] {
  let value = 0;
  let shift = 0;
  let pos = at;
  for (;;) {
    const byte = bytes[pos++]!;
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if ((byte & 0x80) === 0) return [value, pos];
  }
}

function writeLeb(value: number): number[] {
  const out: number[] = [];
  let rest = value;
  do {
    let byte = rest & 0x7f;
    rest = Math.floor(rest / 128);
    if (rest > 0) byte |= 0x80;
    out.push(byte);
  } while (rest > 0);
  return out;
}

function indexOf(haystack: Uint8Array, needle: Uint8Array): number {
  return Buffer.from(haystack.buffer, haystack.byteOffset, haystack.length).indexOf(Buffer.from(needle));
}

function concat(parts: Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(parts));
}
