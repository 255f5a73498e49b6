import { useEffect, useState } from "react";
import { problem, reportAuth } from "../api.js";
import { ago, duration, money } from "../format.js";

// The shapes of GET /evals and /evals/:id (src/server/evals.ts), as far as this page reads them.
interface EvalRow {
  id: string;
  suite: string;
  models: string[];
  k: number;
  createdAt: string;
}

interface ModelSummary {
  model: string;
  runs: number;
  passes: number;
  passRate: number;
  interval: { low: number; high: number };
  passAtK: { k: number; value: number }[];
  costUsd: number;
  meanDurationMs: number;
  meanSteps: number;
}

interface Rating {
  model: string;
  elo: number;
  low: number;
  high: number;
}

interface EvalListItem extends EvalRow {
  runs: number;
  passes: number;
}

interface EvalRunRow {
  taskId: string;
  model: string;
  attempt: number;
  pass: boolean;
  status: string;
  steps: number;
  costUsd: number;
  durationMs: number;
  cause?: string;
  reason: string;
  sessionId?: string;
}

interface EvalReport {
  evaluation: EvalRow;
  summary: { models: ModelSummary[] };
  plots: { id: string; svg: string }[];
  ratings: Rating[];
  runs: EvalRunRow[];
}

/** A GET of the evaluation routes with the sign-in cookie; a 401 shows the sign-in form. */
async function getJson<T>(path: string): Promise<T> {
  const response = await fetch(path, { credentials: "same-origin" });
  if (response.status === 401) reportAuth(false);
  const body = (await response.json().catch(() => undefined)) as ({ error?: { message: string } } & T) | undefined;
  if (!response.ok) throw new Error(body?.error?.message ?? `${path}: HTTP ${response.status}`);
  return body as T;
}

/** Polls `path` every few seconds (an evaluation that workers run fills in as they record runs). */
function usePolled<T>(path: string): { data?: T; error?: string } {
  const [state, setState] = useState<{ data?: T; error?: string }>({});
  useEffect(() => {
    let stale = false;
    const load = () =>
      getJson<T>(path)
        .then((data) => !stale && setState({ data }))
        .catch((e) => !stale && setState((s) => ({ ...s, error: problem(e) })));
    void load();
    const refresh = setInterval(load, 5000);
    return () => {
      stale = true;
      clearInterval(refresh);
    };
  }, [path]);
  return state;
}

const pct = (x: number) => `${(x * 100).toFixed(0)}%`;

/** Every evaluation in the store, newest first. */
export function EvalsList() {
  const { data, error } = usePolled<{ evals: EvalListItem[] }>("/evals");
  return (
    <main className="page">
      <div className="page-head">
        <div>
          <h1>Evaluations</h1>
          <p className="muted">{data ? `${data.evals.length} evaluation${data.evals.length === 1 ? "" : "s"}` : "Loading…"} · colleague eval run &lt;suite&gt;</p>
        </div>
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {data && (
        <div className="table-wrap">
          <table aria-label="evaluations">
            <thead>
              <tr>
                <th>Evaluation</th>
                <th>Suite</th>
                <th>Models</th>
                <th>Runs</th>
                <th>Passed</th>
                <th>Started</th>
              </tr>
            </thead>
            <tbody>
              {data.evals.map((e) => (
                <tr key={e.id}>
                  <td>
                    <a href={`#/evals/${encodeURIComponent(e.id)}`}>{e.id}</a>
                  </td>
                  <td>{e.suite}</td>
                  <td>{e.models.join(", ")}</td>
                  <td>{e.runs}</td>
                  <td>{e.runs ? pct(e.passes / e.runs) : "–"}</td>
                  <td>{ago(e.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </main>
  );
}

/** One evaluation's report: the plots of `colleague eval report`, the models, causes, ratings and runs. */
export function EvalReportView({ id }: { id: string }) {
  const { data, error } = usePolled<EvalReport>(`/evals/${encodeURIComponent(id)}`);
  if (!data)
    return (
      <main className="page">
        {error ? (
          <p className="error" role="alert">
            {error}
          </p>
        ) : (
          <p className="muted">Loading…</p>
        )}
        <a href="#/evals">Back to evaluations</a>
      </main>
    );
  const { evaluation, summary, plots, ratings, runs } = data;
  return (
    <main className="page eval-report">
      <div className="page-head">
        <div>
          <h1>Evaluation {evaluation.id}</h1>
          <p className="muted">
            {evaluation.suite} · {evaluation.models.length} model{evaluation.models.length === 1 ? "" : "s"} · k = {evaluation.k} · {runs.length} runs · started {ago(evaluation.createdAt)}
          </p>
        </div>
        <a href="#/evals">All evaluations</a>
      </div>
      <section aria-label="models" className="table-wrap">
        <table>
          <thead>
            <tr>
              <th>Model</th>
              <th>Passed</th>
              <th>Pass rate (95% interval)</th>
              <th>pass@k</th>
              <th>Cost</th>
              <th>Mean time</th>
              <th>Mean steps</th>
            </tr>
          </thead>
          <tbody>
            {summary.models.map((m) => (
              <tr key={m.model}>
                <td>{m.model}</td>
                <td>
                  {m.passes}/{m.runs}
                </td>
                <td>
                  {pct(m.passRate)} ({pct(m.interval.low)}–{pct(m.interval.high)})
                </td>
                <td>{m.passAtK.map((p) => `pass@${p.k} ${pct(p.value)}`).join(" · ")}</td>
                <td>{money(m.costUsd)}</td>
                <td>{duration(m.meanDurationMs)}</td>
                <td>{m.meanSteps.toFixed(1)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section aria-label="plots" className="eval-plots">
        {plots.map((p) => (
          // The server draws these from the store with every label escaped (src/eval/report-svg.ts).
          // biome-ignore lint/security/noDangerouslySetInnerHtml: escaped SVG from our own server
          <figure key={p.id} data-plot={p.id} dangerouslySetInnerHTML={{ __html: p.svg }} />
        ))}
      </section>
      {ratings.length > 0 && (
        <section aria-label="ratings" className="table-wrap">
          <table>
            <thead>
              <tr>
                <th>Model</th>
                <th>Elo (Bradley–Terry)</th>
                <th>95% interval</th>
              </tr>
            </thead>
            <tbody>
              {ratings.map((r) => (
                <tr key={r.model}>
                  <td>{r.model}</td>
                  <td>{r.elo.toFixed(0)}</td>
                  <td>
                    {r.low.toFixed(0)}–{r.high.toFixed(0)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      <section aria-label="runs" className="table-wrap">
        <table>
          <thead>
            <tr>
              <th>Task</th>
              <th>Model</th>
              <th>Result</th>
              <th>Steps</th>
              <th>Time</th>
              <th>Cost</th>
              <th>Cause</th>
            </tr>
          </thead>
          <tbody>
            {runs.map((r) => (
              <tr key={`${r.taskId} ${r.model} ${r.attempt}`}>
                <td>{r.sessionId ? <a href={`#/s/${r.sessionId}`}>{r.taskId}</a> : r.taskId}</td>
                <td>
                  {r.model}#{r.attempt}
                </td>
                <td>
                  <span className={`badge ${r.pass ? "ok" : "bad"}`}>{r.pass ? "pass" : "fail"}</span>
                </td>
                <td>{r.steps}</td>
                <td>{duration(r.durationMs)}</td>
                <td>{money(r.costUsd)}</td>
                <td title={r.reason}>{r.pass ? "" : (r.cause ?? "").replaceAll("_", " ")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </main>
  );
}
