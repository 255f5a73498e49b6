import type { Point } from "../state/transcript.js";
import { money, tokens } from "../format.js";

/**
 * Cost and tokens over the steps as a tiny SVG (no chart library): cost as a line, tokens as
 * bars, compactions as dashed rules.
 */
export function CostPlot({ series, compactions }: { series: Point[]; compactions: number[] }) {
  const w = 280;
  const h = 96;
  const pad = 4;
  if (series.length === 0) return <div className="plot muted small">Cost and tokens appear after the first step.</div>;
  const maxCost = Math.max(...series.map((p) => p.costUsd), 1e-9);
  const maxTokens = Math.max(...series.map((p) => p.tokens), 1);
  const maxStep = Math.max(series.at(-1)!.step, 1);
  const x = (step: number) => pad + ((w - 2 * pad) * (step - (series.length === 1 ? 0 : series[0]!.step))) / Math.max(1, maxStep - (series.length === 1 ? 0 : series[0]!.step));
  const y = (v: number, max: number) => h - pad - ((h - 2 * pad) * v) / max;
  const barW = Math.max(2, (w - 2 * pad) / (series.length * 1.6));
  const line = series.map((p, i) => `${i ? "L" : "M"}${x(p.step).toFixed(1)},${y(p.costUsd, maxCost).toFixed(1)}`).join(" ");
  const last = series.at(-1)!;
  return (
    <figure className="plot">
      <figcaption>
        <span>Cost and tokens</span>
        <span className="num">
          {money(last.costUsd)} · {tokens(last.tokens)} tok
        </span>
      </figcaption>
      <svg viewBox={`0 0 ${w} ${h}`} role="img" aria-label={`cost ${money(last.costUsd)} and ${tokens(last.tokens)} tokens after ${series.length} steps`}>
        {series.map((p) => (
          <rect key={p.step} className="bar-tokens" x={x(p.step) - barW / 2} y={y(p.tokens, maxTokens)} width={barW} height={h - pad - y(p.tokens, maxTokens)} rx={1} />
        ))}
        {compactions.map((step) => (
          <line key={`c${step}`} className="compaction" x1={x(step)} x2={x(step)} y1={pad} y2={h - pad} />
        ))}
        <path className="line-cost" d={line} fill="none" />
      </svg>
      <div className="legend small muted">
        <span className="key cost" aria-hidden="true" /> cost <span className="key tok" aria-hidden="true" /> tokens
        {compactions.length ? (
          <>
            {" "}
            <span className="key cmp" aria-hidden="true" /> compaction
          </>
        ) : null}
      </div>
    </figure>
  );
}
