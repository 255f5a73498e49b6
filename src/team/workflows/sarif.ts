import { createHash } from "node:crypto";
import { pathToFileURL } from "node:url";
import type { MergedFinding } from "./findings.js";

const LEVEL = { critical: "error", high: "error", medium: "warning", low: "note", info: "note" } as const;

/**
 * The findings as a SARIF 2.1.0 log: one run, one rule per category, one result per merged
 * finding with its region, the explanation and the suggested fix in the message, a stable
 * fingerprint, and who reported it in `properties`.
 */
export function toSarif(findings: MergedFinding[], options: { root: string; version: string }): Record<string, unknown> {
  const categories = [...new Set(findings.map((f) => f.category))].sort();
  return {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "colleague-review",
            version: options.version,
            informationUri: "https://github.com/colleague-dev/colleague",
            rules: categories.map((c) => ({
              id: c,
              name: c.replace(/(^|[-_ ])(\w)/g, (_m, _s, ch: string) => ch.toUpperCase()),
              shortDescription: { text: `${c} finding from a colleague reviewer` },
            })),
          },
        },
        originalUriBaseIds: { SRCROOT: { uri: `${pathToFileURL(options.root).href.replace(/\/?$/, "/")}` } },
        results: findings.map((f) => ({
          ruleId: f.category,
          ruleIndex: categories.indexOf(f.category),
          level: LEVEL[f.severity],
          message: { text: `${f.title}\n\n${f.explanation}\n\nSuggested fix: ${f.suggestedFix}` },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: f.file, uriBaseId: "SRCROOT" },
                region: { startLine: f.startLine, endLine: Math.max(f.startLine, f.endLine) },
              },
            },
          ],
          partialFingerprints: { "colleagueFinding/v1": fingerprint(f) },
          properties: { severity: f.severity, reportedBy: f.reportedBy, suggestedFix: f.suggestedFix },
        })),
      },
    ],
  };
}

function fingerprint(f: MergedFinding): string {
  return createHash("sha256").update(`${f.file}\n${f.category}\n${f.title}`).digest("hex").slice(0, 32);
}
