// `node bench/code-cache-probe.mjs [hello|session10] [--runs N] [--no-cache]`: what a V8 code cache would save
// on start-up (issue 19), measured before building it for real. Builds a throwaway CommonJS
// bundle of the CLI, loads it from a stand-in bin/colleague.js through `vm.Script` with
// `cachedData` (written on the first run, read after), and A/Bs that against this build with
// bench/ab.mjs. Not part of `npm run bench`; the findings are in bench/README.md ("Code cache").
//
// The probe is a best case, not a shippable build: the large packages that start-up never loads
// (pdfjs, tiktoken, the office formats, the MCP and ACP SDKs, openai, ajv) are left out of the
// bundle and resolved from this checkout's node_modules, where an installed colleague has none of
// them; the TUI (top-level await) is replaced by a stub. PROBE_KEEP=1 keeps the stand-in build
// and prints its folder.
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { build } from "esbuild";
import { ROOT } from "./lib/cli-runs.mjs";
import { probeSource, RUNTIME, tuiStub, UNUSED_ON_START } from "./lib/cjs-probe.mjs";


const noCache = process.argv.includes("--no-cache"); // the same CommonJS bundle, compiled every time
const probe = mkdtempSync(path.join(os.tmpdir(), "colleague-cache-probe-"));
const pkg = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8"));
const result = await build({
  entryPoints: [path.join(ROOT, "src/cli/main.ts")],
  write: false,
  outfile: path.join(probe, "dist/cli.cjs"),
  bundle: true,
  format: "cjs",
  platform: "node",
  target: "node20",
  loader: { ".md": "text" },
  external: [...UNUSED_ON_START, ...RUNTIME],
  define: { __COLLEAGUE_VERSION__: JSON.stringify(pkg.version), "process.env.NODE_ENV": '"production"', "import.meta.url": "__probe_import_meta_url" },
  banner: { js: "var __probe_import_meta_url = require('node:url').pathToFileURL(__filename).href;" },
  legalComments: "none",
  minifyWhitespace: true,
  minifySyntax: true,
  plugins: [tuiStub],
  logLevel: "warning",
});
// Each `import(` goes through a function the uncached bin/colleague.js passes in (probeSource).
const source = probeSource(result.outputFiles[0].text, "__probe_import");
mkdirSync(path.join(probe, "dist"), { recursive: true });
mkdirSync(path.join(probe, "bin"), { recursive: true });
writeFileSync(path.join(probe, "dist/cli.cjs"), source);
for (const entry of readdirSync(path.join(ROOT, "dist"))) if (entry !== "cli.cjs") symlinkSync(path.join(ROOT, "dist", entry), path.join(probe, "dist", entry));
symlinkSync(path.join(ROOT, "node_modules"), path.join(probe, "node_modules"));
cpSync(path.join(ROOT, "package.json"), path.join(probe, "package.json"));
cpSync(path.join(ROOT, "bin/early-frame.js"), path.join(probe, "bin/early-frame.js"));
writeFileSync(path.join(probe, "bin/package.json"), '{ "type": "commonjs" }\n');
writeFileSync(
  path.join(probe, "bin/colleague.js"),
  `const fs = require("node:fs"), vm = require("node:vm"), path = require("node:path"), Module = require("node:module");
require("node:v8").setFlagsFromString("--no-regexp-tier-up");
const file = path.join(__dirname, "../dist/cli.cjs"), cacheFile = ${JSON.stringify(path.join(probe, "cli.cache"))};
let cachedData;
try { cachedData = fs.readFileSync(cacheFile); } catch {}
const wrapped = "(function (exports, require, module, __filename, __dirname, __probe_import) {" + fs.readFileSync(file, "latin1") + "\\n})";
const script = new vm.Script(wrapped, { filename: file, cachedData });
const mod = { exports: {} };
script.runInThisContext().call(mod.exports, mod.exports, Module.createRequire(file), mod, file, path.dirname(file), (specifier) => import(specifier));
if (${!noCache} && (!cachedData || script.cachedDataRejected)) process.on("exit", () => fs.writeFileSync(cacheFile, script.createCachedData()));
`,
);

const args = process.argv.slice(2).filter((a) => a !== "--no-cache");
const run = spawnSync(process.execPath, [path.join(ROOT, "bench/ab.mjs"), probe, ...(args.length ? args : ["hello"])], { stdio: ["ignore", "pipe", "inherit"], encoding: "utf8" });
process.stdout.write(run.stdout.replace(/^this /m, "build ").replace(/^other/m, "cached"));
let cacheBytes = 0;
try {
  cacheBytes = readFileSync(path.join(probe, "cli.cache")).length;
} catch {}
console.log(`bundle ${(source.length / 1024).toFixed(0)} KB, code cache ${(cacheBytes / 1024).toFixed(0)} KB`);
if (!process.env.PROBE_KEEP) rmSync(probe, { recursive: true, force: true });
else console.log(probe);
process.exitCode = run.status ?? 1;
