import type { SessionStore } from "../store/store.js";
import { SessionNotFound } from "./errors.js";
import { replay } from "./replay.js";
import { newSessionId } from "./session.js";

/**
 * A new session with the history of `id` up to event `seq`: its events copied under a new id,
 * then marked stopped (interrupted), so a follow-up message continues it like any resume. The
 * original is untouched. Throws SessionNotFound for a seq before the start or a team session.
 */
export function forkSession(store: SessionStore, id: string, seq: number): string {
  const row = store.findSession(id);
  if (!row) throw new SessionNotFound(`no session "${id}"`);
  const events = store.events(row.id).filter((e) => e.seq <= seq && e.type !== "session_finished");
  if (!events.some((e) => e.type === "session_started")) throw new SessionNotFound(`seq ${seq} is before session ${row.id} started`);
  if (events.some((e) => e.type === "team_started")) throw new SessionNotFound("team sessions cannot be forked");
  const forkId = newSessionId();
  store.createSession({ id: forkId, task: row.task, model: row.model, cwd: row.cwd });
  for (const event of events) store.append({ ...event, sessionId: forkId });
  const log = replay(events);
  store.append({
    seq: events.at(-1)!.seq + 1,
    sessionId: forkId,
    agentId: "main",
    time: new Date().toISOString(),
    type: "session_finished",
    status: "interrupted",
    error: `forked from ${row.id} at event ${seq}`,
    steps: log.step,
    usage: log.usage,
    costUsd: log.costUsd,
    durationMs: 0,
  });
  return forkId;
}
