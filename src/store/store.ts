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
  /** A name given with `--name`; `show` and `resume` accept it in place of the id. */
  name?: string;
  /** The process that last ran the session and its machine: a `running` session whose process is gone was killed. */
  pid?: number;
  host?: string;
}

export interface NewSession {
  id: string;
  task: string;
  model: string;
  cwd: string;
  name?: string;
}

export interface SessionFilter {
  /** Only the sessions of this workspace folder (absolute). */
  cwd?: string;
}

/** One page of the sessions list, newest first, as a dashboard asks for it. */
export interface SessionPageQuery {
  limit: number;
  offset: number;
  /** Words that must all appear in the task, id, name, model or folder (case-insensitive). */
  search?: string;
  /** Only sessions whose stored status is one of these. */
  statuses?: string[];
}

export interface SessionPage {
  rows: SessionRow[];
  /** How many sessions match, over all pages. */
  total: number;
}

/**
 * Who runs a session right now: a session runs in one process at a time (src/session/lease.ts).
 * The holder renews `heartbeatAt` while it runs and deletes the lease when the session ends.
 */
export interface SessionLease {
  sessionId: string;
  /** Random per hold, so only its holder renews or releases it. */
  token: string;
  pid: number;
  host: string;
  /** What the holding process is, e.g. "colleague resume" or "colleague serve". */
  command: string;
  startedAt: string;
  heartbeatAt: string;
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
  listSessions(limit?: number, filter?: SessionFilter): SessionRow[];
  /** A page of sessions with search and status filter, counted on the store (optional: callers fall back to listSessions). */
  pageSessions?(query: SessionPageQuery): SessionPage;
  /** Finds a session by its id, a unique id prefix, or its name (the newest of that name). */
  findSession(idOrPrefix: string): SessionRow | undefined;
  /** Every session an id prefix or a name could mean, newest first: what an ambiguous reference lists. */
  matchSessions?(idPrefixOrName: string, limit?: number): SessionRow[];
  /** Names (or renames) a session; optional for stores that cannot. */
  renameSession?(id: string, name: string): void;
  events(sessionId: string): AgentEvent[];
  /**
   * The same events one at a time, so that resuming a long session (hundreds of MB of tool
   * output in its log) never holds the whole log in memory. Optional: callers fall back to
   * `events`. (Added by the context engine issue.)
   */
  iterateEvents?(sessionId: string): Iterable<AgentEvent>;
  /**
   * Takes the session's lease in one transaction: when another holder has it and `isStale`
   * says that holder is still there, nothing changes and that holder is returned; otherwise
   * `lease` replaces it and undefined is returned. Optional: a store without leases cannot
   * tell two processes running one session apart.
   */
  claimLease?(lease: SessionLease, isStale: (holder: SessionLease) => boolean): SessionLease | undefined;
  /** Sets the heartbeat of a lease this process holds; false when it is no longer its own (taken over). */
  renewLease?(sessionId: string, token: string, time: string): boolean;
  releaseLease?(sessionId: string, token: string): void;
  /** The events after `seq`, for a reader told of new ones (see watchAppends). Optional. */
  eventsAfter?(sessionId: string, seq: number): AgentEvent[];
  /**
   * Calls `listener` when any process commits an event to this store, so `serve` streams
   * sessions that workers elsewhere run; a session id of undefined means "some may have been
   * missed (a reconnect): catch up". Only stores shared between processes offer it (PostgreSQL).
   */
  watchAppends?(listener: (sessionId: string | undefined, seq: number) => void): () => void;
  close(): void;
}
