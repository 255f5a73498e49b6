// A/B two builds of the CLI in interleaved runs: `node bench/ab.mjs OTHER_ROOT
// [hello|session10|session30|session30read|step] [--runs N]`. `step` runs session10 and
// session30 in each round and reports the per extra step figures ((session30 − session10) ÷ 20). OTHER_ROOT holds another build's bin/ and dist/ (e.g. a copy taken before a
// change, with node_modules linked in). Prints each build's medians of wall, CPU and peak RSS.
// For judging a start-up change on a shared machine; not part of `npm run bench`.
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { benchEnv, providers, ROOT } from "./lib/cli-runs.mjs";
import { loadFakes } from "./lib/fakes.mjs";
import { measure, summarize } from "./lib/measure.mjs";
import { hello, session10, session30, session30read, TASK } from "./lib/scenarios.mjs";

const { values, positionals } = parseArgs({ allowPositionals: true, options: { runs: { type: "string" } } });
const [other, which = "hello"] = positionals;
if (!other) throw new Error("usage: node bench/ab.mjs OTHER_ROOT [hello|session10|session30|session30read|step] [--runs N]");
const scenarios = { hello, session10, session30, session30read };
const parts = which === "step" ? ["session10", "session30"] : [which];
if (!parts.every((s) => scenarios[s])) throw new Error(`unknown scenario ${which}`);
const runs = Number(values.runs ?? 9);
const fakes = await loadFakes();
// One fake per scenario, serving every run of it.
const servers = {};
for (const part of parts) servers[part] = await fakes.startAnthropicFake(fakes.anthropicFakeFromScenario(scenarios[part]));
const builds = { this: ROOT, other: path.resolve(other) };
const homes = Object.fromEntries(Object.keys(builds).map((k) => [k, mkdtempSync(path.join(os.tmpdir(), "colleague-ab-home-"))]));
const out = Object.fromEntries(Object.keys(builds).map((k) => [k, Object.fromEntries(parts.map((part) => [part, []]))]));
for (let round = 0; round <= runs; round++) {
  for (const part of parts) {
    const p = providers.anthropic(servers[part].url);
    for (const [name, root] of Object.entries(builds)) {
      const repo = mkdtempSync(path.join(os.tmpdir(), "colleague-ab-repo-"));
      cpSync(path.join(ROOT, "examples/demo-repo"), repo, { recursive: true });
      const args = [path.join(root, "bin/colleague.js"), "run", TASK, "--model", p.model, "--json", "--cwd", repo];
      // Each build keeps its own code cache: two builds of one bundle with different V8 flags would
      // otherwise reject and rewrite each other's cache on every run.
      const env = benchEnv({ ...p.env, COLLEAGUE_HOME: homes[name], COLLEAGUE_CACHE_DIR: path.join(homes[name], "code-cache") });
      const run = await measure(process.execPath, args, { env, cwd: repo });
      rmSync(repo, { recursive: true, force: true });
      if (run.code !== 0) throw new Error(`${name}: exit ${run.code}: ${run.stderr.slice(-300)}`);
      if (round > 0) out[name][part].push(run);
    }
  }
}
await Promise.all(Object.values(servers).map((s) => s.close()));
for (const home of Object.values(homes)) rmSync(home, { recursive: true, force: true });
for (const [name, byPart] of Object.entries(out)) {
  if (which === "step") {
    // Paired by round, so a slow round weighs on both sessions alike.
    const { session10: a, session30: b } = byPart;
    const m = (k) => summarize(a.map((r, i) => (b[i][k] - r[k]) / 20)).median.toFixed(1);
    console.log(`${name.padEnd(6)} per extra step: wall ${m("wallMs")} ms, CPU ${m("cpuMs")} ms (medians of ${a.length})`);
    continue;
  }
  const list = byPart[which];
  const m = (k) => summarize(list.map((r) => r[k])).median.toFixed(0);
  console.log(`${name.padEnd(6)} ${which}: wall ${m("wallMs")} ms, CPU ${m("cpuMs")} ms, peak RSS ${m("peakRssMb")} MB (medians of ${list.length})`);
}
