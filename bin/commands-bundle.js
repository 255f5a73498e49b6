// Runs dist/cli.cjs, the commands as one CommonJS file, with a V8 code cache: Node 20 compiles ES
// modules from source on every start, and compiling the bundle was ~100 ms of a ~400 ms `run`
// (bench/README.md, "Code cache"). The cache is written at exit of the first run of each build (so
// it holds every function that run compiled), and again by a later run that compiled clearly
// more (readCache below), under $COLLEAGUE_CACHE_DIR, else
// $XDG_CACHE_HOME/colleague, else ~/.cache/colleague; COLLEAGUE_CODE_CACHE=0 turns it off. Any
// failure to read or write it only costs the time it would have saved.
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const vm = require("node:vm");
const Module = require("node:module");

/** The commands only the ES-module build holds (scripts/build-cjs.mjs: the TUI's `attach`, and the long-running servers). */
const MODULE_BUILD_ONLY = new Set(["serve", "acp", "mcp", "attach"]);

// Asked of the file descriptors: `process.stdin.isTTY` would build stdin's stream (~2 ms) for a
// run that may never read it.
const onTerminal = () => {
  const tty = require("node:tty");
  return tty.isatty(0) && tty.isatty(1);
};

/**
 * Whether this start goes to the ES-module build: one of those commands; one that may open the
 * terminal UI (Ink and Yoga use top-level await, which CommonJS cannot hold), i.e. no command on
 * a terminal (src/cli/main.ts, root(): a named command or a task never opens it, flags first may);
 * or help, which there loads the command table alone instead of the whole bundle.
 */
function needsModuleBuild(args, terminal = onTerminal()) {
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

/**
 * A cache file is a header, then V8's data. The header holds how much bytecode the process
 * that wrote it held at exit: the cache has what that run compiled, and a later run that ended
 * with clearly more (it ran code the writer never reached: a first run that stopped at a missing
 * key, then a session with tools) writes it again, with the old functions and the new. Each
 * rewrite raises the bar by more than the margin, so a build's cache settles after a few.
 */
const CACHE_MAGIC = 0x01434c43; // "CLC\x01"
const HEADER_BYTES = 8;
const REWRITE_MARGIN_BYTES = 64 * 1024;

/** The V8 data and the writer's bytecode at exit, or undefined for a file in another format. */
function readCache(file) {
  let bytes;
  try {
    bytes = fs.readFileSync(file);
  } catch {
    return undefined;
  }
  if (bytes.length <= HEADER_BYTES || bytes.readUInt32LE(0) !== CACHE_MAGIC) return undefined;
  return { data: bytes.subarray(HEADER_BYTES), writerBytecode: bytes.readUInt32LE(4) };
}

const bytecodeNow = () => require("node:v8").getHeapCodeStatistics().bytecode_and_metadata_size;

function runCommandsBundle(file, env = process.env) {
  // The build keeps the bundle ASCII: read as latin1 it is a one-byte string with nothing to decode.
  const source = fs.readFileSync(file, "latin1");
  const cacheFile = cacheFileFor(source, env);
  const cached = cacheFile ? readCache(cacheFile) : undefined;
  // The file is the module's function (scripts/build-cjs.mjs), so nothing is copied to wrap it.
  const script = new vm.Script(source, { filename: file, cachedData: cached?.data });
  if (cacheFile) {
    // Only the number is kept for the exit: the 1.2 MB of cache data can go at the next GC.
    const bar = cached && !script.cachedDataRejected ? cached.writerBytecode + REWRITE_MARGIN_BYTES : -1;
    process.once("exit", () => {
      const bytecode = bytecodeNow();
      if (bytecode > bar) writeCache(script, cacheFile, bytecode);
    });
  }
  // The bundle's only way to import an ES module (src/vendor/load.ts): from this file, compiled normally.
  globalThis.__colleagueImport = (specifier) => import(specifier);
  const bundle = new Module(file, null);
  bundle.filename = file;
  bundle.paths = Module._nodeModulePaths(path.dirname(file));
  script.runInThisContext().call(bundle.exports, bundle.exports, Module.createRequire(file), bundle, file, path.dirname(file));
}

function writeCache(script, file, bytecode) {
  try {
    const data = script.createCachedData();
    const header = Buffer.alloc(HEADER_BYTES);
    header.writeUInt32LE(CACHE_MAGIC, 0);
    header.writeUInt32LE(Math.min(bytecode, 0xffffffff), 4);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const temporary = `${file}.${process.pid}`;
    fs.writeFileSync(temporary, Buffer.concat([header, data]));
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
