import { useEffect, useState } from "react";
import type { SessionSummary } from "../../../src/protocol/schemas.js";
import { client, problem } from "../api.js";
import { Status } from "../components/status.js";
import { ago, basename, duration, money, tokens, usageTokens } from "../format.js";

const PAGE = 50;
const FILTERS: Record<string, string> = { all: "", running: "running", completed: "completed", stopped: "interrupted,aborted", failed: "error,refused,budget,max_steps" };

/** Every session, newest first, paged and searched on the server (10,000 sessions stay fast). */
export function SessionsList() {
  const [q, setQ] = useState("");
  const [search, setSearch] = useState("");
  const [filter, setFilter] = useState("all");
  const [offset, setOffset] = useState(0);
  const [page, setPage] = useState<{ sessions: SessionSummary[]; total: number }>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    const t = setTimeout(() => {
      setSearch(q);
      setOffset(0);
    }, 200);
    return () => clearTimeout(t);
  }, [q]);

  useEffect(() => {
    let stale = false;
    const load = () =>
      client
        .pageSessions({ limit: PAGE, offset, ...(search.trim() ? { q: search.trim() } : {}), ...(FILTERS[filter] ? { status: FILTERS[filter] } : {}) })
        .then((p) => {
          if (!stale) {
            setPage(p);
            setError(undefined);
          }
        })
        .catch((e) => !stale && setError(problem(e)));
    void load();
    const refresh = setInterval(load, 5000);
    return () => {
      stale = true;
      clearInterval(refresh);
    };
  }, [search, filter, offset]);

  const total = page?.total ?? 0;
  return (
    <main className="page">
      <div className="page-head">
        <div>
          <h1>Sessions</h1>
          <p className="muted">{page ? `${total.toLocaleString()} session${total === 1 ? "" : "s"}${search || filter !== "all" ? " match" : ""}` : "Loading…"}</p>
        </div>
        <a className="button primary" href="#/new">
          New session
        </a>
      </div>
      <search className="toolbar">
        <label htmlFor="search" className="sr-only">
          Search sessions
        </label>
        <input id="search" type="search" placeholder="Search task, id, model or folder" value={q} onChange={(e) => setQ(e.target.value)} />
        <fieldset className="segmented" aria-label="filter by status">
          {Object.keys(FILTERS).map((f) => (
            <button key={f} type="button" aria-pressed={filter === f} onClick={() => {
                setFilter(f);
                setOffset(0);
              }}>
              {f}
            </button>
          ))}
        </fieldset>
      </search>
      {error ? (
        <p className="error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="table-wrap">
        <table className="sessions">
          <thead>
            <tr>
              <th scope="col">Status</th>
              <th scope="col">Task</th>
              <th scope="col">Model</th>
              <th scope="col">Folder</th>
              <th scope="col" className="num">
                Cost
              </th>
              <th scope="col" className="num">
                Tokens
              </th>
              <th scope="col" className="num">
                Duration
              </th>
              <th scope="col">Last activity</th>
            </tr>
          </thead>
          <tbody>
            {page?.sessions.map((s) => (
              <tr key={s.id}>
                <td data-label="Status">
                  <Status status={s.status} live={s.live} />
                </td>
                <td className="task" data-label="Task">
                  <a href={`#/s/${s.id}`}>{s.task.split("\n")[0] || "(no task)"}</a>
                  <div className="muted small mono">{s.id}</div>
                </td>
                <td data-label="Model" className="mono small">
                  {s.model.replace(/^scripted:.*\//, "scripted:")}
                </td>
                <td data-label="Folder" title={s.cwd}>
                  {basename(s.cwd)}
                </td>
                <td data-label="Cost" className="num">
                  {money(s.costUsd)}
                </td>
                <td data-label="Tokens" className="num">
                  {tokens(usageTokens(s.usage))}
                </td>
                <td data-label="Duration" className="num">
                  {duration(Date.parse(s.updatedAt) - Date.parse(s.createdAt))}
                </td>
                <td data-label="Last activity">{ago(s.updatedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {page && page.sessions.length === 0 ? <p className="empty">No sessions{search || filter !== "all" ? " match" : " yet: start one"}.</p> : null}
      </div>
      <nav className="pager" aria-label="pages">
        <button type="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
          Previous
        </button>
        <span className="muted">{total ? `${(offset + 1).toLocaleString()}–${Math.min(offset + PAGE, total).toLocaleString()} of ${total.toLocaleString()}` : ""}</span>
        <button type="button" disabled={offset + PAGE >= total} onClick={() => setOffset(offset + PAGE)}>
          Next
        </button>
      </nav>
    </main>
  );
}
