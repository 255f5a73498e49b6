import { CAUSE_LABELS, type Cause } from "./diagnose.js";
import type { EvalRow, RunRecord } from "./eval-store.js";
import type { Rating } from "./ratings.js";
import { costScatter, countBars, groupedBars, intervalBars } from "./report-svg.js";
import { type EvalSummary, summarize } from "./summary.js";

export interface ReportInput {
  evaluation: EvalRow;
  runs: RunRecord[];
  /** Pairwise ratings, when `eval compare` has judged this evaluation. */
  ratings?: Rating[];
}

const pct = (x: number) => `${(x * 100).toFixed(0)}%`;
const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** The plots of a report, shared by the HTML and the dashboard. */
export function reportPlots(summary: EvalSummary): { id: string; svg: string }[] {
  const models = summary.models.map((m) => m.model);
  const cell = (task: string, model: string) => summary.cells.find((c) => c.taskId === task && c.model === model);
  return [
    { id: "pass-rate", svg: intervalBars("Pass rate per model (95% Wilson interval)", summary.models.map((m) => ({ label: m.model, value: m.passRate, low: m.interval.low, high: m.interval.high }))) },
    { id: "cost", svg: costScatter("Cost against pass rate", summary.models.map((m) => ({ label: m.model, cost: m.meanCostUsd, passRate: m.passRate }))) },
    { id: "time", svg: groupedBars("Time per task (mean seconds per run)", summary.tasks.map(short), models, (t, m) => { const c = cell(summary.tasks.find((x) => short(x) === t)!, m); return c ? c.meanDurationMs / 1000 : undefined; }, "s") },
    { id: "causes", svg: countBars("Failure causes (self-diagnosis)", summary.causes.map((c) => ({ label: CAUSE_LABELS[c.cause], count: c.count }))) },
  ];
}

const short = (taskId: string) => taskId.split("/").slice(1).join("/") || taskId;

export function markdownReport({ evaluation, runs, ratings }: ReportInput): string {
  const s = summarize(runs, evaluation.models);
  const lines = [
    `# Evaluation ${evaluation.id}`,
    "",
    `Suite \`${evaluation.suite}\` (${s.tasks.length} tasks), ${evaluation.models.length} model(s), k = ${evaluation.k}, ${runs.length} runs.`,
    "",
    "| model | passed | pass rate (95% CI) | " + s.models[0]?.passAtK.map((p) => `pass@${p.k}`).join(" | ") + " | cost | mean time | mean steps | tokens in/out |",
    "|---|---|---|" + (s.models[0]?.passAtK.map(() => "---|").join("") ?? "") + "---|---|---|---|",
    ...s.models.map(
      (m) =>
        `| ${m.model} | ${m.passes}/${m.runs} | ${pct(m.passRate)} (${pct(m.interval.low)}–${pct(m.interval.high)}) | ${m.passAtK.map((p) => pct(p.value)).join(" | ")} | $${m.costUsd.toFixed(4)} | ${(m.meanDurationMs / 1000).toFixed(1)} s | ${m.meanSteps.toFixed(1)} | ${m.inputTokens}/${m.outputTokens} |`,
    ),
    "",
  ];
  if (ratings?.length) {
    lines.push("## Pairwise ratings (Bradley–Terry, as Elo; 95% bootstrap interval)", "", "| model | Elo | interval |", "|---|---|---|");
    for (const r of ratings) lines.push(`| ${r.model} | ${r.elo.toFixed(0)} | ${r.low.toFixed(0)}–${r.high.toFixed(0)} |`);
    lines.push("");
  }
  lines.push("## Failure causes", "");
  if (!s.causes.length) lines.push("No failed runs.");
  else for (const c of s.causes) lines.push(`- ${CAUSE_LABELS[c.cause]}: ${c.count}`);
  lines.push("", "## Tasks", "", `| task | ${evaluation.models.join(" | ")} |`, `|---|${evaluation.models.map(() => "---|").join("")}`);
  for (const t of s.tasks) lines.push(`| ${t} | ${evaluation.models.map((m) => { const c = s.cells.find((x) => x.taskId === t && x.model === m); return c ? `${c.passes}/${c.attempts}` : "–"; }).join(" | ")} |`);
  const failed = runs.filter((r) => !r.pass);
  if (failed.length) {
    lines.push("", "## Failed runs", "");
    for (const r of failed) {
      lines.push(`- **${r.taskId}** ${r.model}#${r.attempt} — ${r.cause ? CAUSE_LABELS[r.cause as Cause] : "undiagnosed"}${r.sessionId ? ` (session ${r.sessionId})` : ""}`);
      for (const e of r.evidence ?? []) lines.push(`  - \`${e.replace(/`/g, "'")}\``);
    }
  }
  return `${lines.join("\n")}\n`;
}

export function htmlReport({ evaluation, runs, ratings }: ReportInput): string {
  const s = summarize(runs, evaluation.models);
  const plots = reportPlots(s);
  const rows = s.models
    .map(
      (m) =>
        `<tr><td>${esc(m.model)}</td><td>${m.passes}/${m.runs}</td><td>${pct(m.passRate)} <small>(${pct(m.interval.low)}–${pct(m.interval.high)})</small></td>${m.passAtK.map((p) => `<td>${pct(p.value)}</td>`).join("")}<td>$${m.costUsd.toFixed(4)}</td><td>${(m.meanDurationMs / 1000).toFixed(1)} s</td><td>${m.meanSteps.toFixed(1)}</td></tr>`,
    )
    .join("");
  const ratingTable = ratings?.length
    ? `<h2>Pairwise ratings</h2><p>Bradley–Terry fit of blind judgements (both orders), shown as Elo with 95% bootstrap intervals.</p><table><tr><th>model</th><th>Elo</th><th>interval</th></tr>${ratings.map((r) => `<tr><td>${esc(r.model)}</td><td>${r.elo.toFixed(0)}</td><td>${r.low.toFixed(0)}–${r.high.toFixed(0)}</td></tr>`).join("")}</table>`
    : "";
  const failed = runs
    .filter((r) => !r.pass)
    .map((r) => `<li><b>${esc(r.taskId)}</b> ${esc(r.model)}#${r.attempt} — ${esc(r.cause ? CAUSE_LABELS[r.cause as Cause] : "undiagnosed")}<ul>${(r.evidence ?? []).map((e) => `<li><code>${esc(e)}</code></li>`).join("")}</ul></li>`)
    .join("");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Evaluation ${esc(evaluation.id)}</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:1000px;color:#111;padding:0 1rem}table{border-collapse:collapse;margin:1rem 0}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}th{background:#f3f4f6}figure{margin:1.5rem 0}svg{max-width:100%;height:auto}code{font-size:12px}</style></head>
<body><h1>Evaluation ${esc(evaluation.id)}</h1>
<p>Suite <b>${esc(evaluation.suite)}</b>: ${s.tasks.length} tasks, ${evaluation.models.length} model(s), k = ${evaluation.k}, ${runs.length} runs.</p>
<table><tr><th>model</th><th>passed</th><th>pass rate (95% CI)</th>${s.models[0]?.passAtK.map((p) => `<th>pass@${p.k}</th>`).join("") ?? ""}<th>cost</th><th>mean time</th><th>mean steps</th></tr>${rows}</table>
${ratingTable}
${plots.map((p) => `<figure id="${p.id}">${p.svg}</figure>`).join("\n")}
<h2>Failed runs</h2>${failed ? `<ul>${failed}</ul>` : "<p>None.</p>"}
</body></html>
`;
}
