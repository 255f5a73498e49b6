// Checkpoint cost: what one step's snapshot (src/checkpoints/shadow-repo.ts) takes on a
// workspace of 1,000 files — when nothing changed (the common case between two edits), when one
// file changed, the first snapshot of the next session on the workspace, and the first snapshot
// of a fresh shadow repository. Also a restore.
// `node bench/checkpoints.mjs [--files N] [--runs N] [--baseline REF]`; prints one JSON object
// (bench/README.md). With --baseline, the ShadowRepo of that git ref (e.g. `main`) is measured in
// the same rounds, interleaved, and each row gets the ratio new / baseline.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { build } from "esbuild";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const { values } = parseArgs({ options: { files: { type: "string" }, runs: { type: "string" }, baseline: { type: "string" } } });
const FILES = Number(values.files ?? 1000);
const RUNS = Number(values.runs ?? 21);

async function bundle(srcRoot, name) {
  const outfile = path.join(root, `node_modules/.cache/colleague-bench/${name}.mjs`);
  mkdirSync(path.dirname(outfile), { recursive: true });
  await build({
    stdin: { contents: 'export { ShadowRepo } from "./src/checkpoints/shadow-repo.ts";', resolveDir: srcRoot, loader: "ts" },
    outfile,
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node20",
    logLevel: "warning",
  });
  return (await import(pathToFileURL(outfile).href)).ShadowRepo;
}

const base = mkdtempSync(path.join(os.tmpdir(), "colleague-bench-cp-"));
const impls = [{ name: "current", ShadowRepo: await bundle(root, "checkpoints") }];
if (values.baseline) {
  // The baseline's sources, extracted from git (no worktree is touched).
  const old = path.join(base, "baseline");
  mkdirSync(old);
  execFileSync("sh", ["-c", `git -C "${root}" archive "${values.baseline}" src | tar -x -C "${old}"`]);
  impls.push({ name: `baseline (${values.baseline})`, ShadowRepo: await bundle(old, "checkpoints-baseline") });
}

function workspace(dir) {
  for (let i = 0; i < FILES; i++) {
    const file = path.join(dir, `pkg${i % 25}`, `mod${i}.ts`);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, `export const value${i} = ${i};\n`.repeat(40));
  }
  writeFileSync(path.join(dir, ".gitignore"), "node_modules/\n");
  // An ignored dependency folder, as most workspaces have: git skips it, and so must the walk.
  for (let i = 0; i < 200; i++) {
    const file = path.join(dir, "node_modules", `dep${i % 20}`, `index${i}.js`);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, "module.exports = 1;\n");
  }
  return dir;
}

const time = async (fn) => {
  const t = performance.now();
  await fn();
  return performance.now() - t;
};
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// For scale: a changed snapshot is 2-6 git processes (2 once the repository is known), so on a
// loaded machine process start-up dominates.
const spawnOnce = [];
for (let i = 0; i < RUNS; i++) spawnOnce.push(await time(async () => execFileSync("git", ["--version"])));
for (const impl of impls) {
  impl.ws = workspace(path.join(base, `ws-${impl.name.replace(/\W+/g, "-")}`));
  impl.repo = new impl.ShadowRepo(path.join(base, `home-${impl.name.replace(/\W+/g, "-")}`), impl.ws);
  impl.first = await time(() => impl.repo.snapshot("first"));
  impl.unchanged = [];
  impl.oneChanged = [];
  impl.nextSession = [];
}
// Rounds interleave the implementations, so load from other processes spreads evenly.
for (let i = 0; i < RUNS; i++) {
  for (const impl of impls) {
    impl.unchanged.push(await time(() => impl.repo.snapshot(`same-${i}`)));
    writeFileSync(path.join(impl.ws, "pkg0", "mod0.ts"), `export const changed = ${i};\n`);
    impl.oneChanged.push(await time(() => impl.repo.snapshot(`changed-${i}`)));
    // The next session on the same workspace (a new process: a new ShadowRepo), one file
    // changed since the last: its first snapshot.
    writeFileSync(path.join(impl.ws, "pkg1", "mod1.ts"), `export const between = ${i};\n`);
    const next = new impl.ShadowRepo(path.join(base, `home-${impl.name.replace(/\W+/g, "-")}`), impl.ws);
    impl.nextSession.push(await time(() => next.snapshot(`next-${i}`)));
    // The first session sees that change too, untimed, so its next round starts unchanged.
    await impl.repo.snapshot(`caught-up-${i}`);
  }
}
for (const impl of impls) {
  const target = (await impl.repo.snapshot("target")).commit;
  writeFileSync(path.join(impl.ws, "pkg1", "mod1.ts"), "changed\n");
  rmSync(path.join(impl.ws, "pkg2", "mod2.ts"));
  impl.restore = await time(() => impl.repo.restore(target));
  impl.sizeKB = Math.round((await impl.repo.sizeBytes()) / 1024);
}
rmSync(base, { recursive: true, force: true });

const round = (x) => Math.round(x * 10) / 10;
const row = (metric, value, n) => ({ metric, median: round(value), unit: "ms", n });
const [current, baseline] = impls;
const ratio = (pick) => (baseline ? { ratio: Math.round((pick(current) / pick(baseline)) * 100) / 100 } : {});
const rowsOf = (impl, suffix) => [
  { ...row(`snapshot, nothing changed (${FILES} files)${suffix}`, median(impl.unchanged), RUNS), ...(impl === current ? ratio((x) => median(x.unchanged)) : {}) },
  { ...row(`snapshot, one file changed (${FILES} files)${suffix}`, median(impl.oneChanged), RUNS), ...(impl === current ? ratio((x) => median(x.oneChanged)) : {}) },
  {
    ...row(`first snapshot of the next session, one file changed since (${FILES} files)${suffix}`, median(impl.nextSession), RUNS),
    ...(impl === current ? ratio((x) => median(x.nextSession)) : {}),
  },
  row(`first snapshot of a fresh shadow repository (${FILES} files)${suffix}`, impl.first, 1),
  row(`restore of 2 files${suffix}`, impl.restore, 1),
];
const figures = {
  name: "checkpoints",
  ok: true,
  problems: [],
  files: FILES,
  shadowRepoKB: current.sizeKB,
  rows: [
    ...rowsOf(current, ""),
    ...(baseline ? rowsOf(baseline, `, ${baseline.name}`) : []),
    row("one git process (git --version), for scale", median(spawnOnce), RUNS),
  ],
};
for (const r of figures.rows) process.stderr.write(`${r.metric}: ${r.median} ms (n=${r.n})${r.ratio ? `, ${r.ratio}× the baseline` : ""}\n`);
console.log(JSON.stringify(figures));
