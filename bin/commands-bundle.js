// Runs dist/cli.cjs, the commands as one CommonJS file, with a V8 code cache: Node 20 compiles ES
// modules from source on every start, and compiling the bundle was ~100 ms of a ~400 ms `run`
// (bench/README.md, "Code cache"). The cache is written at exit of the first run of each build (so
// it holds every function that run compiled), under $COLLEAGUE_CACHE_DIR, else
// $XDG_CACHE_HOME/colleague, else ~/.cache/colleague; COLLEAGUE_CODE_CACHE=0 turns it off. Any
// failure to read or write it only costs the time it would have saved.
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const vm = require("node:vm");
const Module = require("node:module");

/** The commands only the ES-module build holds (scripts/build-cjs.mjs: the TUI's `attach`, and the long-running servers). */
const MODULE_BUILD_ONLY = new Set(["serve", "acp", "mcp", "attach"]);

/**
 * Whether this start goes to the ES-module build: one of those commands; one that may open the
 * terminal UI (Ink and Yoga use top-level await, which CommonJS cannot hold), i.e. no command on
 * a terminal (src/cli/main.ts, root(): a named command or a task never opens it, flags first may);
 * or help, which there loads the command table alone instead of the whole bundle.
 */
function needsModuleBuild(args, terminal = Boolean(process.stdin.isTTY && process.stdout.isTTY)) {
  if (MODULE_BUILD_ONLY.has(args[0]) || args[0] === "help") return true;
  const end = args.indexOf("--");
  if ((end < 0 ? args : args.slice(0, end)).some((a) => a === "--help" || a === "-h")) return true;
  return terminal && (args.length === 0 || args[0].startsWith("-"));
}

function cacheDir(env) {
  if (env.COLLEAGUE_CACHE_DIR) return env.COLLEAGUE_CACHE_DIR;
  return path.join(env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache"), "colleague");
}

/**
 * The cache file for this bundle (its first line names the build: V8 itself checks only the
 * source's length), Node, CPU and Node's flags (V8 rejects a cache made under other flags, e.g.
 * --cpu-prof: without them in the name, a profiled run and a plain one would rewrite it in turn).
 */
function cacheFileFor(source, env, execArgv = process.execArgv) {
  const id = /^\/\/ colleague-cjs ([0-9a-f]{16})\n/.exec(source)?.[1];
  if (!id || env.COLLEAGUE_CODE_CACHE === "0") return undefined;
  const flags = execArgv.length ? `-${require("node:crypto").createHash("sha256").update(execArgv.join("\0")).digest("hex").slice(0, 8)}` : "";
  return path.join(cacheDir(env), `cli-${id}-${process.version}-${process.arch}${flags}.v8cache`);
}

function runCommandsBundle(file, env = process.env) {
  // The build keeps the bundle ASCII: read as latin1 it is a one-byte string with nothing to decode.
  const source = fs.readFileSync(file, "latin1");
  const cacheFile = cacheFileFor(source, env);
  let cachedData;
  if (cacheFile) {
    try {
      cachedData = fs.readFileSync(cacheFile);
    } catch {}
  }
  // The file is the module's function (scripts/build-cjs.mjs), so nothing is copied to wrap it.
  const script = new vm.Script(source, { filename: file, cachedData });
  if (cacheFile && (!cachedData || script.cachedDataRejected)) process.once("exit", () => writeCache(script, cacheFile));
  // The bundle's only way to import an ES module (src/vendor/load.ts): from this file, compiled normally.
  globalThis.__colleagueImport = (specifier) => import(specifier);
  const bundle = new Module(file, null);
  bundle.filename = file;
  bundle.paths = Module._nodeModulePaths(path.dirname(file));
  script.runInThisContext().call(bundle.exports, bundle.exports, Module.createRequire(file), bundle, file, path.dirname(file));
}

function writeCache(script, file) {
  try {
    const data = script.createCachedData();
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const temporary = `${file}.${process.pid}`;
    fs.writeFileSync(temporary, data);
    fs.renameSync(temporary, file);
    // Caches of other builds a week old are from an earlier install.
    const dir = path.dirname(file);
    for (const name of fs.readdirSync(dir)) {
      const other = path.join(dir, name);
      if (/^cli-.*\.v8cache$/.test(name) && other !== file && Date.now() - fs.statSync(other).mtimeMs > 7 * 86_400_000) fs.rmSync(other, { force: true });
    }
  } catch {}
}

module.exports = { MODULE_BUILD_ONLY, needsModuleBuild, runCommandsBundle, cacheFileFor };
