import os from "node:os";
import type { AgentEvent, SessionStatus } from "../../agent/events.js";
import { emptyUsage, type Usage } from "../../model/types.js";
import { FinalAnswerWriter, withFinalAnswers } from "../final-answer.js";
import type { NewSession, SessionFilter, SessionLease, SessionPage, SessionPageQuery, SessionRow, SessionStore } from "../store.js";
import type { TeamStore } from "../team-store.js";
import { AppendWatcher } from "./append-watcher.js";
import { openMigrated } from "./migrations.js";
import type { SyncPostgres } from "./sync-client.js";
import { PostgresTeamStore } from "./team-postgres.js";

interface RawSession {
  id: string;
  task: string;
  model: string;
  cwd: string;
  status: string;
  created_at: string;
  updated_at: string;
  steps: number;
  usage: Usage;
  cost_usd: number;
  name: string | null;
  pid: number | null;
  host: string | null;
}

interface RawEvent {
  seq: number;
  agent_id: string;
  time: string;
  body: string;
}

interface RawLease {
  session_id: string;
  token: string;
  pid: number;
  host: string;
  command: string;
  started_at: string;
  heartbeat_at: string;
}

const toRow = (r: RawSession): SessionRow => ({
  id: r.id,
  task: r.task,
  model: r.model,
  cwd: r.cwd,
  status: r.status as SessionStatus,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  steps: r.steps,
  usage: { ...emptyUsage(), ...r.usage },
  costUsd: r.cost_usd,
  ...(r.name ? { name: r.name } : {}),
  ...(r.pid ? { pid: r.pid } : {}),
  ...(r.host ? { host: r.host } : {}),
});

const toLease = (r: RawLease): SessionLease => ({
  sessionId: r.session_id,
  token: r.token,
  pid: r.pid,
  host: r.host,
  command: r.command,
  startedAt: r.started_at,
  heartbeatAt: r.heartbeat_at,
});

const escapeLike = (s: string) => s.replace(/[\\%_]/g, "\\$&");

/** Read back as text, so the event's own JSON parse (not pg's) builds it; `body_raw` holds what JSONB cannot (NUL characters). */
const EVENT_COLUMNS = "seq, agent_id, time, COALESCE(body_raw::text, body::text) AS body";
const EVENTS_PAGE = 500;

/**
 * The session store on PostgreSQL, for sessions that workers on several machines run and a
 * `serve` process on another shows. The same contract as SqliteStore: `append` returns once
 * the event is committed (one statement, its own transaction, the session summary changed in
 * the same statement); events are JSONB; a trigger announces each one (LISTEN/NOTIFY).
 */
export class PostgresStore implements SessionStore {
  private readonly db: SyncPostgres;
  private readonly answers = new FinalAnswerWriter();
  private watcher?: AppendWatcher;
  private teamStore?: PostgresTeamStore;

  constructor(readonly url: string) {
    this.db = openMigrated(url);
  }

  createSession(s: NewSession): void {
    const now = new Date().toISOString();
    this.db.query("INSERT INTO sessions (id, task, model, cwd, created_at, updated_at, name, pid, host) VALUES ($1, $2, $3, $4, $5, $5, $6, $7, $8)", [
      s.id,
      s.task,
      s.model,
      s.cwd,
      now,
      s.name ?? null,
      process.pid,
      os.hostname(),
    ]);
  }

  append(event: AgentEvent): void {
    const { seq, sessionId, agentId, time, ...rest } = event;
    const body = JSON.stringify(this.answers.body(event, rest));
    // JSONB cannot hold U+0000 (a tool's binary output can): such a body is kept as plain JSON.
    const raw = body.includes("\\u0000");
    const insert = "INSERT INTO events (session_id, seq, agent_id, type, time, body, body_raw) VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::json)";
    const params: unknown[] = [sessionId, seq, agentId, rest.type, time, raw ? null : body, raw ? body : null];
    // The summary changes in the same statement as the insert: one round trip, one transaction.
    const update = summaryUpdate(event);
    if (!update) {
      this.db.query(insert, params);
      return;
    }
    this.db.query(`WITH inserted AS (${insert} RETURNING 1) UPDATE sessions SET ${update.set} WHERE id = $1 AND EXISTS (SELECT 1 FROM inserted)`, [
      ...params,
      ...update.params,
    ]);
  }

  renameSession(id: string, name: string): void {
    this.db.query("UPDATE sessions SET name = $1 WHERE id = $2", [name, id]);
  }

  getSession(id: string): SessionRow | undefined {
    const raw = this.db.query<RawSession>("SELECT * FROM sessions WHERE id = $1", [id]).rows[0];
    return raw && toRow(raw);
  }

  findSession(idOrPrefix: string): SessionRow | undefined {
    const exact = this.getSession(idOrPrefix);
    if (exact) return exact;
    const rows = this.db.query<RawSession>("SELECT * FROM sessions WHERE id LIKE $1 LIMIT 2", [`${escapeLike(idOrPrefix)}%`]).rows;
    if (rows.length === 1) return toRow(rows[0]!);
    if (rows.length > 1) return undefined;
    const named = this.db.query<RawSession>("SELECT * FROM sessions WHERE name = $1 ORDER BY created_at DESC LIMIT 1", [idOrPrefix]).rows[0];
    return named && toRow(named);
  }

  matchSessions(idPrefixOrName: string, limit = 20): SessionRow[] {
    return this.db
      .query<RawSession>("SELECT * FROM sessions WHERE id LIKE $1 OR name = $2 ORDER BY created_at DESC, id LIMIT $3", [
        `${escapeLike(idPrefixOrName)}%`,
        idPrefixOrName,
        limit,
      ])
      .rows.map(toRow);
  }

  listSessions(limit = 50, filter: SessionFilter = {}): SessionRow[] {
    const rows = filter.cwd
      ? this.db.query<RawSession>("SELECT * FROM sessions WHERE cwd = $1 ORDER BY created_at DESC, id LIMIT $2", [filter.cwd, limit]).rows
      : this.db.query<RawSession>("SELECT * FROM sessions ORDER BY created_at DESC, id LIMIT $1", [limit]).rows;
    return rows.map(toRow);
  }

  pageSessions(query: SessionPageQuery): SessionPage {
    const where: string[] = [];
    const params: unknown[] = [];
    const next = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    for (const word of (query.search ?? "").trim().split(/\s+/).filter(Boolean)) {
      const like = next(`%${escapeLike(word)}%`);
      where.push(`(task ILIKE ${like} OR id ILIKE ${like} OR model ILIKE ${like} OR cwd ILIKE ${like} OR COALESCE(name, '') ILIKE ${like})`);
    }
    if (query.statuses?.length) where.push(`status = ANY(${next(query.statuses)})`);
    const clause = where.length ? `WHERE ${where.join(" AND ")}` : "";
    const total = this.db.query<{ n: number }>(`SELECT COUNT(*)::int AS n FROM sessions ${clause}`, params).rows[0]!.n;
    const rows = this.db.query<RawSession>(`SELECT * FROM sessions ${clause} ORDER BY created_at DESC, id LIMIT ${next(query.limit)} OFFSET ${next(query.offset)}`, params).rows;
    return { rows: rows.map(toRow), total };
  }

  events(sessionId: string): AgentEvent[] {
    return [...this.iterateEvents(sessionId)];
  }

  /** Read in pages of 500 events, so a long log is never in memory at once. */
  iterateEvents(sessionId: string): Generator<AgentEvent> {
    const db = this.db;
    return withFinalAnswers(
      (function* () {
        let after = -1;
        for (;;) {
          const rows = db.query<RawEvent>(`SELECT ${EVENT_COLUMNS} FROM events WHERE session_id = $1 AND seq > $2 ORDER BY seq LIMIT ${EVENTS_PAGE}`, [sessionId, after]).rows;
          for (const r of rows) yield toEvent(sessionId, r);
          if (rows.length < EVENTS_PAGE) return;
          after = rows[rows.length - 1]!.seq;
        }
      })(),
    );
  }

  /**
   * The events after `seq`. A final answer stored as a marker needs the agent's last assistant
   * message, which may lie before `seq`: those messages are read too, and dropped after use.
   */
  eventsAfter(sessionId: string, seq: number): AgentEvent[] {
    const rows = this.db.query<RawEvent>(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE session_id = $1 AND (seq > $2 OR seq IN (
         SELECT MAX(seq) FROM events WHERE session_id = $1 AND seq <= $2 AND type = 'assistant_message' GROUP BY agent_id)) ORDER BY seq`,
      [sessionId, seq],
    ).rows;
    return [...withFinalAnswers(rows.map((r) => toEvent(sessionId, r)))].filter((e) => e.seq > seq);
  }

  /** Calls `listener` whenever any process commits an event to this database (LISTEN/NOTIFY). */
  watchAppends(listener: (sessionId: string | undefined, seq: number) => void): () => void {
    this.watcher ??= new AppendWatcher(this.url);
    return this.watcher.add(listener);
  }

  claimLease(lease: SessionLease, isStale: (holder: SessionLease) => boolean): SessionLease | undefined {
    return this.inTransaction(() => {
      // A row that does not exist yet cannot be locked with FOR UPDATE: two claimers of a free
      // session would both insert. The advisory lock on the session's id serializes them.
      this.db.query("SELECT pg_advisory_xact_lock(hashtext('colleague-lease:' || $1))", [lease.sessionId]);
      const raw = this.db.query<RawLease>("SELECT * FROM session_leases WHERE session_id = $1", [lease.sessionId]).rows[0];
      if (raw && raw.token !== lease.token && !isStale(toLease(raw))) return toLease(raw);
      this.db.query(
        `INSERT INTO session_leases (session_id, token, pid, host, command, started_at, heartbeat_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (session_id) DO UPDATE SET token = $2, pid = $3, host = $4, command = $5, started_at = $6, heartbeat_at = $7`,
        [lease.sessionId, lease.token, lease.pid, lease.host, lease.command, lease.startedAt, lease.heartbeatAt],
      );
      return undefined;
    });
  }

  renewLease(sessionId: string, token: string, time: string): boolean {
    return this.db.query("UPDATE session_leases SET heartbeat_at = $1 WHERE session_id = $2 AND token = $3", [time, sessionId, token]).rowCount > 0;
  }

  releaseLease(sessionId: string, token: string): void {
    this.db.query("DELETE FROM session_leases WHERE session_id = $1 AND token = $2", [sessionId, token]);
  }

  leaseOf(sessionId: string): SessionLease | undefined {
    const raw = this.db.query<RawLease>("SELECT * FROM session_leases WHERE session_id = $1", [sessionId]).rows[0];
    return raw && toLease(raw);
  }

  /** Agent teams keep their board, mailbox and members in the same database and connection (see team-postgres.ts). */
  teams(): TeamStore {
    this.teamStore ??= new PostgresTeamStore(this.db, (fn) => this.inTransaction(fn));
    return this.teamStore;
  }

  private depth = 0;

  /** One transaction on the store's connection; nested calls become savepoints, as better-sqlite3 nests them. */
  inTransaction<T>(fn: () => T): T {
    const savepoint = `colleague_${this.depth}`;
    this.db.query(this.depth === 0 ? "BEGIN" : `SAVEPOINT ${savepoint}`);
    this.depth++;
    try {
      const result = fn();
      this.depth--;
      this.db.query(this.depth === 0 ? "COMMIT" : `RELEASE SAVEPOINT ${savepoint}`);
      return result;
    } catch (error) {
      this.depth--;
      this.db.query(this.depth === 0 ? "ROLLBACK" : `ROLLBACK TO SAVEPOINT ${savepoint}`);
      throw error;
    }
  }

  close(): void {
    this.watcher?.close();
    this.db.close();
  }
}

function toEvent(sessionId: string, r: RawEvent): AgentEvent {
  return { seq: r.seq, sessionId, agentId: r.agent_id, time: r.time, ...JSON.parse(r.body) } as AgentEvent;
}

/** What an event changes in its session's row (parameters numbered after the insert's seven). */
function summaryUpdate(event: AgentEvent): { set: string; params: unknown[] } | undefined {
  switch (event.type) {
    case "step_finished":
      return { set: "updated_at = $5, steps = $8, usage = $9::jsonb, cost_usd = $10", params: [event.step, JSON.stringify(event.usage), event.costUsd] };
    case "session_finished":
      return {
        set: "updated_at = $5, status = $8, steps = $9, usage = $10::jsonb, cost_usd = $11",
        params: [event.status, event.steps, JSON.stringify(event.usage), event.costUsd],
      };
    case "session_resumed":
      return { set: "updated_at = $5, status = 'running', pid = $8, host = $9", params: [process.pid, os.hostname()] };
    case "model_changed":
      // The row names the model the session runs with now, so a resume continues with it.
      return event.agentId === "main" ? { set: "updated_at = $5, model = $8", params: [event.to] } : undefined;
    default:
      return undefined;
  }
}
