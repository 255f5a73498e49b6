// A/B two builds of the CLI in interleaved runs: `node bench/ab.mjs OTHER_ROOT [hello|session10]
// [--runs N]`. OTHER_ROOT holds another build's bin/ and dist/ (e.g. a copy taken before a
// change, with node_modules linked in). Prints each build's medians of wall, CPU and peak RSS.
// For judging a start-up change on a shared machine; not part of `npm run bench`.
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { benchEnv, providers, ROOT } from "./lib/cli-runs.mjs";
import { loadFakes } from "./lib/fakes.mjs";
import { measure, summarize } from "./lib/measure.mjs";
import { hello, session10, TASK } from "./lib/scenarios.mjs";

const { values, positionals } = parseArgs({ allowPositionals: true, options: { runs: { type: "string" } } });
const [other, which = "hello"] = positionals;
if (!other) throw new Error("usage: node bench/ab.mjs OTHER_ROOT [hello|session10] [--runs N]");
const scenario = { hello, session10 }[which];
const runs = Number(values.runs ?? 9);
const fakes = await loadFakes();
const server = await fakes.startAnthropicFake(fakes.anthropicFakeFromScenario(scenario));
const p = providers.anthropic(server.url);
const builds = { this: ROOT, other: path.resolve(other) };
const homes = Object.fromEntries(Object.keys(builds).map((k) => [k, mkdtempSync(path.join(os.tmpdir(), "colleague-ab-home-"))]));
const out = Object.fromEntries(Object.keys(builds).map((k) => [k, []]));
for (let round = 0; round <= runs; round++) {
  for (const [name, root] of Object.entries(builds)) {
    const repo = mkdtempSync(path.join(os.tmpdir(), "colleague-ab-repo-"));
    cpSync(path.join(ROOT, "examples/demo-repo"), repo, { recursive: true });
    const args = [path.join(root, "bin/colleague.js"), "run", TASK, "--model", p.model, "--json", "--cwd", repo];
    const run = await measure(process.execPath, args, { env: benchEnv({ ...p.env, COLLEAGUE_HOME: homes[name] }), cwd: repo });
    rmSync(repo, { recursive: true, force: true });
    if (run.code !== 0) throw new Error(`${name}: exit ${run.code}: ${run.stderr.slice(-300)}`);
    if (round > 0) out[name].push(run);
  }
}
await server.close();
for (const home of Object.values(homes)) rmSync(home, { recursive: true, force: true });
for (const [name, list] of Object.entries(out)) {
  const m = (k) => summarize(list.map((r) => r[k])).median.toFixed(0);
  console.log(`${name.padEnd(6)} ${which}: wall ${m("wallMs")} ms, CPU ${m("cpuMs")} ms, peak RSS ${m("peakRssMb")} MB (medians of ${list.length})`);
}
