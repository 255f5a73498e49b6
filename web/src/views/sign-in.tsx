import { useState } from "react";
import { client, problem } from "../api.js";

/** The token once: the server answers with an HttpOnly cookie, so the page never keeps the token. */
export function SignIn({ onSignedIn }: { onSignedIn: () => void }) {
  const [token, setToken] = useState("");
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  return (
    <main className="signin">
      <form
        className="card"
        onSubmit={async (e) => {
          e.preventDefault();
          setBusy(true);
          setError(undefined);
          try {
            await client.signIn(token.trim());
            setToken("");
            onSignedIn();
          } catch (err) {
            setError(problem(err));
          } finally {
            setBusy(false);
          }
        }}
      >
        <div className="brand big">
          <Logo /> colleague
        </div>
        <h1>Sign in</h1>
        <p className="muted">
          Paste the token that <code>colleague serve</code> printed (it is kept in <code>~/.colleague/server-token</code>). This browser stays signed in for a week.
        </p>
        <label htmlFor="token">Server token</label>
        <input id="token" type="password" autoComplete="current-password" value={token} onChange={(e) => setToken(e.target.value)} required />
        {error ? (
          <p className="error" role="alert">
            {error}
          </p>
        ) : null}
        <button type="submit" className="primary wide" disabled={busy || !token.trim()}>
          Sign in
        </button>
      </form>
    </main>
  );
}

export function Logo() {
  return (
    <svg className="logo" viewBox="0 0 32 32" aria-hidden="true">
      <rect width="32" height="32" rx="8" />
      <path d="M10 11h12M10 16h8M10 21h10" />
    </svg>
  );
}
