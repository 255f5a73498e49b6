import { ClientError, ColleagueClient } from "../../src/protocol/client.js";

/**
 * The dashboard's one way to the server: the typed client of the protocol, signed in by the
 * HttpOnly cookie (no token in the page), sending the header that marks its state-changing
 * requests as coming from this page.
 */
export const client = new ColleagueClient({ url: window.location.origin, headers: { "x-colleague-csrf": "1" } });

export const CSRF_HEADER = "x-colleague-csrf";

type Listener = (signedIn: boolean) => void;
const listeners = new Set<Listener>();

/** Anything that gets a 401 reports it here, and the app shows the sign-in form. */
export function onAuthChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function reportAuth(signedIn: boolean): void {
  for (const l of listeners) l(signedIn);
}

/** A readable line for an error from the client; a 401 also asks for sign-in. */
export function problem(error: unknown): string {
  if (error instanceof ClientError) {
    if (error.status === 401) reportAuth(false);
    return error.message;
  }
  return error instanceof Error ? error.message : String(error);
}

export { ClientError };
