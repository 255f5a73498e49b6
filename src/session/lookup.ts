import os from "node:os";
import type { SessionRow, SessionStore } from "../store/store.js";
import { SessionNotFound } from "./errors.js";

/**
 * A session by id, unique id prefix or name. An ambiguous reference lists what it could mean,
 * so the person can pick, instead of hearing that there is no such session.
 */
export function lookupSession(store: SessionStore, ref: string): SessionRow {
  const row = store.findSession(ref);
  if (row) return row;
  const matches = store.matchSessions?.(ref, 11) ?? [];
  if (matches.length === 1) return matches[0]!;
  if (matches.length > 1) {
    const shown = matches.slice(0, 10).map((m) => `  ${m.id}  ${m.name ? `${m.name}  ` : ""}${displayStatus(m)}  ${m.createdAt.slice(0, 16).replace("T", " ")}  ${oneLine(m.task, 60)}`);
    const more = matches.length > 10 ? "\n  …" : "";
    throw new SessionNotFound(`"${ref}" matches ${matches.length > 10 ? "more than 10" : matches.length} sessions; give more of the id:\n${shown.join("\n")}${more}`);
  }
  throw new SessionNotFound(`no session "${ref}" (see \`colleague sessions\`)`);
}

/** The newest session of a workspace folder, for `--continue` / `--last`. */
export function newestSessionIn(store: SessionStore, cwd: string): SessionRow {
  const row = store.listSessions(1, { cwd })[0];
  if (!row) throw new SessionNotFound(`no session in ${cwd} yet (see \`colleague sessions\`)`);
  return row;
}

/**
 * The status to show: a session still marked `running` whose process is gone (killed with
 * kill -9, or the machine went down) is `stopped`. Only a process on this machine can be
 * checked; elsewhere the stored status stands.
 */
export function displayStatus(row: SessionRow, hostname = os.hostname()): string {
  if (row.status !== "running" || row.pid === undefined || row.host !== hostname) return row.status;
  return processAlive(row.pid) ? "running" : "stopped";
}

export function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

export const oneLine = (text: string, max: number): string => {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};

/** What kind of session `id` is, from its first event alone (a long log is never read whole). */
export function sessionKind(store: SessionStore, id: string): "solo" | "team" | "review" {
  for (const event of store.iterateEvents?.(id) ?? store.events(id)) {
    return event.type === "team_started" ? event.kind : "solo";
  }
  return "solo";
}
