// Turns the measured rows into bench/results/latest.{md,json}: figures, targets met or
// missed, the machine, and the peers' published figures for comparison.
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

/**
 * The targets (medians on this machine). `row`/`metric` name a measured row. Issue 19's goals
 * replace issue 7's where both speak of the same figure; the ratios (`÷ bare node`, `above the
 * bare command`) are taken from rows measured in the same rounds, so they survive a loaded machine.
 */
export const TARGETS = [
  { row: "hello", metric: "wall", max: 250, unit: "ms", goal: "start → answer, no tools (issue 19)" },
  { row: "hello ÷ bare node", metric: "wall ratio", max: 2, unit: "×", goal: "start → answer ≤ 2× `node -e 0` (issue 19)" },
  { row: "session10", metric: "wall", max: 550, unit: "ms", goal: "8-tool-call session (issue 19)" },
  { row: "session10", metric: "peak RSS", max: 80, unit: "MB", goal: "8-tool-call session (issue 19)" },
  { row: "session10", metric: "request bytes, total", max: 150, unit: "KB", goal: "issue 7" },
  { row: "session10", metric: "request bytes, first", max: 15, unit: "KB", goal: "issue 7" },
  { row: "--version", metric: "wall", max: 150, unit: "ms", goal: "issue 7" },
  { row: "per extra step", metric: "wall", max: 20, unit: "ms", goal: "issue 7" },
  { row: "per extra step", metric: "wall above the bare command", max: 15, unit: "ms", goal: "sandboxed shell step (issue 19)" },
];

/** Published figures for the same 10-step session (shared/reference/provider-apis.md). */
const PEER_HEADER = `| CLI | session10 wall s | peak RSS MB | requests | bytes sent, whole session | first request | start-up, no tools | per extra step |
|---|---|---|---|---|---|---|---|`;
const PEERS = `| Codex CLI 0.169 (native) | 1.43 | 149 | 9 | 361 KB | 37 KB | 0.40 s | ~120 ms |
| Claude Code 2.1.332 (native) | 2.28 | 227 | 9 | 460 KB | 49 KB | 1.05 s | ~170 ms |
| opencode 1.18.33 | 14.2 | 578 | 10 | 292 KB | 30 KB | 7.8 s | ~580 ms |
| an 80-line bare agent (floor) | 0.45 | 83 | 9 | 25 KB | 1 KB | 0.38 s ("bare Node") | ~10 ms |`;

/** colleague's own line for the peers' table, from this run's medians. */
function ownPeerLine(rows) {
  const m = (row, metric) => rows.find((r) => r.row === row && r.metric === metric)?.median;
  const v = (x, f) => (x === undefined ? "–" : f(x));
  const s = (ms) => (ms / 1000).toFixed(2);
  const bare = m("bare node", "wall");
  return `| **colleague (this run)** | ${v(m("session10", "wall"), s)} | ${v(m("session10", "peak RSS"), (x) => x.toFixed(0))} | ${v(m("session10", "requests"), String)} | ${v(m("session10", "request bytes, total"), (x) => `${x.toFixed(0)} KB`)} | ${v(m("session10", "request bytes, first"), (x) => `${x.toFixed(1)} KB`)} | ${v(m("hello", "wall"), (x) => `${s(x)} s`)}${bare === undefined ? "" : ` (node -e 0: ${s(bare)} s)`} | ${v(m("per extra step", "wall"), (x) => `${x.toFixed(0)} ms`)} |`;
}

export function machine() {
  const cpus = os.cpus();
  return {
    cores: cpus.length,
    cpu: cpus[0]?.model ?? "unknown",
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.type()} ${os.release()}`,
    loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
    date: new Date().toISOString(),
  };
}

/**
 * Marks each target met / missed / failed / not measured against the rows. A row any of whose
 * runs did not complete is `failed`: a figure from the runs that did is not evidence of the target.
 */
export function checkTargets(rows) {
  return TARGETS.map((t) => {
    const failedRow = rows.find((r) => r.row === t.row && (r.metric === t.metric || r.metric === "all") && r.failed);
    const row = rows.find((r) => r.row === t.row && r.metric === t.metric && r.median !== undefined);
    if (failedRow) return { ...t, status: "failed" };
    const status = row ? (row.median <= t.max ? "met" : "missed") : "not measured";
    return { ...t, ...(row ? { median: row.median } : {}), status };
  }).concat(externalTargets(rows));
}

/** Rows from the standalone scripts may carry their own `target: {max}`. */
function externalTargets(rows) {
  return rows
    .filter((r) => r.target && typeof r.target.max === "number")
    .map((r) => {
      const base = { row: r.row, metric: r.metric, max: r.target.max, unit: r.unit, ...(r.target.goal ? { goal: r.target.goal } : {}) };
      if (r.failed || r.median === undefined) return { ...base, status: "failed" };
      return { ...base, median: r.median, status: r.median <= r.target.max ? "met" : "missed" };
    });
}

const fmt = (v, unit) => {
  if (v === undefined || v === null || Number.isNaN(v)) return "–";
  if (unit === "ms") return v >= 100 ? v.toFixed(0) : v.toFixed(1);
  if (unit === "KB" || unit === "MB") return v.toFixed(1);
  return Number.isInteger(v) ? String(v) : v.toFixed(2);
};

export function markdown({ machine: m, runs, rows, targets, notes }) {
  const lines = [
    "# colleague benchmark",
    "",
    `${m.date} · ${m.cores} cores (${m.cpu}) · ${m.memoryGb} GB · Node ${m.node} · ${m.platform} · load average at start ${m.loadAverage.join(" / ")}`,
    "",
    `Medians of ${runs} runs after a warm-up (min – max beside them). The model side is a local fake server answering instantly in the real wire format; every figure is the harness's own cost plus its tools' (\`tool time\` shows the tools' share). \`bare node\` (\`node -e 0\`) is measured in the same rounds: on a loaded machine every row rises with it. Regenerate with \`npm run bench\`.`,
    "",
    "## Targets",
    "",
    "| goal | row | metric | target | median | status | CPU median (user + system, children included: roughly the wall time on an idle machine) |",
    "|---|---|---|---|---|---|---|",
    ...targets.map((t) => {
      const cpu = t.metric === "wall" ? rows.find((r) => r.row === t.row && r.metric === "CPU")?.median : undefined;
      const status = t.status === "met" ? "met" : t.status === "missed" || t.status === "failed" ? `**${t.status}**` : t.status;
      return `| ${t.goal ?? ""} | ${t.row} | ${t.metric} | ≤ ${t.max} ${t.unit} | ${fmt(t.median, t.unit)} ${t.median !== undefined ? t.unit : ""} | ${status} | ${cpu === undefined ? "" : `${fmt(cpu, "ms")} ms`} |`;
    }),
    "",
    "## All rows",
    "",
    "| row | metric | median | min | max | unit | runs |",
    "|---|---|---|---|---|---|---|",
    ...rows.map((r) =>
      r.median === undefined
        ? `| ${r.row} | ${r.metric} | ${r.note ?? "not available"} | | | | ${r.failed ? `${r.failed} failed` : ""} |`
        : `| ${r.row} | ${r.metric} | ${fmt(r.median, r.unit)} | ${fmt(r.min, r.unit)} | ${fmt(r.max, r.unit)} | ${r.unit} | ${r.n ?? ""}${r.failed ? `, ${r.failed} failed` : ""} |`,
    ),
    "",
    ...(notes.length ? ["## Notes", "", ...notes.map((n) => `- ${n}`), ""] : []),
    "## Beside the peers (their figures from shared/reference/provider-apis.md, measured on this kind of machine)",
    "",
    PEER_HEADER,
    ownPeerLine(rows),
    PEERS,
    "",
  ];
  return lines.join("\n");
}

export function writeResults(dir, result) {
  mkdirSync(dir, { recursive: true });
  const md = markdown(result);
  writeFileSync(path.join(dir, "latest.md"), md);
  writeFileSync(path.join(dir, "latest.json"), `${JSON.stringify(result, null, 2)}\n`);
  return md;
}
