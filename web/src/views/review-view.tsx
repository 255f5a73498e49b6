import { useEffect, useState } from "react";
import type { ReviewFindings } from "../../../src/protocol/schemas.js";
import { client, problem } from "../api.js";
import { Status } from "../components/status.js";
import { SEVERITIES } from "../state/team.js";
import type { LiveSession } from "../state/use-session.js";

/** A review: findings grouped by severity with the code excerpt and the suggested fix; SARIF and markdown downloads. */
export function ReviewView({ id, live }: { id: string; live: LiveSession }) {
  const { view, team } = live;
  const [error, setError] = useState<string>();
  const [excerpts, setExcerpts] = useState<ReviewFindings["findings"]>([]);
  // Excerpts come from the server (it reads the reviewed folder); fetched again as findings arrive.
  useEffect(() => {
    if (team.findings.length === 0) return;
    client
      .reviewFindings(id)
      .then(setExcerpts)
      .catch(() => undefined);
  }, [id, team.findings.length]);
  // The server's merged list (duplicates from several reviewers are one finding, as in the SARIF file); the raw events until it arrives.
  const shown = excerpts.length
    ? excerpts.map((x, n) => ({ finding: x.finding, by: x.finding.reportedBy.join(", "), key: `m${n}`, excerpt: x.excerpt }))
    : team.findings.map((f) => ({ ...f, excerpt: undefined as string | undefined }));
  const download = async (format: "sarif" | "md") => {
    try {
      const text = await client.reviewReport(id, format);
      const blob = new Blob([text], { type: format === "sarif" ? "application/sarif+json" : "text/markdown" });
      const url = URL.createObjectURL(blob);
      const a = document.createElement("a");
      a.href = url;
      a.download = format === "sarif" ? `review-${id}.sarif` : `review-${id}.md`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
    } catch (e) {
      setError(problem(e));
    }
  };
  const counts = SEVERITIES.map((s) => [s, shown.filter((f) => f.finding.severity === s).length] as const);
  return (
    <main className="session review">
      <header className="session-head">
        <div className="title">
          <a href="#/" className="back" aria-label="back to sessions">
            ←
          </a>
          <h1>Review of {view.cwd.split("/").pop()}</h1>
          <Status status={view.status} live />
        </div>
        <div className="row">
          <button type="button" onClick={() => void download("sarif")}>
            Download SARIF
          </button>
          <button type="button" onClick={() => void download("md")}>
            Download markdown
          </button>
        </div>
      </header>
      {error ? (
        <p className="error" role="alert">
          {error}
        </p>
      ) : null}
      <p className="sev-summary">
        <span className="sr-only">Findings by severity: </span>
        {counts.map(([s, n]) => (
          <span key={s} className={`sev ${s}`}>
            {s} <strong>{n}</strong>
          </span>
        ))}
      </p>
      <div className="findings">
        {shown.length === 0 ? <p className="empty">{view.status === "running" ? "Reviewers are reading the code…" : "No findings."}</p> : null}
        {SEVERITIES.map((severity) => {
          const of = shown.filter((f) => f.finding.severity === severity);
          if (!of.length) return null;
          return (
            <section key={severity} aria-label={`${severity} findings`}>
              <h2 className={`sev-title ${severity}`}>
                {severity} <span className="count">{of.length}</span>
              </h2>
              {of.map(({ finding: f, by, key, excerpt }) => (
                <article key={key} className={`card finding ${severity}`}>
                  <header>
                    <span className="eyebrow">
                      {f.category} · {by}
                    </span>
                    <h3>{f.title}</h3>
                    <div className="mono small muted">
                      {f.file}:{f.startLine}
                      {f.endLine !== f.startLine ? `–${f.endLine}` : ""}
                    </div>
                  </header>
                  <p>{f.explanation}</p>
                  <Excerpt text={excerpt} file={f.file} start={f.startLine} end={f.endLine} />
                  <div className="fix">
                    <span className="eyebrow">Suggested fix</span>
                    <pre className="code">{f.suggestedFix}</pre>
                  </div>
                </article>
              ))}
            </section>
          );
        })}
      </div>
    </main>
  );
}

/** The lines a finding points at (marked) with two lines around them. */
function Excerpt({ text, file, start, end }: { text: string | undefined; file: string; start: number; end: number }) {
  if (!text) return null;
  return (
    <pre className="code excerpt" title={`code from ${file}`}>
      {text.split("\n").map((line) => {
        const n = Number(line.slice(0, 4));
        return (
          <span key={n} className={n >= start && n <= end ? "hit" : undefined}>
            {line}
            {"\n"}
          </span>
        );
      })}
    </pre>
  );
}
