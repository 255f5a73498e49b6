// Builds the CLI and the library into dist/: one bundled entry that starts fast, with the
// provider adapters (and their SDKs) split into chunks loaded only when a model needs them.
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { build } from "esbuild";
import { buildCommandsBundle, vendorEntries } from "./build-cjs.mjs";
import { buildWeb } from "./build-web.mjs";
import { ruleGatesPlugin, ruleGateTable } from "./rule-gates.mjs";

/**
 * zod's namespace export (`z.locales`) drags all ~60 error-message locales (500 KB of source)
 * into the bundle, and every CLI run would parse them. colleague uses English messages only,
 * so the locales index resolves to English alone.
 */
const englishOnlyZod = {
  name: "zod-english-only",
  setup(b) {
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      args.importer.includes(`${path.sep}zod${path.sep}`) ? { path: path.join(path.dirname(args.importer), "../locales/index.js"), namespace: "zod-locales" } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: "zod-locales" }, (args) => ({
      contents: `export { default as en } from ${JSON.stringify(path.join(path.dirname(args.path), "en.js"))};`,
      resolveDir: path.dirname(args.path),
    }));
  },
};

/**
 * Yoga (Ink's layout engine) ships its WebAssembly as a base64 data: URL and, where `fetch`
 * exists, loads it with `fetch(dataUrl)`: on Node that first call initialises undici (~50 ms
 * before the TUI's first frame). Its own fallback decodes the same base64 in place; the build
 * takes that branch. Left as it was (with a warning) if the code no longer reads this way.
 */
const yogaWithoutFetch = {
  name: "yoga-without-fetch",
  setup(b) {
    b.onLoad({ filter: /yoga-layout[\\/]dist[\\/]binaries[\\/]yoga-wasm-base64-esm\.js$/ }, async (args) => {
      const source = readFileSync(args.path, "utf8");
      const branch = 'function ya(){return w||"function"!=typeof fetch?';
      if (source.split(branch).length !== 2) return { contents: source, loader: "js", warnings: [{ text: "yoga's wasm loader changed; it still loads through fetch" }] };
      return { contents: source.replace(branch, "function ya(){return true?"), loader: "js" };
    });
  },
};

/**
 * cli-highlight (code blocks in the terminal UI's Markdown) requires highlight.js whole: 190
 * languages, about a megabyte of the bundle that the TUI's Markdown chunk would parse. The build
 * gives it highlight.js's core with the languages people paste into a terminal; a fence in any
 * other language is shown unhighlighted (marked-terminal catches the unknown language), and a
 * fence without one is auto-detected among these, not all 190.
 */
const HIGHLIGHT_LANGUAGES = [
  "apache", "bash", "c", "clojure", "cmake", "cpp", "csharp", "css", "dart", "diff", "dockerfile", "elixir", "erlang",
  "fsharp", "go", "groovy", "haskell", "ini", "java", "javascript", "json", "julia", "kotlin", "latex", "less", "lua",
  "makefile", "markdown", "nginx", "objectivec", "ocaml", "perl", "pgsql", "php", "php-template", "plaintext",
  "powershell", "properties", "protobuf", "python", "python-repl", "r", "ruby", "rust", "scala", "scss", "shell", "sql",
  "swift", "typescript", "vim", "xml", "yaml",
];
const commonHighlightLanguages = {
  name: "highlight-common-languages",
  setup(b) {
    b.onResolve({ filter: /^highlight\.js$/ }, (args) => (args.importer.includes(`${path.sep}cli-highlight${path.sep}`) ? { path: "highlight.js", namespace: "highlight-common" } : undefined));
    b.onLoad({ filter: /.*/, namespace: "highlight-common" }, () => ({
      contents: [
        'const hljs = require("highlight.js/lib/core");',
        ...HIGHLIGHT_LANGUAGES.map((l) => `hljs.registerLanguage(${JSON.stringify(l)}, require(${JSON.stringify(`highlight.js/lib/languages/${l}`)}));`),
        // An unknown language throws as before (marked-terminal then shows the block plain), without
        // highlight.js's console.error, which would print over the terminal UI.
        "const highlight = hljs.highlight;",
        "hljs.highlight = function (code, options, ...rest) {",
        '  const language = typeof options === "object" ? options.language : options;',
        '  if (language && !hljs.getLanguage(language)) throw new Error("Unknown language: " + language);',
        "  return highlight.call(this, code, options, ...rest);",
        "};",
        "module.exports = hljs;",
      ].join("\n"),
      resolveDir: process.cwd(),
      loader: "js",
    }));
  },
};

const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
// Native or platform-resolved packages stay in node_modules.
// react-devtools-core: Ink imports it only when DEV=true; it is not installed.
// web-tree-sitter and its grammars load .wasm files from their own folders (repo_map).
// playwright-core, pg, bullmq and ioredis: loaded only when a browser opens or the store or queue is scaled out.
// yaml: required at run time on the first frontmatter block (src/config/frontmatter.ts).
const external = ["better-sqlite3", "@vscode/ripgrep", "react-devtools-core", "web-tree-sitter", "tree-sitter-wasms", "playwright-core", "pg", "bullmq", "ioredis", "yaml"];
const ruleGates = ruleGatesPlugin(await ruleGateTable());
const define = { __COLLEAGUE_VERSION__: JSON.stringify(pkg.version), "process.env.NODE_ENV": '"production"' };
const result = await build({
  // dist/vendor/NAME.js: the large libraries loaded on first use (src/vendor/load.ts), which the
  // CommonJS bundle of the commands loads from here too.
  entryPoints: { cli: "src/cli/main.ts", index: "src/index.ts", client: "src/protocol/client.ts", ...vendorEntries() },
  outdir: "dist",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  chunkNames: "chunks/[name]-[hash]",
  loader: { ".md": "text" },
  external,
  // NODE_ENV: the TUI's React and Ink ship in their production builds (no dev checks or warnings).
  define,
  // Bundled CommonJS dependencies may call require(); give ESM output one.
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  legalComments: "none",
  // Start-up is dominated by parsing the bundle (the provider SDKs, zod): smaller source
  // parses faster. Identifiers are kept so stack traces in bug reports stay readable.
  minifyWhitespace: true,
  minifySyntax: true,
  plugins: [englishOnlyZod, yogaWithoutFetch, commonHighlightLanguages, ruleGates],
  logLevel: "warning",
  metafile: true,
});

// What went into each output, for bench/bundle.mjs (which modules a command makes Node compile).
if (process.env.COLLEAGUE_METAFILE) writeFileSync(process.env.COLLEAGUE_METAFILE, JSON.stringify(result.metafile));
// Remove chunks of earlier builds only after the new ones are written: a CLI started
// meanwhile (a parallel test run) never finds dist/ half empty.
const outputs = new Set(Object.keys(result.metafile.outputs).map((f) => path.resolve(f)));
for (const file of readdirSync("dist/chunks")) {
  const full = path.resolve("dist/chunks", file);
  if (!outputs.has(full)) rmSync(full, { force: true });
}

// dist/cli.cjs: the commands (all but the TUI) as one CommonJS file, which bin/colleague.js runs
// with a V8 code cache (scripts/build-cjs.mjs).
await buildCommandsBundle({ external, define, plugins: [englishOnlyZod, ruleGates] });

// The tree-sitter grammars colleague uses (the shell parser's bash, the repo map's languages),
// copied into dist/grammars/ so that tree-sitter-wasms (~40 grammars, 50 MB) is not installed;
// src/context/grammar-file.ts finds them there.
const grammars = new Set(["tree-sitter-bash.wasm"]);
for (const [, file] of readFileSync("src/context/repo-map-languages.ts", "utf8").matchAll(/wasm: "([\w-]+\.wasm)"/g)) grammars.add(file);
mkdirSync("dist/grammars", { recursive: true });
for (const file of grammars) copyFileSync(path.join("node_modules/tree-sitter-wasms/out", file), path.join("dist/grammars", file));

// The monitors' classifier weights, read on first use (src/policy/monitors/weights-file.ts).
copyFileSync("src/policy/monitors/classifier-weights.bin", "dist/classifier-weights.bin");

// The web dashboard (dist/web): on every full build (`npm run build`, `prepare`, so a packed
// tarball ships it prebuilt), and when it is missing. The test run's quick build skips it: the
// browser tests build the dashboard they test themselves.
if (process.argv.includes("--types") || process.argv.includes("--web") || !existsSync("dist/web/index.html")) await buildWeb();

// Type declarations for library users (`--types`; the test run skips this slower step).
if (process.argv.includes("--types")) {
  execFileSync(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "tsconfig.build.json"], { stdio: "inherit" });
}
