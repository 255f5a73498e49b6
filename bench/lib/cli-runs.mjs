// One measured run of the built CLI (`node bin/colleague.js`, the shipped entry point) on a
// fresh copy of the demo repo, with a private COLLEAGUE_HOME, checked for completion.
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { measure } from "./measure.mjs";
import { TASK } from "./scenarios.mjs";

export const ROOT = path.resolve(new URL("../..", import.meta.url).pathname);
const BIN = path.join(ROOT, "bin/colleague.js");

/** The bench's environment: no real keys or endpoints leak in; retries are instant. */
export function benchEnv(extra = {}) {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!/^(ANTHROPIC|OPENAI|COMPATIBLE|COLLEAGUE)_/.test(k)) env[k] = v;
  }
  // full-auto: the session edits and runs commands unattended (no TTY to approve on), as the
  // peers were measured; the shell sandbox (bubblewrap) stays at its default, on.
  return { ...env, NO_COLOR: "1", COLLEAGUE_RETRY_BASE_MS: "1", COLLEAGUE_PERMISSION_MODE: "full-auto", ...extra };
}

/** Provider settings for a fake: the model id and the variables that point the CLI at it. */
export const providers = {
  anthropic: (url) => ({ model: "anthropic:claude-opus-4-6", env: { ANTHROPIC_API_KEY: "sk-ant-bench", ANTHROPIC_BASE_URL: url } }),
  openai: (url) => ({ model: "openai:gpt-5.3-codex", env: { OPENAI_API_KEY: "sk-bench", OPENAI_BASE_URL: `${url}/v1` } }),
};

/**
 * Bare Node start-up and exit (`node -e 0`): the floor every row stands on, measured in the
 * same rounds so a loaded machine shows (the peers' table quotes 0.38 s for it).
 */
export async function bareNodeRun() {
  const run = await measure(process.execPath, ["-e", "0"], { env: benchEnv(), cwd: ROOT });
  return run.code === 0 ? { ok: true, metrics: pick(run) } : { ok: false, problem: `exit ${run.code}` };
}

/**
 * The bare command of a session30 shell step, `bash -c 'echo step 1'`, spawned directly: what
 * a sandboxed step's cost is compared with (issue 19: ≤ 15 ms above it).
 */
export async function bareShellStepRun() {
  // --norc as colleague's own shells (bench/steps500.mjs says why).
  const run = await measure("/bin/bash", ["--norc", "-c", "echo step 1"], { env: benchEnv(), cwd: ROOT });
  const ok = run.code === 0 && run.stdout === "step 1\n";
  return ok ? { ok, metrics: pick(run) } : { ok, problem: `exit ${run.code}: ${run.stdout.slice(0, 100)}` };
}

/** `colleague --version`: must print the version and exit 0. */
export async function versionRun() {
  const run = await measure(process.execPath, [BIN, "--version"], { env: benchEnv(), cwd: ROOT });
  const ok = run.code === 0 && /^colleague \d+\.\d+\.\d+/.test(run.stdout);
  return ok ? { ok, metrics: pick(run) } : { ok, problem: `exit ${run.code}: ${(run.stderr || run.stdout).trim().slice(0, 200)}` };
}

/**
 * A COLLEAGUE_HOME for one row, kept across its runs: a user's session store already exists
 * and grows, so each run opens an existing database (the warm-up run creates it).
 */
export function benchHome() {
  return mkdtempSync(path.join(os.tmpdir(), "colleague-bench-home-"));
}

/**
 * `colleague run TASK --json` against a fake. `steps` is the expected step count,
 * `repoProblem` checks the repo afterwards; `traffic` counts what reached the fake.
 */
export async function sessionRun({ provider, traffic, steps, repoProblem, home }) {
  const repo = mkdtempSync(path.join(os.tmpdir(), "colleague-bench-repo-"));
  cpSync(path.join(ROOT, "examples/demo-repo"), repo, { recursive: true });
  try {
    traffic.mark();
    const args = [BIN, "run", TASK, "--model", provider.model, "--json", "--cwd", repo];
    const run = await measure(process.execPath, args, { env: benchEnv({ ...provider.env, COLLEAGUE_HOME: home }), cwd: repo });
    const sent = traffic.since();
    const problem = sessionProblem(run, steps) ?? repoProblem(repo);
    if (problem) return { ok: false, problem };
    return {
      ok: true,
      metrics: {
        ...pick(run),
        requests: sent.requests,
        totalKb: sent.totalBytes / 1024,
        firstKb: sent.firstBytes / 1024,
        toolMs: toolTime(run.stdout),
      },
    };
  } finally {
    rmSync(repo, { recursive: true, force: true });
  }
}

const pick = (run) => ({ wallMs: run.wallMs, cpuMs: run.cpuMs, peakRssMb: run.peakRssMb });

function events(stdout) {
  const out = [];
  for (const line of stdout.split("\n")) {
    if (!line.trim()) continue;
    try {
      out.push(JSON.parse(line));
    } catch {
      // Not an event line; the completion check below decides.
    }
  }
  return out;
}

/** Completed with exit 0 and the expected number of steps, or what went wrong. */
export function sessionProblem(run, steps) {
  const finished = events(run.stdout).findLast((e) => e.type === "session_finished");
  if (run.code !== 0 || finished?.status !== "completed") {
    const why = finished?.error ?? run.stderr.trim().split("\n").at(-1) ?? "";
    return `did not complete (exit ${run.code ?? run.signal}, status ${finished?.status ?? "none"}): ${why.slice(0, 300)}`;
  }
  if (finished.steps !== steps) return `completed in ${finished.steps} steps, expected ${steps}`;
  return undefined;
}

/** Time spent inside the tools (the test run, shell commands), as the CLI reported it. */
function toolTime(stdout) {
  return events(stdout)
    .filter((e) => e.type === "tool_finished")
    .reduce((ms, e) => ms + (e.durationMs ?? 0), 0);
}
