// dist/cli.cjs: every command but the terminal UI, as one CommonJS file. bin/colleague.js runs it
// through vm.Script with a V8 code cache, which Node 20 offers for CommonJS only (ES modules are
// compiled from source on every start; bench/README.md, "Code cache"). The TUI (Ink and Yoga use
// top-level await) stays in the ES-module build, and so do the large libraries loaded on first use:
// src/vendor/load.ts is replaced here by a loader of dist/vendor/NAME.js, the ES-module build's
// files, so each exists once on disk and in a process.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { build } from "esbuild";

/** The names in src/vendor/load.ts, each checked to have its src/vendor/NAME.ts. */
export function vendorNames() {
  const files = readdirSync("src/vendor")
    .filter((f) => f.endsWith(".ts") && f !== "load.ts")
    .map((f) => f.slice(0, -3))
    .sort();
  const loaders = [...readFileSync("src/vendor/load.ts", "utf8").matchAll(/^\s+"?([\w-]+)"?: \(\) => import\("\.\/([\w-]+)\.js"\),$/gm)];
  for (const [line, key, file] of loaders) if (key !== file) throw new Error(`src/vendor/load.ts: ${line.trim()} must import ./${key}.js`);
  const keys = loaders.map((m) => m[1]).sort();
  if (keys.join() !== files.join()) throw new Error(`src/vendor/load.ts lists ${keys.join(", ")}; src/vendor/ holds ${files.join(", ")}`);
  return keys;
}

export const vendorEntries = () => Object.fromEntries(vendorNames().map((name) => [`vendor/${name}`, `src/vendor/${name}.ts`]));

/**
 * load.ts in the CommonJS bundle: dist/vendor/NAME.js and the user's files, imported through the
 * hook bin/colleague.js sets. On Node 20 a script compiled from a code cache loses what its own
 * `import()` needs ("A dynamic import callback was not specified"), so the bundle holds none:
 * every other `import()` is compiled to `require()` (`supported` below; the packages colleague
 * imports that way all have a CommonJS build, and Node ≥ 20.19 requires ES modules too).
 */
const vendorFromDist = (names) => ({
  name: "vendor-from-dist",
  setup(b) {
    b.onResolve({ filter: /[\\/]vendor[\\/]load\.js$/ }, (args) => ({ path: args.path, namespace: "vendor-load" }));
    b.onLoad({ filter: /.*/, namespace: "vendor-load" }, () => ({
      contents: `import { join } from "node:path";
import { pathToFileURL } from "node:url";
const importUrl = (url) => globalThis.__colleagueImport(url);
const load = (name) => importUrl(pathToFileURL(join(__dirname, "vendor", name + ".js")).href);
export const loadVendor = { ${names.map((n) => `${JSON.stringify(n)}: () => load(${JSON.stringify(n)})`).join(", ")} };
export const importFile = (file) => importUrl(pathToFileURL(file).href);`,
      loader: "js",
    }));
  },
});

/**
 * What runs from the ES-module build only, left out of this bundle (bin/commands-bundle.js sends
 * those starts there): the TUI (top-level await) and the long-running servers (`serve`, `acp`,
 * `mcp`, whose HTTP, WebSocket and protocol SDKs would otherwise be read on every start). Each is
 * replaced by a module whose exports throw.
 */
export const MODULE_BUILD_ONLY = ["serve", "acp", "mcp", "attach"];
const moduleBuildOnly = {
  name: "module-build-only",
  setup(b) {
    const commands = new RegExp(`^\\./(${MODULE_BUILD_ONLY.join("|")})\\.js$`);
    b.onResolve({ filter: /[\\/]tui[\\/](index|attach)\.js$/ }, (args) => ({ path: args.path, namespace: "module-build-only", pluginData: ["openTui", "attachTui"] }));
    b.onResolve({ filter: commands }, (args) =>
      /[\\/]src[\\/]cli[\\/]main\.ts$/.test(args.importer) ? { path: args.path, namespace: "module-build-only", pluginData: [`${commands.exec(args.path)[1]}Command`] } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: "module-build-only" }, (args) => ({
      contents: `const unavailable = () => { throw new Error("${args.path} runs from dist/cli.js (ES modules); bin/colleague.js should have started that build"); };
${args.pluginData.map((name) => `export const ${name} = unavailable;`).join("\n")}`,
      loader: "js",
    }));
  },
};

export async function buildCommandsBundle({ external, define, plugins }) {
  const result = await build({
    entryPoints: ["src/cli/main.ts"],
    write: false,
    outfile: "dist/cli.cjs",
    bundle: true,
    format: "cjs",
    platform: "node",
    target: "node20",
    loader: { ".md": "text" },
    // better-sqlite3's JavaScript goes into the bundle, to be compiled from the code cache; its
    // addon is loaded by path (src/store/sqlite-binding.ts), so `bindings` stays outside.
    external: [...external.filter((p) => p !== "better-sqlite3"), "bindings"],
    define: { ...define, "import.meta.url": "__colleague_bundle_url" },
    // An all-ASCII source is read as a one-byte string: half the memory, nothing to decode.
    charset: "ascii",
    supported: { "dynamic-import": false },
    legalComments: "none",
    minifyWhitespace: true,
    minifySyntax: true,
    plugins: [...plugins, vendorFromDist(vendorNames()), moduleBuildOnly],
    logLevel: "warning",
    metafile: Boolean(process.env.COLLEAGUE_METAFILE),
  });
  // What went in, for bench/bundle.mjs.
  if (process.env.COLLEAGUE_METAFILE) writeFileSync(process.env.COLLEAGUE_METAFILE.replace(/(\.json)?$/, ".cjs.json"), JSON.stringify(result.metafile));
  let text = asciiOnly(result.outputFiles[0].text);
  const code = text.replace(/"(?:[^"\\\n]|\\.)*"/g, '""'); // string literals say "import(" harmlessly
  const dynamic = /\bimport\(/.exec(code);
  if (dynamic) throw new Error(`dist/cli.cjs would hold an import() (it fails when the script comes from the code cache): ${code.slice(dynamic.index - 60, dynamic.index + 40)}`);
  // After the directive, which must come first for the bundle to run in strict mode as ES modules do.
  const strict = '"use strict";';
  if (!text.startsWith(strict)) throw new Error("dist/cli.cjs: esbuild's output no longer starts with its strict-mode directive");
  text = `${strict}var __colleague_bundle_url=require("node:url").pathToFileURL(__filename).href;${text.slice(strict.length)}`;
  // Written as the function bin/commands-bundle.js calls (CommonJS's own wrapper): the source it
  // reads is the script V8 compiles, with no second copy made by wrapping it there.
  const wrapped = `(function (exports, require, module, __filename, __dirname) {${text}\n})`;
  // The first line names the build: the code cache is kept per bundle (V8 checks only the source's length).
  const hash = createHash("sha256").update(wrapped).digest("hex").slice(0, 16);
  writeFileSync("dist/cli.cjs", `// colleague-cjs ${hash}\n${wrapped}`);
}

/**
 * esbuild's `charset: "ascii"` escapes strings and names but leaves regular expression literals as
 * written; there, \uXXXX means the same character (a surrogate pair in a /u pattern is read as
 * its code point), so each non-ASCII code unit is written that way. A non-ASCII character after a
 * backslash would change meaning: the build stops instead.
 */
function asciiOnly(text) {
  return text.replace(/[^\x00-\x7f]/g, (c, at) => {
    if (text[at - 1] === "\\") throw new Error(`dist/cli.cjs: an escaped non-ASCII character at ${at}: ${JSON.stringify(text.slice(at - 40, at + 40))}`);
    return `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;
  });
}
