// `node bench/snapshot-probe.mjs [hello|session10|floor] [--runs N] [--keep] [--build-only]`: what a V8
// userland startup snapshot (Node 20's `--build-snapshot` / `--snapshot-blob`) would save on
// start-up (issue 19), measured before building it for real. Not part of `npm run bench`; the
// findings are in bench/README.md ("Startup snapshot: measured with a probe").
//
// It builds a throwaway CommonJS bundle of the CLI from bench/lib/snapshot-entry.ts (the TUI
// stubbed), runs it once under `node --build-snapshot` (modules
// evaluated, tool schemas and the monitors' classifier built), and times, in interleaved rounds
// with a warm-up: bare `node -e 0`, this build (`node bin/colleague.js`), the snapshot started
// directly (`node --snapshot-blob B bin/colleague.js …`: the best case) and through a
// `#!/bin/sh` launcher that resolves its own path and execs the same (what npm's bin would run).
// Medians of wall, CPU and peak RSS, and each as a ratio to `node -e 0` in the same rounds.
//
// Like the code-cache probe it is a best case: the packages start-up never loads stay outside
// the bundle and resolve from this checkout's node_modules.
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { build } from "esbuild";
import { benchEnv, providers, ROOT } from "./lib/cli-runs.mjs";
import { probeSource, RUNTIME, tuiStub, UNUSED_ON_START } from "./lib/cjs-probe.mjs";
import { loadFakes } from "./lib/fakes.mjs";
import { measure, summarize } from "./lib/measure.mjs";
import { hello, session10, TASK } from "./lib/scenarios.mjs";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { runs: { type: "string" }, warm: { type: "string" }, keep: { type: "boolean" }, "build-only": { type: "boolean" } },
});
const which = positionals[0] ?? "hello";
const scenarios = { hello, session10 };
if (!scenarios[which] && which !== "floor") throw new Error(`unknown scenario ${which}`);
const runs = Number(values.runs ?? 9);
// What the snapshot builds ahead (bench/lib/snapshot-entry.ts): one blob per level, all timed in the same rounds.
const levels = (values.warm ?? "full").split(",");


const probe = mkdtempSync(path.join(os.tmpdir(), "colleague-snapshot-probe-"));
const pkg = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8"));

// Built-in modules that cannot be in a snapshot (HTTP and TLS leave native handles, and
// \`--build-snapshot\` aborts): loaded on first use at run time, through a stand-in with their keys.
const LAZY_KEYS = Object.fromEntries(
  ["http", "https", "tls", "http2"].flatMap((m) => {
    const keys = Object.keys(process.getBuiltinModule(m)).filter((k) => k !== "default");
    return [[m, keys], [`node:${m}`, keys]];
  }),
);
// The bundle's wrapper. While the snapshot is built, `require` is Node's snapshot require (built-in
// modules only): a package outside the bundle that a module imports at its top (better-sqlite3) gets
// a stand-in that requires the real one on first use, after deserialising. At start, `start()`
// points `import.meta.url` at this install (argv[1] is bin/colleague.js), takes built-in modules
// from `process.getBuiltinModule` (no "not supported in snapshot" warnings at run time), packages
// from a real `require`, and `import()` from a CommonJS helper compiled after deserialising (a
// function compiled into the snapshot has no host-defined options for `import()`).
const banner = `"use strict";
var __snapshot_file = __filename, __snapshot_meta_url = require("node:url").pathToFileURL(__snapshot_file).href;
var __snapshot_started = false, __snapshot_require_real, __snapshot_import_real;
var __snapshot_load = (id) => __snapshot_require_real(id);
var __snapshot_lazy_keys = ${JSON.stringify(LAZY_KEYS)};
var __snapshot_lazy = (id) => { let real; const load = () => (real ??= __snapshot_started && process.getBuiltinModule(id) || __snapshot_load(id)); const keys = __snapshot_lazy_keys[id] ?? [];
  return new Proxy(function () {}, {
  get: (t, k) => (k === "__esModule" && !__snapshot_started ? undefined : Reflect.get(load(), k)),
  ownKeys: (t) => [...Reflect.ownKeys(t), ...keys],
  getOwnPropertyDescriptor: (t, k) => Reflect.getOwnPropertyDescriptor(t, k) ?? (keys.includes(k) ? { configurable: true, enumerable: true, get: () => load()[k] } : undefined),
  construct: (t, args) => Reflect.construct(load(), args), apply: (t, self, args) => Reflect.apply(load(), self, args) }); };
var __snapshot_build_require = require;
// While the snapshot is built, V8 has not installed the flag-shipped ES2023 array methods (they
// are installed on a context deserialised from Node's own snapshot, which this one is not; they
// are there again at run time). Stand-ins for the build, removed before the heap is written.
(() => {
  const A = Array.prototype, added = [];
  const def = (name, fn) => { if (typeof A[name] !== "function") { Object.defineProperty(A, name, { value: fn, writable: true, configurable: true }); added.push(name); } };
  def("toSorted", function (cmp) { return [...this].sort(cmp); });
  def("toReversed", function () { return [...this].reverse(); });
  def("toSpliced", function (...args) { const copy = [...this]; copy.splice(...args); return copy; });
  def("with", function (i, v) { const copy = [...this]; copy[i < 0 ? copy.length + i : i] = v; return copy; });
  if (added.length) require("node:v8").startupSnapshot.addSerializeCallback(() => { for (const name of added) delete A[name]; });
})();
require = (id) => {
  if (__snapshot_started) return process.getBuiltinModule(id) ?? __snapshot_require_real(id);
  if (id in __snapshot_lazy_keys) return __snapshot_lazy(id);
  try { return __snapshot_build_require(id); } catch (error) { if (id.startsWith("node:") || error?.code !== "MODULE_NOT_FOUND") throw error; return __snapshot_lazy(id); }
};
var __snapshot_import = (specifier) => __snapshot_import_real(specifier);
var __snapshot_runtime = { start() {
  const Module = process.getBuiltinModule("node:module"), path = process.getBuiltinModule("node:path"), url = process.getBuiltinModule("node:url");
  __snapshot_file = path.join(path.dirname(process.argv[1]), "../dist/cli-snapshot.cjs");
  __snapshot_meta_url = url.pathToFileURL(__snapshot_file).href;
  __snapshot_require_real = Module.createRequire(__snapshot_file);
  __snapshot_import_real = __snapshot_require_real("./snapshot-import.cjs");
  __snapshot_started = true;
  process.getBuiltinModule("node:v8").setFlagsFromString("--no-regexp-tier-up");
} };
`;

mkdirSync(path.join(probe, "dist"), { recursive: true });
mkdirSync(path.join(probe, "bin"), { recursive: true });
writeFileSync(path.join(probe, "dist/snapshot-import.cjs"), "module.exports = (specifier) => import(specifier);\n");
for (const entry of readdirSync(path.join(ROOT, "dist"))) symlinkSync(path.join(ROOT, "dist", entry), path.join(probe, "dist", entry));
symlinkSync(path.join(ROOT, "node_modules"), path.join(probe, "node_modules"));
cpSync(path.join(ROOT, "package.json"), path.join(probe, "package.json"));
cpSync(path.join(ROOT, "bin"), path.join(probe, "bin"), { recursive: true });

// The snapshot, built with a sentinel HOME: if it shows up in the blob, a module read it at build
// time and the heap would carry the builder's value.
const SENTINEL = "/nonexistent-snapshot-sentinel";
const blobs = {};
for (const level of levels) {
  const result = await build({
    entryPoints: [path.join(ROOT, "bench/lib/snapshot-entry.ts")],
    write: false,
    outfile: path.join(probe, "dist/cli-snapshot.cjs"),
    bundle: true,
    format: "cjs",
    platform: "node",
    target: "node20",
    loader: { ".md": "text" },
    external: [...UNUSED_ON_START, ...RUNTIME],
    define: {
      __COLLEAGUE_VERSION__: JSON.stringify(pkg.version),
      __SNAPSHOT_WARM__: JSON.stringify(level),
      "process.env.NODE_ENV": '"production"',
      "import.meta.url": "__snapshot_meta_url",
    },
    banner: { js: banner },
    legalComments: "none",
    minifyWhitespace: true,
    minifySyntax: true,
    plugins: [tuiStub],
    logLevel: "warning",
  });
  const source = probeSource(result.outputFiles[0].text, "__snapshot_import");
  const file = path.join(probe, `dist/cli-snapshot-${level}.cjs`);
  writeFileSync(file, source);
  const blob = path.join(probe, `dist/cli-${level}.blob`);
  const started = process.hrtime.bigint();
  const built = spawnSync(process.execPath, ["--snapshot-blob", blob, "--build-snapshot", file], {
    cwd: probe,
    env: { PATH: process.env.PATH, HOME: SENTINEL, TMPDIR: os.tmpdir() },
    encoding: "utf8",
  });
  const buildMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (built.status !== 0) throw new Error(`--build-snapshot failed (${built.status}): ${built.stderr.slice(-2000)}`);
  const leaked = readFileSync(blob).includes(Buffer.from(SENTINEL));
  const warned = [...built.stderr.matchAll(/built-in module "([^"]+)"/g)].map((m) => m[1]);
  console.log(
    `${level}: bundle ${(source.length / 1024).toFixed(0)} KB, blob ${(statSync(blob).size / 1024 / 1024).toFixed(1)} MB, built in ${buildMs.toFixed(0)} ms; sentinel HOME in the blob: ${leaked}; "not yet verified in snapshots" warnings for ${warned.join(", ") || "none"}`,
  );
  blobs[level] = blob;
}

// npm's bin for the snapshot: a shell script, so that the one Node process it starts gets the flag.
writeFileSync(
  path.join(probe, "bin/colleague-sh"),
  `#!/bin/sh
here=$(dirname "$(readlink -f "$0")")
exec node --snapshot-blob "$here/../dist/cli-${levels[0]}.blob" "$here/colleague.js" "$@"
`,
);
chmodSync(path.join(probe, "bin/colleague-sh"), 0o755);
// What the launcher itself costs, around a bare \`node -e 0\`: resolving its own path, and a launcher
// that also checks the blob still fits (Node refuses a blob from another Node version or with
// other V8 flags, exit 14, so it has to know before it execs): the version from \`node --version\`,
// no NODE_OPTIONS.
writeFileSync(path.join(probe, "bin/launch-bare"), '#!/bin/sh\nhere=$(dirname "$(readlink -f "$0")")\nexec node -e 0\n');
writeFileSync(
  path.join(probe, "bin/launch-checked"),
  `#!/bin/sh
here=$(dirname "$(readlink -f "$0")")
v=$(node --version)
if [ -z "$NODE_OPTIONS" ] && [ -f "$here/../dist/cli-$v.blob" ]; then exec node -e 0; fi
exec node -e 0
`,
);
chmodSync(path.join(probe, "bin/launch-bare"), 0o755);
chmodSync(path.join(probe, "bin/launch-checked"), 0o755);

if (values["build-only"]) {
  console.log(probe);
  process.exit(0);
}

// The floor: a userland snapshot holding nothing (what any blob costs before its own heap) and
// \`--help\` (deserialising the CLI's heap and printing, no session) in both builds.
const empty = path.join(probe, "empty.blob");
writeFileSync(path.join(probe, "empty.cjs"), 'require("node:v8").startupSnapshot.setDeserializeMainFunction(() => {});\n');
execFileSync(process.execPath, ["--snapshot-blob", empty, "--build-snapshot", path.join(probe, "empty.cjs")], { cwd: probe });

const fakes = await loadFakes();
const server = await fakes.startAnthropicFake(fakes.anthropicFakeFromScenario(scenarios[which === "floor" ? "hello" : which]));
const p = providers.anthropic(server.url);
const floor = {
  "node -e 0": () => [process.execPath, ["-e", "0"]],
  "empty snapshot": () => [process.execPath, ["--snapshot-blob", empty]],
  "this build --help": () => [process.execPath, [path.join(ROOT, "bin/colleague.js"), "--help"]],
  ...Object.fromEntries(
    Object.entries(blobs).map(([level, b]) => [`snapshot ${level} --help`, () => [process.execPath, ["--snapshot-blob", b, path.join(probe, "bin/colleague.js"), "--help"]]]),
  ),
  "sh --help": () => [path.join(probe, "bin/colleague-sh"), ["--help"]],
  "sh → node -e 0": () => [path.join(probe, "bin/launch-bare"), []],
  "sh + version check → node -e 0": () => [path.join(probe, "bin/launch-checked"), []],
};
const variants = which === "floor" ? floor : {
  "node -e 0": () => [process.execPath, ["-e", "0"]],
  "this build": (args) => [process.execPath, [path.join(ROOT, "bin/colleague.js"), ...args]],
  ...Object.fromEntries(
    Object.entries(blobs).map(([level, b]) => [`snapshot ${level}`, (args) => [process.execPath, ["--snapshot-blob", b, path.join(probe, "bin/colleague.js"), ...args]]]),
  ),
  "snapshot via sh": (args) => [path.join(probe, "bin/colleague-sh"), args],
  "sh -c true": () => ["/bin/sh", ["-c", "true"]],
};
const homes = Object.fromEntries(Object.keys(variants).map((k) => [k, mkdtempSync(path.join(os.tmpdir(), "colleague-snap-home-"))]));
const out = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
const load = [os.loadavg()[0]];
for (let round = 0; round <= runs; round++) {
  for (const [name, command] of Object.entries(variants)) {
    const repo = mkdtempSync(path.join(os.tmpdir(), "colleague-snap-repo-"));
    cpSync(path.join(ROOT, "examples/demo-repo"), repo, { recursive: true });
    const [file, argv] = command(["run", TASK, "--model", p.model, "--json", "--cwd", repo]);
    const run = await measure(file, argv, { env: benchEnv({ ...p.env, COLLEAGUE_HOME: homes[name] }), cwd: repo });
    rmSync(repo, { recursive: true, force: true });
    if (run.code !== 0) throw new Error(`${name}: exit ${run.code}: ${run.stderr.slice(-600)}`);
    if (which !== "floor" && !name.includes(" -")) {
      // A run that did not finish the session is not a figure.
      const events = run.stdout.trim().split("\n").map((l) => JSON.parse(l));
      const end = events.findLast((e) => e.type === "session_ended" || e.type === "session_end" || e.status);
      if (!/completed/.test(JSON.stringify(end ?? events.at(-1)))) throw new Error(`${name}: did not complete: ${run.stdout.slice(-400)}`);
    }
    if (round > 0) out[name].push(run);
  }
  load.push(os.loadavg()[0]);
}
await server.close();
for (const home of Object.values(homes)) rmSync(home, { recursive: true, force: true });
const med = (list, k) => summarize(list.map((r) => r[k])).median;
const bare = { wall: med(out["node -e 0"], "wallMs"), cpu: med(out["node -e 0"], "cpuMs") };
console.log(`${which}, ${runs} interleaved rounds after a warm-up; load average (1 min) ${Math.min(...load).toFixed(1)}–${Math.max(...load).toFixed(1)}, ${os.cpus().length} cores`);
for (const [name, list] of Object.entries(out)) {
  const wall = med(list, "wallMs");
  const cpu = med(list, "cpuMs");
  console.log(
    `${name.padEnd(31)} wall ${wall.toFixed(0).padStart(5)} ms (${(wall / bare.wall).toFixed(2)}×), CPU ${cpu.toFixed(0).padStart(5)} ms (${(cpu / bare.cpu).toFixed(2)}×), peak RSS ${med(list, "peakRssMb").toFixed(1)} MB`,
  );
}
if (values.keep) console.log(probe);
else rmSync(probe, { recursive: true, force: true });
