// `node bench/profile.mjs [hello|session10|session30|session30read] [anthropic|openai]`: runs one session of the
// built CLI under `node --cpu-prof` against the bench's fake and prints where the CPU went
// (self time by bundle file and by function). The .cpuprofile stays in node_modules/.cache/colleague-bench/ for
// Chrome DevTools. A tool for finding start-up and per-step costs, not a benchmark.
import { spawn } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { benchEnv, providers, ROOT } from "./lib/cli-runs.mjs";
import { loadFakes } from "./lib/fakes.mjs";
import { hello, session10, session30, session30read, TASK } from "./lib/scenarios.mjs";

const [which = "hello", provider = "anthropic"] = process.argv.slice(2);
const scenario = { hello, session10, session30, session30read }[which];
if (!scenario) throw new Error(`unknown scenario ${which}`);
const fakes = await loadFakes();
const server =
  provider === "openai"
    ? await fakes.openaiFakeFromScenario(scenario)
    : await fakes.startAnthropicFake(fakes.anthropicFakeFromScenario(scenario));
const repo = mkdtempSync(path.join(os.tmpdir(), "colleague-prof-repo-"));
const home = mkdtempSync(path.join(os.tmpdir(), "colleague-prof-home-"));
cpSync(path.join(ROOT, "examples/demo-repo"), repo, { recursive: true });
const dir = path.join(ROOT, "node_modules/.cache/colleague-bench/profiles");
rmSync(dir, { recursive: true, force: true });
const p = providers[provider](server.url);
const args = ["--cpu-prof", "--cpu-prof-dir", dir, "--cpu-prof-interval", "200", path.join(ROOT, "bin/colleague.js")];
args.push("run", TASK, "--model", p.model, "--json", "--cwd", repo);
// Asynchronously: the fake server answers from this process.
const code = await new Promise((resolve) => {
  const child = spawn(process.execPath, args, { env: benchEnv({ ...p.env, COLLEAGUE_HOME: home }), stdio: ["ignore", "ignore", "inherit"] });
  child.on("close", resolve);
});
await server.close();
rmSync(repo, { recursive: true, force: true });
rmSync(home, { recursive: true, force: true });

const file = path.join(dir, readdirSync(dir)[0]);
const profile = JSON.parse(readFileSync(file, "utf8"));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map();
const dt = profile.timeDeltas;
for (const [i, id] of profile.samples.entries()) self.set(id, (self.get(id) ?? 0) + (dt[i] ?? 0));
const byFile = new Map();
const byFn = new Map();
for (const [id, us] of self) {
  const cf = byId.get(id).callFrame;
  const url = cf.url ? cf.url.replace(/^.*\/(dist|node_modules)\//, "$1/") : `(${cf.functionName || "native"})`;
  byFile.set(url, (byFile.get(url) ?? 0) + us);
  const fn = `${cf.functionName || "(anon)"} ${url}:${cf.lineNumber + 1}`;
  byFn.set(fn, (byFn.get(fn) ?? 0) + us);
}
const total = [...self.values()].reduce((a, b) => a + b, 0);
const top = (m, n) =>
  [...m]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, us]) => `${(us / 1000).toFixed(1).padStart(7)} ms  ${k}`)
    .join("\n");
console.log(`exit ${code}; ${(total / 1000).toFixed(0)} ms sampled; profile: ${path.relative(ROOT, file)}\n`);
console.log(`by file:\n${top(byFile, 15)}\n\nby function:\n${top(byFn, 25)}`);
