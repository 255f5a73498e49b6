/**
 * Fuzzy matching of a typed query against file paths (`@` completion): the query's characters
 * must appear in order. Matches score higher when they start at word boundaries, run
 * together, fall in the file name rather than its folders, and when the path is short —
 * so "vmod" finds src/tui/view-model.ts before src/very/long/module/path.ts.
 */
export function fuzzyScore(query: string, candidate: string): number | undefined {
  if (!query) return 1 / (1 + candidate.length);
  const q = query.toLowerCase();
  const c = candidate.toLowerCase();
  const base = c.lastIndexOf("/") + 1;
  let score = 0;
  let at = 0;
  let previous = -2;
  for (const ch of q) {
    const found = c.indexOf(ch, at);
    if (found < 0) return undefined;
    let points = 1;
    if (found === previous + 1) points += 4;
    const before = c[found - 1];
    if (found === 0 || before === "/" || before === "-" || before === "_" || before === ".") points += 3;
    if (found >= base) points += 2;
    score += points;
    previous = found;
    at = found + 1;
  }
  // A whole-name substring beats a scattered one.
  if (c.slice(base).includes(q)) score += q.length * 2;
  return score - candidate.length / 100;
}

/** The best `limit` candidates for a query, best first. */
export function fuzzyFilter(query: string, candidates: readonly string[], limit: number): string[] {
  const scored: { path: string; score: number }[] = [];
  for (const path of candidates) {
    const score = fuzzyScore(query, path);
    if (score !== undefined) scored.push({ path, score });
  }
  scored.sort((a, b) => b.score - a.score || a.path.localeCompare(b.path));
  return scored.slice(0, limit).map((s) => s.path);
}
