import { tokens } from "../format.js";

/** Context used of the model's window, with the compactions so far. */
export function ContextGauge({ used, window, compactions }: { used: number; window: number; compactions: number }) {
  const share = window > 0 ? Math.min(1, used / window) : 0;
  const tone = share > 0.85 ? "bad" : share > 0.6 ? "warn" : "ok";
  return (
    <div className="gauge">
      <div className="gauge-head">
        <span>Context</span>
        <span className="num">
          {tokens(used)} / {tokens(window)} · {Math.round(share * 100)}%
        </span>
      </div>
      {/* biome-ignore lint/a11y/useSemanticElements: a <meter> cannot be styled alike in every browser; the role carries the same meaning */}
      <div className="bar" role="meter" aria-label="context used" aria-valuemin={0} aria-valuemax={window} aria-valuenow={used}>
        <div className={`fill ${tone}`} style={{ width: `${share * 100}%` }} />
      </div>
      <div className="muted small">{compactions ? `${compactions} compaction${compactions > 1 ? "s" : ""}` : "no compaction yet"}</div>
    </div>
  );
}
