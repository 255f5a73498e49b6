// Benchmarks owned by other subsystems live in standalone scripts (bench/long-session.mjs,
// bench/team.mjs). Each prints ONE JSON object as its last stdout line (shape in
// bench/README.md); the runner folds its rows into the report.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";

const TIMEOUT_MS = 15 * 60_000;

/** Runs bench/<file>; returns rows tagged with `row: label`, or one "not available" row. */
export async function externalRows(root, file, label) {
  const script = path.join(root, "bench", file);
  if (!existsSync(script)) return { rows: [{ row: label, metric: "all", note: "not available yet" }] };
  const out = await run(script, root);
  const last = out.stdout.trim().split("\n").at(-1) ?? "";
  let parsed;
  try {
    parsed = JSON.parse(last);
  } catch {
    const why = out.code === 0 ? "its last line is not JSON" : `exit ${out.code}: ${out.stderr.trim().split("\n").at(-1) ?? ""}`;
    return { rows: [{ row: label, metric: "all", note: `failed (${why.slice(0, 160)})` }] };
  }
  const rows = Array.isArray(parsed?.rows) ? parsed.rows : [];
  if (!rows.length) return { rows: [{ row: label, metric: "all", note: "reported no rows" }] };
  return {
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
