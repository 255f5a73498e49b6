// Checkpoint cost: what one step's snapshot (src/checkpoints/shadow-repo.ts) takes on a
// workspace of 1,000 files — when nothing changed (the common case between two edits), when one
// file changed, and the first snapshot of a fresh shadow repository. Also a restore.
// `node bench/checkpoints.mjs [--files N] [--runs N]`; prints one JSON object (bench/README.md).
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { build } from "esbuild";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const { values } = parseArgs({ options: { files: { type: "string" }, runs: { type: "string" } } });
const FILES = Number(values.files ?? 1000);
const RUNS = Number(values.runs ?? 21);

const outfile = path.join(root, "node_modules/.cache/colleague-bench/checkpoints.mjs");
mkdirSync(path.dirname(outfile), { recursive: true });
await build({
  stdin: { contents: 'export { ShadowRepo } from "./src/checkpoints/shadow-repo.ts";', resolveDir: root, loader: "ts" },
  outfile,
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node20",
  logLevel: "warning",
});
const { ShadowRepo } = await import(pathToFileURL(outfile).href);

const base = mkdtempSync(path.join(os.tmpdir(), "colleague-bench-cp-"));
const ws = path.join(base, "ws");
for (let i = 0; i < FILES; i++) {
  const file = path.join(ws, `pkg${i % 25}`, `mod${i}.ts`);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `export const value${i} = ${i};\n`.repeat(40));
}
writeFileSync(path.join(ws, ".gitignore"), "node_modules/\n");
const repo = new ShadowRepo(path.join(base, "home"), ws);

const time = async (fn) => {
  const t = performance.now();
  await fn();
  return performance.now() - t;
};
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// For scale: a snapshot is 4-5 git processes, so on a loaded machine process start-up dominates.
const spawnOnce = [];
for (let i = 0; i < RUNS; i++) spawnOnce.push(await time(async () => execFileSync("git", ["--version"])));
const first = await time(() => repo.snapshot("first"));
const unchanged = [];
const oneChanged = [];
for (let i = 0; i < RUNS; i++) {
  unchanged.push(await time(() => repo.snapshot(`same-${i}`)));
  writeFileSync(path.join(ws, "pkg0", "mod0.ts"), `export const changed = ${i};\n`);
  oneChanged.push(await time(() => repo.snapshot(`changed-${i}`)));
}
const target = (await repo.snapshot("target")).commit;
writeFileSync(path.join(ws, "pkg1", "mod1.ts"), "changed\n");
rmSync(path.join(ws, "pkg2", "mod2.ts"));
const restore = await time(() => repo.restore(target));
const sizeKB = Math.round((await repo.sizeBytes()) / 1024);
rmSync(base, { recursive: true, force: true });

const round = (x) => Math.round(x * 10) / 10;
const row = (metric, value, n) => ({ metric, median: round(value), unit: "ms", n });
const figures = {
  name: "checkpoints",
  ok: true,
  problems: [],
  files: FILES,
  shadowRepoKB: sizeKB,
  rows: [
    row(`snapshot, nothing changed (${FILES} files)`, median(unchanged), RUNS),
    row(`snapshot, one file changed (${FILES} files)`, median(oneChanged), RUNS),
    row(`first snapshot of a fresh shadow repository (${FILES} files)`, first, 1),
    row("restore of 2 files", restore, 1),
    row("one git process (git --version), for scale", median(spawnOnce), RUNS),
  ],
};
for (const r of figures.rows) process.stderr.write(`${r.metric}: ${r.median} ms (n=${r.n})\n`);
console.log(JSON.stringify(figures));
