import type { Finding } from "../../agent/team-events.js";

export interface MergedFinding extends Finding {
  /** Reviewers who reported it (duplicates merged). */
  reportedBy: string[];
}

const SEVERITY_RANK: Record<Finding["severity"], number> = { critical: 4, high: 3, medium: 2, low: 1, info: 0 };

const words = (s: string) => new Set(s.toLowerCase().split(/[^a-z0-9]+/).filter((w) => w.length >= 3));

function similar(a: string, b: string): boolean {
  const x = words(a);
  const y = words(b);
  const shared = [...x].filter((w) => y.has(w)).length;
  return shared / Math.max(1, Math.min(x.size, y.size)) >= 0.5;
}

const normalizePath = (file: string) => file.replace(/\\/g, "/").replace(/^(\.\/)+/, "");

/**
 * Merges duplicate reports: the same file, overlapping lines, and the same category or a
 * similar title count as one finding. The merged finding keeps the higher severity and the
 * first report's text, and lists everyone who reported it. Sorted by severity, file, line.
 */
export function mergeFindings(reports: { finding: Finding; by: string }[]): MergedFinding[] {
  const merged: MergedFinding[] = [];
  for (const { finding, by } of reports) {
    const f = { ...finding, file: normalizePath(finding.file) };
    const same = merged.find(
      (m) =>
        m.file === f.file &&
        m.startLine <= f.endLine &&
        f.startLine <= m.endLine &&
        (m.category === f.category || similar(m.title, f.title)),
    );
    if (!same) {
      merged.push({ ...f, reportedBy: [by] });
      continue;
    }
    const reportedBy = same.reportedBy.includes(by) ? same.reportedBy : [...same.reportedBy, by];
    // The more severe report's text and lines win; ties keep the first.
    if (SEVERITY_RANK[f.severity] > SEVERITY_RANK[same.severity]) Object.assign(same, f);
    same.reportedBy = reportedBy;
  }
  for (const m of merged) m.reportedBy.sort();
  return merged.sort(
    (a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || a.file.localeCompare(b.file) || a.startLine - b.startLine,
  );
}
