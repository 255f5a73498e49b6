import { useEffect, useState } from "react";
import { client, onAuthChange } from "./api.js";
import { EvalReportView, EvalsList } from "./views/evals-view.js";
import { Logo, SignIn } from "./views/sign-in.js";
import { NewSession } from "./views/new-session.js";
import { ReviewView } from "./views/review-view.js";
import { SessionView } from "./views/session-view.js";
import { SessionsList } from "./views/sessions-list.js";
import { TeamView } from "./views/team-view.js";
import { useSession } from "./state/use-session.js";

/** Routes live in the hash (#/, #/new, #/s/<id>, #/evals, #/evals/<id>), so they never collide with the API's paths. */
function useRoute(): string {
  const [hash, setHash] = useState(window.location.hash || "#/");
  useEffect(() => {
    const on = () => setHash(window.location.hash || "#/");
    window.addEventListener("hashchange", on);
    return () => window.removeEventListener("hashchange", on);
  }, []);
  return hash;
}

type Theme = "light" | "dark" | "system";

function useTheme(): [Theme, (t: Theme) => void] {
  const [theme, setTheme] = useState<Theme>(() => (localStorage.getItem("colleague.theme") as Theme | null) ?? "system");
  useEffect(() => {
    localStorage.setItem("colleague.theme", theme);
    if (theme === "system") delete document.documentElement.dataset.theme;
    else document.documentElement.dataset.theme = theme;
  }, [theme]);
  return [theme, setTheme];
}

export function App() {
  const route = useRoute();
  const [theme, setTheme] = useTheme();
  // Optimistic: the view loads its data at once, and the first 401 from any call shows the
  // sign-in form (one round trip less than asking first).
  const [signedIn, setSignedIn] = useState(true);
  useEffect(() => onAuthChange(setSignedIn), []);
  if (!signedIn) return <SignIn onSignedIn={() => setSignedIn(true)} />;
  const session = /^#\/s\/([\w-]+)/.exec(route)?.[1];
  const evalId = /^#\/evals\/([^/]+)/.exec(route)?.[1];
  return (
    <>
      <button type="button" className="skip" onClick={() => document.getElementById("content")?.focus()}>
        Skip to content
      </button>
      <nav className="topbar" aria-label="main">
        <a className="brand" href="#/">
          <Logo /> colleague
        </a>
        <a href="#/" className="nav-wide" aria-current={route === "#/" ? "page" : undefined}>
          Sessions
        </a>
        <a href="#/new" aria-current={route === "#/new" ? "page" : undefined}>
          New
        </a>
        <a href="#/evals" aria-current={route.startsWith("#/evals") ? "page" : undefined}>
          Evals
        </a>
        <span className="spacer" />
        <label className="inline small">
          <span className="sr-only">Theme</span>
          <select value={theme} onChange={(e) => setTheme(e.target.value as Theme)} aria-label="theme">
            <option value="system">System</option>
            <option value="light">Light</option>
            <option value="dark">Dark</option>
          </select>
        </label>
        <button type="button" className="ghost small" onClick={() => void client.signOut().finally(() => setSignedIn(false))}>
          Sign out
        </button>
      </nav>
      <div id="content" tabIndex={-1} className="content">
        {session ? <SessionRoute key={session} id={session} /> : route === "#/new" ? <NewSession /> : evalId ? <EvalReportView key={evalId} id={evalId} /> : route === "#/evals" ? <EvalsList /> : <SessionsList />}
      </div>
    </>
  );
}

/** One route for every session: the view follows its kind (solo, team, review) from its first events. */
function SessionRoute({ id }: { id: string }) {
  const live = useSession(id);
  if (live.error && !live.view.items.length && !live.view.task) {
    return (
      <main className="page">
        <p className="error" role="alert">
          {live.error}
        </p>
        <a href="#/">Back to sessions</a>
      </main>
    );
  }
  if (!live.loaded) return <main className="page muted">Loading…</main>;
  if (live.view.kind === "team") return <TeamView id={id} live={live} />;
  if (live.view.kind === "review") return <ReviewView id={id} live={live} />;
  return <SessionView id={id} live={live} />;
}
