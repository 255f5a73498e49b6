import type { MergedFinding } from "./findings.js";

/** review.md: a summary table, then each finding with its explanation and suggested fix. */
export function toMarkdown(findings: MergedFinding[], info: { path: string; focus: string[]; reviewers: number; tasks: string }): string {
  const lines = [
    "# Code review",
    "",
    `Reviewed \`${info.path}\` with ${info.reviewers} reviewer(s), focus: ${info.focus.join(", ")}. Tasks: ${info.tasks}.`,
    "",
  ];
  if (!findings.length) return [...lines, "No findings.", ""].join("\n");
  const counts = new Map<string, number>();
  for (const f of findings) counts.set(f.severity, (counts.get(f.severity) ?? 0) + 1);
  lines.push(`${findings.length} finding(s): ${[...counts].map(([s, n]) => `${n} ${s}`).join(", ")}.`, "");
  lines.push("| # | severity | category | location | finding |", "|---|---|---|---|---|");
  for (const [i, f] of findings.entries()) {
    lines.push(`| ${i + 1} | ${f.severity} | ${f.category} | \`${f.file}:${f.startLine}-${f.endLine}\` | ${f.title.replace(/\|/g, "\\|")} |`);
  }
  findings.forEach((f, i) => {
    lines.push(
      "",
      `## ${i + 1}. ${f.title}`,
      "",
      `**${f.severity}** · ${f.category} · \`${f.file}\` lines ${f.startLine}–${f.endLine} · reported by ${f.reportedBy.join(", ")}`,
      "",
      f.explanation,
      "",
      `**Suggested fix:** ${f.suggestedFix}`,
    );
  });
  return `${lines.join("\n")}\n`;
}
