// The CLI's first impressions: how fast `colleague --help` and `colleague run --help` answer
// (the help comes from a light command table, no command module is loaded; the target is
// ≤ 150 ms wall, like --version) and how much `npm install colleague` puts on disk (the
// production tree of package-lock.json, measured in node_modules; see lib/installed-size.mjs).
// Needs a built dist/. Prints one JSON object as its last line (see bench/README.md).
import path from "node:path";
import { benchEnv, ROOT } from "./lib/cli-runs.mjs";
import { installedSize } from "./lib/installed-size.mjs";
import { measure, summarize } from "./lib/measure.mjs";

const RUNS = Number(process.argv[process.argv.indexOf("--runs") + 1]) || 9;
const BIN = path.join(ROOT, "bin/colleague.js");

async function startup(args, expect) {
  const wall = [];
  const cpu = [];
  await measure(process.execPath, [BIN, ...args], { env: benchEnv(), cwd: ROOT }); // warm-up
  for (let i = 0; i < RUNS; i++) {
    const run = await measure(process.execPath, [BIN, ...args], { env: benchEnv(), cwd: ROOT });
    if (run.code !== 0 || !expect.test(run.stdout)) throw new Error(`colleague ${args.join(" ")}: exit ${run.code}: ${(run.stderr || run.stdout).slice(0, 200)}`);
    wall.push(run.wallMs);
    cpu.push(run.cpuMs);
  }
  return [
    { metric: `colleague ${args.join(" ")} wall`, unit: "ms", ...summarize(wall) },
    { metric: `colleague ${args.join(" ")} CPU`, unit: "ms", ...summarize(cpu) },
  ];
}

const size = installedSize(ROOT);
const mb = (bytes) => Math.round(bytes / 1e5) / 10;
console.log(
  JSON.stringify({
    name: "cli",
    rows: [
      ...(await startup(["--help"], /^colleague — /)),
      ...(await startup(["run", "--help"], /^colleague run — /)),
      { metric: "installed size (npm install colleague)", unit: "MB", median: mb(size.totalBytes), min: mb(size.totalBytes), max: mb(size.totalBytes), n: 1, target: { max: 100, goal: "installed size (issue 19)" } },
      {
        metric: `of which dependencies (${size.packages} packages; largest ${size.largest
          .slice(0, 4)
          .map((p) => `${p.name} ${mb(p.bytes)}`)
          .join(", ")})`,
        unit: "MB",
        median: mb(size.dependencyBytes),
        min: mb(size.dependencyBytes),
        max: mb(size.dependencyBytes),
        n: 1,
      },
    ],
  }),
);
