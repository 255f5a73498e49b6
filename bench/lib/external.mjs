// Benchmarks owned by other subsystems live in standalone scripts (bench/long-session.mjs,
// bench/team.mjs). Each prints ONE JSON object as its last stdout line (shape in
// bench/README.md); the runner folds its rows into the report. A script that exits non-zero,
// says `ok: false`, or prints no JSON failed: its rows are reported as failed, never as figures.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";

const TIMEOUT_MS = 15 * 60_000;

/**
 * Runs bench/<file>; returns rows tagged with `row: label` and `failed: true` when the script did
 * not run to completion (then its only row says why), or one "not available" row.
 */
export async function externalRows(root, file, label) {
  const script = path.join(root, "bench", file);
  if (!existsSync(script)) return { rows: [{ row: label, metric: "all", note: "not available yet" }], failed: false };
  const out = await run(script, root);
  const last = out.stdout.trim().split("\n").at(-1) ?? "";
  const lastErr = out.stderr.trim().split("\n").at(-1) ?? "";
  let parsed;
  try {
    parsed = JSON.parse(last);
  } catch {
    parsed = undefined;
  }
  const problems = [
    ...(out.code !== 0 ? [`exit ${out.code ?? "by signal"}${lastErr ? `: ${lastErr}` : ""}`] : []),
    ...(parsed === undefined ? ["its last line is not JSON"] : []),
    ...(Array.isArray(parsed?.problems) ? parsed.problems.map(String) : []),
    ...(parsed !== undefined && parsed.ok === false && !parsed.problems?.length ? ["it reported ok: false"] : []),
  ];
  if (problems.length) return failed(label, problems, parsed);
  const rows = Array.isArray(parsed?.rows) ? parsed.rows : [];
  if (!rows.length) return failed(label, ["reported no rows"], parsed);
  return {
    failed: false,
    rows: rows.map((r) => ({
      row: label,
      metric: String(r.metric),
      median: num(r.median),
      min: num(r.min ?? r.median),
      max: num(r.max ?? r.median),
      unit: String(r.unit ?? ""),
      ...(r.n !== undefined ? { n: r.n } : {}),
      ...(r.target ? { target: r.target } : {}),
      ...(r.note ? { note: String(r.note) } : {}),
    })),
    raw: parsed,
  };
}

function failed(label, problems, raw) {
  const note = `failed, not measured (${problems.join("; ").slice(0, 240)})`;
  return { rows: [{ row: label, metric: "all", note, failed: 1 }], failed: true, ...(raw !== undefined ? { raw } : {}) };
}

const num = (v) => (typeof v === "number" && Number.isFinite(v) ? v : undefined);

function run(script, cwd) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [script], { cwd, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), TIMEOUT_MS);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
