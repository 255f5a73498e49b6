// What the bundle makes a command compile: `node bench/bundle.mjs [src/cli/run.ts]` builds
// dist/ (scripts/build.mjs, writing esbuild's metafile) and follows the static imports from
// src/cli/main.ts and the command's module, the way Node loads them; prints the bytes of bundled
// output by package or source folder, largest first. Dynamic imports (loaded on use: the
// provider adapter and its SDK, the TUI, office formats) are not followed. A tool for start-up
// work, not a benchmark.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { ROOT } from "./lib/cli-runs.mjs";

const command = process.argv[2] ?? "src/cli/run.ts";
const metafile = path.join(ROOT, "node_modules/.cache/colleague-bench/metafile.json");
execFileSync(process.execPath, ["scripts/build.mjs"], { cwd: ROOT, stdio: "inherit", env: { ...process.env, COLLEAGUE_METAFILE: metafile } });
const meta = JSON.parse(readFileSync(metafile, "utf8"));

const staticImports = (input) => (meta.inputs[input]?.imports ?? []).filter((i) => i.kind === "import-statement" && !i.external).map((i) => i.path);
const reached = new Set();
const queue = ["src/cli/main.ts", command];
while (queue.length) {
  const input = queue.pop();
  if (reached.has(input)) continue;
  reached.add(input);
  queue.push(...staticImports(input));
}

// Bytes each input contributes to the output (minified), summed by package or source folder.
const bytes = new Map();
for (const output of Object.values(meta.outputs)) {
  for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
    if (!reached.has(input)) continue;
    const key = input.includes("node_modules/") ? input.replace(/.*node_modules\/((@[^/]+\/)?[^/]+).*/, "$1") : path.dirname(input);
    bytes.set(key, (bytes.get(key) ?? 0) + bytesInOutput);
  }
}
const total = [...bytes.values()].reduce((a, b) => a + b, 0);
console.log(`${command}: ${(total / 1024).toFixed(0)} KB of bundled JavaScript loaded statically (${reached.size} modules)\n`);
for (const [key, b] of [...bytes].sort((a, c) => c[1] - a[1]).slice(0, 25)) console.log(`${(b / 1024).toFixed(0).padStart(6)} KB  ${key}`);
