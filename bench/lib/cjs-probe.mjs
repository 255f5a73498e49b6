// What the start-up probe (snapshot-probe.mjs) uses: a CommonJS
// bundle of the CLI without the TUI, with the packages a start does not load left outside it.

/** Packages the CLI loads lazily (left out: reading them would cost more than the probe saves). */
export const UNUSED_ON_START = ["pdfjs-dist", "js-tiktoken", "docx", "exceljs", "pptxgenjs", "@mixmark-io/domino", "turndown", "mammoth", "jszip", "unzipper", "@modelcontextprotocol/sdk", "ajv", "@agentclientprotocol/sdk", "openai"];
/** Packages resolved at run time from node_modules (native addons, wasm, optional services). */
export const RUNTIME = ["better-sqlite3", "@vscode/ripgrep", "react-devtools-core", "web-tree-sitter", "tree-sitter-wasms", "playwright-core", "pg", "bullmq", "ioredis", "yaml"];

/** The TUI (Ink, yoga: top-level await) cannot be CommonJS: the probes have none. */
export const tuiStub = {
  name: "tui-stub",
  setup(b) {
    b.onResolve({ filter: /tui[\\/](index|attach)\.js$/ }, (a) => ({ path: a.path, namespace: "tui-stub" }));
    b.onLoad({ filter: /.*/, namespace: "tui-stub" }, () => ({ contents: "throw new Error('the probe has no TUI');", loader: "js" }));
  },
};

/**
 * The bundle's text as the probes load it. esbuild escapes non-ASCII in strings but not in regular
 * expression literals; \\uXXXX means the same there, and an all-ASCII source is read as a one-byte
 * string (half the memory, no decoding). Every `import(` goes through `hook`: on Node 20 a script
 * compiled from a code cache or started from a snapshot loses what `import()` needs, and esbuild
 * keeps `import()` of external packages in CommonJS output. (A plain text replacement: good enough
 * for a probe, not for a build.)
 */
export function probeSource(text, hook) {
  return text.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`).replace(/\bimport\(/g, `${hook}(`);
}
