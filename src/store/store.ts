import type { AgentEvent, SessionStatus } from "../agent/events.js";
import type { Usage } from "../model/types.js";

/** One session as listed by `colleague sessions`. */
export interface SessionRow {
  id: string;
  task: string;
  model: string;
  cwd: string;
  status: SessionStatus;
  createdAt: string;
  updatedAt: string;
  steps: number;
  usage: Usage;
  costUsd: number;
}

export interface NewSession {
  id: string;
  task: string;
  model: string;
  cwd: string;
}

/**
 * Where sessions live. The event log is the source of truth; the session row is a summary
 * kept current in the same transaction as the event that changed it. `append` returns only
 * after the event is committed. SQLite today; PostgreSQL later behind the same interface.
 */
export interface SessionStore {
  createSession(session: NewSession): void;
  append(event: AgentEvent): void;
  getSession(id: string): SessionRow | undefined;
  /** Newest first. */
  listSessions(limit?: number): SessionRow[];
  /** Finds a session by a unique id prefix. */
  findSession(idOrPrefix: string): SessionRow | undefined;
  events(sessionId: string): AgentEvent[];
  /**
   * The same events one at a time, so that resuming a long session (hundreds of MB of tool
   * output in its log) never holds the whole log in memory. Optional: callers fall back to
   * `events`. (Added by the context engine issue.)
   */
  iterateEvents?(sessionId: string): Iterable<AgentEvent>;
  close(): void;
}
