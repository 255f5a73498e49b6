import { useEffect, useState } from "react";
import { client, problem } from "../api.js";

const MODES = ["ask", "auto-edit", "full-auto", "read-only"] as const;
const EFFORTS = ["auto", "low", "medium", "high", "max"] as const;
const MODELS = ["anthropic:claude-opus-4-6", "anthropic:claude-sonnet-4-5", "openai:gpt-5.3-codex", "openai:gpt-5.2"];

/** Start a session, a team or a review: folder, model, effort, permission mode and the task. */
export function NewSession() {
  const [roots, setRoots] = useState<string[]>([]);
  const [kind, setKind] = useState<"session" | "team" | "review">("session");
  const [cwd, setCwd] = useState("");
  const [model, setModel] = useState("");
  const [effort, setEffort] = useState<(typeof EFFORTS)[number]>("auto");
  const [mode, setMode] = useState<(typeof MODES)[number]>("ask");
  const [task, setTask] = useState("");
  const [size, setSize] = useState(2);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    client
      .serverInfo()
      .then((info) => {
        setRoots(info.roots);
        setCwd((c) => c || info.roots[0] || "");
      })
      .catch((e) => setError(problem(e)));
  }, []);

  const submit = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const common = { cwd: cwd.trim(), permissionMode: mode };
      const m = model.trim();
      const session =
        kind === "session"
          ? await client.createSession({ ...common, task, ...(m ? { model: m } : {}), effort })
          : kind === "team"
            ? await client.createTeam({ ...common, task, size, effort, ...(m ? { lead: m, teammates: [m] } : {}) })
            : await client.createReview({ ...common, size, ...(m ? { teammates: [m] } : {}) });
      window.location.hash = `#/s/${session.id}`;
    } catch (e) {
      setError(problem(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="page narrow">
      <div className="page-head">
        <div>
          <h1>New {kind}</h1>
          <p className="muted">It runs on the server, guarded by the permission mode you choose; approvals show up in its view.</p>
        </div>
      </div>
      <form
        className="card form"
        aria-label={`start a ${kind}`}
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <fieldset className="segmented" aria-label="what to start">
          {(["session", "team", "review"] as const).map((k) => (
            <button key={k} type="button" aria-pressed={kind === k} onClick={() => setKind(k)}>
              {k === "session" ? "Session" : k === "team" ? "Team" : "Review"}
            </button>
          ))}
        </fieldset>
        <label htmlFor="cwd">Folder</label>
        <input id="cwd" list="roots" value={cwd} onChange={(e) => setCwd(e.target.value)} required placeholder="/path/to/project" spellCheck={false} />
        <datalist id="roots">
          {roots.map((r) => (
            <option key={r} value={r} />
          ))}
        </datalist>
        <p className="hint">An absolute path under {roots.length ? roots.join(", ") : "the server's roots"}.</p>
        <div className="grid3">
          <div>
            <label htmlFor="model">Model</label>
            <input id="model" list="models" value={model} onChange={(e) => setModel(e.target.value)} placeholder="configured default" spellCheck={false} />
            <datalist id="models">
              {MODELS.map((m) => (
                <option key={m} value={m} />
              ))}
            </datalist>
          </div>
          <div>
            <label htmlFor="effort">Effort</label>
            <select id="effort" value={effort} onChange={(e) => setEffort(e.target.value as (typeof EFFORTS)[number])} disabled={kind === "review"}>
              {EFFORTS.map((e) => (
                <option key={e}>{e}</option>
              ))}
            </select>
          </div>
          <div>
            <label htmlFor="mode">Permissions</label>
            <select id="mode" value={mode} onChange={(e) => setMode(e.target.value as (typeof MODES)[number])}>
              {MODES.map((m) => (
                <option key={m}>{m}</option>
              ))}
            </select>
          </div>
        </div>
        {kind !== "session" ? (
          <>
            <label htmlFor="size">{kind === "team" ? "Teammates" : "Reviewers"}</label>
            <input id="size" type="number" min={1} max={16} value={size} onChange={(e) => setSize(Number(e.target.value))} />
          </>
        ) : null}
        {kind !== "review" ? (
          <>
            <label htmlFor="task">Task</label>
            <textarea id="task" rows={6} value={task} onChange={(e) => setTask(e.target.value)} required placeholder="What should it do?" />
          </>
        ) : null}
        {error ? (
          <p className="error" role="alert">
            {error}
          </p>
        ) : null}
        <div className="row actions">
          <button type="submit" className="primary" disabled={busy || !cwd.trim() || (kind !== "review" && !task.trim())}>
            {busy ? "Starting…" : `Start ${kind}`}
          </button>
          <a className="button ghost" href="#/">
            Cancel
          </a>
        </div>
      </form>
    </main>
  );
}
