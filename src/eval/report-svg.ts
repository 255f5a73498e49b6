/**
 * The report's plots as SVG strings, drawn here so the HTML is self-contained (no script, no
 * network). Every plot has a <title> and text labels, so it reads without colour too.
 */
const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const PALETTE = ["#2563eb", "#dc2626", "#16a34a", "#9333ea", "#ea580c", "#0891b2", "#4d7c0f", "#be185d"];
export const colour = (i: number) => PALETTE[i % PALETTE.length]!;

function frame(title: string, width: number, height: number, body: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${esc(title)}" font-family="system-ui, sans-serif" font-size="12"><title>${esc(title)}</title>${body}</svg>`;
}

/** Horizontal bars with interval whiskers, values in [0, 1]. */
export function intervalBars(title: string, rows: { label: string; value: number; low: number; high: number }[]): string {
  const left = 200;
  const plot = 440;
  const rowH = 30;
  const height = 40 + rows.length * rowH + 30;
  const x = (v: number) => left + v * plot;
  let body = `<text x="10" y="20" font-weight="bold">${esc(title)}</text>`;
  for (const t of [0, 0.25, 0.5, 0.75, 1]) body += `<line x1="${x(t)}" x2="${x(t)}" y1="30" y2="${height - 25}" stroke="#ddd"/><text x="${x(t)}" y="${height - 10}" text-anchor="middle" fill="#555">${t * 100}%</text>`;
  rows.forEach((r, i) => {
    const y = 40 + i * rowH;
    body += `<text x="${left - 8}" y="${y + 15}" text-anchor="end">${esc(r.label)}</text>`;
    body += `<rect x="${left}" y="${y + 4}" width="${Math.max(1, r.value * plot)}" height="16" fill="${colour(i)}" opacity="0.75"/>`;
    body += `<line x1="${x(r.low)}" x2="${x(r.high)}" y1="${y + 12}" y2="${y + 12}" stroke="#111" stroke-width="2"/>`;
    body += `<line x1="${x(r.low)}" x2="${x(r.low)}" y1="${y + 6}" y2="${y + 18}" stroke="#111"/><line x1="${x(r.high)}" x2="${x(r.high)}" y1="${y + 6}" y2="${y + 18}" stroke="#111"/>`;
    body += `<text x="${Math.min(x(r.high) + 6, left + plot + 4)}" y="${y + 16}" fill="#111">${(r.value * 100).toFixed(0)}%</text>`;
  });
  return frame(title, left + plot + 60, height, body);
}

/** One point per model: mean cost per run (x) against pass rate (y). */
export function costScatter(title: string, points: { label: string; cost: number; passRate: number }[]): string {
  const [w, h, l, b] = [640, 300, 60, 40];
  const maxCost = Math.max(1e-6, ...points.map((p) => p.cost)) * 1.15;
  const x = (c: number) => l + (c / maxCost) * (w - l - 20);
  const y = (p: number) => h - b - p * (h - b - 30);
  let body = `<text x="10" y="20" font-weight="bold">${esc(title)}</text>`;
  for (const t of [0, 0.5, 1]) body += `<line x1="${l}" x2="${w - 20}" y1="${y(t)}" y2="${y(t)}" stroke="#ddd"/><text x="${l - 6}" y="${y(t) + 4}" text-anchor="end" fill="#555">${t * 100}%</text>`;
  // The end labels align inward, so neither is cut off by the plot's edge.
  const anchor = (t: number) => (t === 0 ? "start" : t === 1 ? "end" : "middle");
  for (const t of [0, 0.5, 1]) body += `<text x="${x(t * maxCost)}" y="${h - 18}" text-anchor="${anchor(t)}" fill="#555">$${(t * maxCost).toFixed(4)}</text>`;
  body += `<text x="${(w + l) / 2}" y="${h - 2}" text-anchor="middle" fill="#333">mean cost per run (USD)</text>`;
  points.forEach((p, i) => {
    const nearRight = x(p.cost) > w * 0.6;
    body += `<circle cx="${x(p.cost)}" cy="${y(p.passRate)}" r="7" fill="${colour(i)}"/><text x="${x(p.cost) + (nearRight ? -10 : 10)}" y="${y(p.passRate) - 8}" text-anchor="${nearRight ? "end" : "start"}">${esc(p.label)}</text>`;
  });
  return frame(title, w, h, body);
}

/** Grouped horizontal bars: a value per (row, series), e.g. seconds per task per model. */
export function groupedBars(title: string, rows: string[], series: string[], value: (row: string, s: string) => number | undefined, unit: string): string {
  const left = 220;
  const plot = 400;
  const barH = 10;
  const groupH = series.length * barH + 8;
  const height = 50 + rows.length * groupH + 20;
  const max = Math.max(1e-9, ...rows.flatMap((r) => series.map((s) => value(r, s) ?? 0)));
  let body = `<text x="10" y="20" font-weight="bold">${esc(title)}</text>`;
  series.forEach((s, i) => {
    const lx = 10 + i * 230;
    body += `<rect x="${lx}" y="28" width="10" height="10" fill="${colour(i)}"/><text x="${lx + 14}" y="37">${esc(s)}</text>`;
  });
  rows.forEach((r, ri) => {
    const y = 50 + ri * groupH;
    body += `<text x="${left - 8}" y="${y + groupH / 2 + 2}" text-anchor="end">${esc(r)}</text>`;
    series.forEach((s, si) => {
      const v = value(r, s);
      if (v === undefined) return;
      body += `<rect x="${left}" y="${y + si * barH}" width="${Math.max(1, (v / max) * plot)}" height="${barH - 1}" fill="${colour(si)}"><title>${esc(`${r} · ${s}: ${v.toFixed(1)} ${unit}`)}</title></rect>`;
    });
  });
  body += `<text x="${left + plot}" y="${height - 4}" text-anchor="end" fill="#555">longest: ${max.toFixed(1)} ${unit}</text>`;
  return frame(title, left + plot + 40, height, body);
}

/** Plain horizontal bars of counts. */
export function countBars(title: string, rows: { label: string; count: number }[]): string {
  if (!rows.length) return frame(title, 640, 60, `<text x="10" y="20" font-weight="bold">${esc(title)}</text><text x="10" y="44" fill="#555">No failed runs.</text>`);
  const left = 280;
  const plot = 320;
  const height = 40 + rows.length * 26 + 10;
  const max = Math.max(...rows.map((r) => r.count));
  let body = `<text x="10" y="20" font-weight="bold">${esc(title)}</text>`;
  rows.forEach((r, i) => {
    const y = 36 + i * 26;
    body += `<text x="${left - 8}" y="${y + 14}" text-anchor="end">${esc(r.label)}</text><rect x="${left}" y="${y + 2}" width="${(r.count / max) * plot}" height="16" fill="#b45309"/><text x="${left + (r.count / max) * plot + 6}" y="${y + 15}">${r.count}</text>`;
  });
  return frame(title, left + plot + 50, height, body);
}
