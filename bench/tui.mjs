// The terminal UI's first frame: the time from starting `colleague` (the built CLI, no
// command) to the input box on screen, seen through tmux as a person would see it. Measured
// in the same rounds: bare `node -e 0` (spawned directly) and the tmux floor (a bare node that
// prints the prompt text, found the same way), so what the TUI adds is the difference.
// Prints one JSON object as its last line, like bench/loop.mjs. Flags: --runs N (default 7).
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";

const { values } = parseArgs({ options: { runs: { type: "string" } } });
const RUNS = Number(values.runs ?? 7);
const ROOT = path.resolve(new URL("..", import.meta.url).pathname);
const BIN = path.join(ROOT, "bin/colleague.js");
/** What the input box's hint line says once the first frame is drawn. */
const PROMPT = "enter send";
/**
 * What the status line says once Ink has drawn the real UI. The first frame may be the early
 * frame (bin/early-frame.js), drawn before the bundle loads; this is when the TUI itself is up.
 */
const READY = "· idle";
const TIMEOUT_MS = 30_000;

if (spawnSync("tmux", ["-V"]).status !== 0) {
  console.log(JSON.stringify({ name: "tui", skipped: "tmux is not installed" }));
  process.exit(0);
}

const work = mkdtempSync(path.join(os.tmpdir(), "colleague-bench-tui-"));
const home = path.join(work, "home");
writeFileSync(path.join(work, "scenario.json"), JSON.stringify({ steps: [{ text: "ok" }] }));
const env = { ...process.env, TERM: "xterm-256color", COLLEAGUE_HOME: home };
// Ink draws no live frames under CI (is-in-ci); the bench measures what a person sees.
delete env.CI;
for (const k of Object.keys(env)) if (/^(ANTHROPIC|OPENAI|COMPATIBLE)_/.test(k)) delete env[k];

const socket = `colleague-bench-${process.pid}`;
const tmux = (...args) => execFileSync("tmux", ["-L", socket, ...args], { encoding: "utf8", env, cwd: work });
// One server for every run, so its start-up is not counted.
tmux("new-session", "-d", "-s", "bench", "-x", "100", "-y", "30", "sleep 3600");

/**
 * Starts `command` in a new window and polls the screen until `PROMPT` shows: milliseconds.
 * With `ready`, polls on until that text shows too and returns both times.
 */
function firstFrame(command, ready) {
  const started = performance.now();
  const window = tmux("new-window", "-d", "-P", "-F", "#{window_id}", "-t", "bench:", `${command}; sleep 60`).trim();
  let first;
  try {
    while (performance.now() - started < TIMEOUT_MS) {
      const screen = tmux("capture-pane", "-p", "-t", window);
      if (first === undefined && screen.includes(PROMPT)) first = performance.now() - started;
      if (first !== undefined && !ready) return first;
      if (first !== undefined && screen.includes(ready)) return { first, ready: performance.now() - started };
    }
    throw new Error(`no ${first === undefined ? "first frame" : "ready UI"} within ${TIMEOUT_MS} ms: ${command}`);
  } finally {
    tmux("kill-window", "-t", window);
  }
}

function bareNode() {
  const started = performance.now();
  const run = spawnSync(process.execPath, ["-e", "0"], { env });
  if (run.status !== 0) throw new Error("node -e 0 failed");
  return performance.now() - started;
}

const node = JSON.stringify(process.execPath);
const cases = {
  "bare node (`node -e 0`, spawned)": bareNode,
  "tmux floor (bare node printing the prompt, seen in tmux)": () => firstFrame(`${node} -e "process.stdout.write('${PROMPT}')"`),
  "TUI first frame (`colleague`, start to input box, seen in tmux)": () => firstFrame(`${node} ${JSON.stringify(BIN)} --model scripted:scenario.json`, READY),
};
const READY_ROW = "TUI ready (Ink's own frame: the status line drawn)";

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return { median: Math.round(s[Math.floor(s.length / 2)]), min: Math.round(s[0]), max: Math.round(s.at(-1)), n: s.length };
};

try {
  for (const run of Object.values(cases)) run(); // warm-up: file cache, the store's first creation
  const times = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
  // Rounds interleave the cases, so load from other processes spreads evenly over them.
  times[READY_ROW] = [];
  for (let i = 0; i < RUNS; i++) {
    for (const [name, run] of Object.entries(cases)) {
      const t = run();
      times[name].push(typeof t === "number" ? t : t.first);
      if (typeof t !== "number") times[READY_ROW].push(t.ready);
    }
  }
  console.log(JSON.stringify({ name: "tui", rows: Object.entries(times).map(([metric, xs]) => ({ metric, unit: "ms", ...stats(xs), ...(metric.startsWith("TUI first frame") ? { target: { max: 300, goal: "TUI first frame (issue 19)" } } : {}) })) }));
} finally {
  spawnSync("tmux", ["-L", socket, "kill-server"]);
  rmSync(work, { recursive: true, force: true });
}
