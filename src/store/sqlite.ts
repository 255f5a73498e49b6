import { chmodSync, existsSync, mkdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type Database from "better-sqlite3";
import type { AgentEvent, SessionStatus } from "../agent/events.js";
import { emptyUsage, type Usage } from "../model/types.js";
import { addedSessionColumns, SCHEMA_VERSION, schemaSql } from "./schema.js";
import type { NewSession, SessionFilter, SessionLease, SessionPage, SessionPageQuery, SessionRow, SessionStore } from "./store.js";
import { StoreUnavailable } from "./errors.js";
import { FinalAnswerWriter, withFinalAnswers } from "./final-answer.js";
import { openSqlite } from "./sqlite-binding.js";
import { SqliteLeases } from "./lease-sqlite.js";
import { SqliteTeamStore } from "./team-sqlite.js";
import type { TeamStore } from "./team-store.js";

interface RawSession {
  id: string;
  task: string;
  model: string;
  cwd: string;
  status: string;
  created_at: string;
  updated_at: string;
  steps: number;
  usage: string;
  cost_usd: number;
  name: string | null;
  pid: number | null;
  host: string | null;
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
  usage: { ...emptyUsage(), ...(JSON.parse(r.usage) as Usage) },
  costUsd: r.cost_usd,
  ...(r.name ? { name: r.name } : {}),
  ...(r.pid ? { pid: r.pid } : {}),
  ...(r.host ? { host: r.host } : {}),
});

const escapeLike = (s: string) => s.replace(/[\\%_]/g, "\\$&");

/** Opens (and makes the folder of) the database; a path that cannot hold one is a StoreUnavailable. */
function openDatabase(file: string): Database.Database {
  try {
    const fresh = file !== ":memory:" && !existsSync(file);
    // The home holds transcripts, which quote files and commands: only its owner reads it.
    if (file !== ":memory:") mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    const db = openSqlite(file);
    // SQLite gives its -wal and -shm files the database file's mode.
    if (fresh) chmodSync(file, 0o600);
    return db;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === "EEXIST" || code === "ENOTDIR" ? `${path.dirname(file)} is a file or inside one, not a folder` : (error as Error).message;
    throw new StoreUnavailable(`cannot open the session store ${file}: ${why}`);
  }
}

/**
 * The embedded store: one SQLite file in WAL mode. Each append is its own transaction, so an
 * event is durable against a killed process (kill -9) the moment `append` returns;
 * synchronous=NORMAL trades durability across power loss for speed, as WAL allows.
 */
export class SqliteStore implements SessionStore {
  private readonly db: Database.Database;
  private readonly insertEvent: Database.Statement;
  private readonly touch: Database.Statement;
  private readonly summarize: Database.Statement;
  private readonly finish: Database.Statement;
  private readonly switchModel: Database.Statement;
  private readonly appendTx: (event: AgentEvent) => void;

  constructor(file: string) {
    this.db = openDatabase(file);
    this.db.pragma("journal_mode = WAL");
    this.db.pragma("synchronous = NORMAL");
    this.db.pragma("busy_timeout = 5000");
    this.db.exec(schemaSql);
    // Written only when it changes: an unconditional write is a transaction, and the
    // checkpoint it leaves costs every CLI run ~10 ms at exit (bench/README.md).
    if (this.db.pragma("user_version", { simple: true }) !== SCHEMA_VERSION) {
      this.migrate();
      this.db.pragma(`user_version = ${SCHEMA_VERSION}`);
    }
    this.insertEvent = this.db.prepare(
      "INSERT INTO events (session_id, seq, agent_id, type, time, body) VALUES (?, ?, ?, ?, ?, ?)",
    );
    this.touch = this.db.prepare("UPDATE sessions SET updated_at = ?, status = 'running', pid = ?, host = ? WHERE id = ?");
    this.summarize = this.db.prepare("UPDATE sessions SET updated_at = ?, steps = ?, usage = ?, cost_usd = ? WHERE id = ?");
    this.finish = this.db.prepare(
      "UPDATE sessions SET updated_at = ?, status = ?, steps = ?, usage = ?, cost_usd = ? WHERE id = ?",
    );
    this.switchModel = this.db.prepare("UPDATE sessions SET updated_at = ?, model = ? WHERE id = ?");
    this.appendTx = this.db.transaction((event: AgentEvent) => this.write(event));
  }

  /** Adds the columns a database made by an older colleague lacks. */
  private migrate(): void {
    const have = new Set((this.db.pragma("table_info(sessions)") as { name: string }[]).map((c) => c.name));
    for (const [column, type] of Object.entries(addedSessionColumns)) {
      if (!have.has(column)) this.db.exec(`ALTER TABLE sessions ADD COLUMN ${column} ${type}`);
    }
  }

  /** The session is owned by this process until it finishes: its pid tells `sessions` whether it still runs. */
  createSession(s: NewSession): void {
    const now = new Date().toISOString();
    this.db
      .prepare("INSERT INTO sessions (id, task, model, cwd, created_at, updated_at, name, pid, host) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
      .run(s.id, s.task, s.model, s.cwd, now, now, s.name ?? null, process.pid, os.hostname());
  }

  append(event: AgentEvent): void {
    this.appendTx(event);
  }

  private readonly answers = new FinalAnswerWriter();

  private write(event: AgentEvent): void {
    const { seq, sessionId, agentId, time, ...body } = event;
    this.insertEvent.run(sessionId, seq, agentId, body.type, time, JSON.stringify(this.answers.body(event, body)));
    if (event.type === "step_finished") {
      this.summarize.run(time, event.step, JSON.stringify(event.usage), event.costUsd, sessionId);
    } else if (event.type === "session_finished") {
      this.finish.run(time, event.status, event.steps, JSON.stringify(event.usage), event.costUsd, sessionId);
    } else if (event.type === "session_resumed") {
      this.touch.run(time, process.pid, os.hostname(), sessionId);
    } else if (event.type === "model_changed" && agentId === "main") {
      // The row names the model the session runs with now, so a resume continues with it.
      this.switchModel.run(time, event.to, sessionId);
    }
  }

  renameSession(id: string, name: string): void {
    this.db.prepare("UPDATE sessions SET name = ? WHERE id = ?").run(name, id);
  }

  getSession(id: string): SessionRow | undefined {
    const raw = this.db.prepare("SELECT * FROM sessions WHERE id = ?").get(id) as RawSession | undefined;
    return raw && toRow(raw);
  }

  findSession(idOrPrefix: string): SessionRow | undefined {
    const exact = this.getSession(idOrPrefix);
    if (exact) return exact;
    const rows = this.db
      .prepare("SELECT * FROM sessions WHERE id LIKE ? ESCAPE '\\' LIMIT 2")
      .all(`${escapeLike(idOrPrefix)}%`) as RawSession[];
    if (rows.length === 1) return toRow(rows[0]!);
    if (rows.length > 1) return undefined;
    const named = this.db.prepare("SELECT * FROM sessions WHERE name = ? ORDER BY created_at DESC LIMIT 1").get(idOrPrefix) as RawSession | undefined;
    return named && toRow(named);
  }

  matchSessions(idPrefixOrName: string, limit = 20): SessionRow[] {
    const rows = this.db
      .prepare("SELECT * FROM sessions WHERE id LIKE ? ESCAPE '\\' OR name = ? ORDER BY created_at DESC, id LIMIT ?")
      .all(`${escapeLike(idPrefixOrName)}%`, idPrefixOrName, limit) as RawSession[];
    return rows.map(toRow);
  }

  listSessions(limit = 50, filter: SessionFilter = {}): SessionRow[] {
    const rows = filter.cwd
      ? this.db.prepare("SELECT * FROM sessions WHERE cwd = ? ORDER BY created_at DESC, id LIMIT ?").all(filter.cwd, limit)
      : this.db.prepare("SELECT * FROM sessions ORDER BY created_at DESC, id LIMIT ?").all(limit);
    return (rows as RawSession[]).map(toRow);
  }

  pageSessions(query: SessionPageQuery): SessionPage {
    const where: string[] = [];
    const params: unknown[] = [];
    for (const word of (query.search ?? "").trim().split(/\s+/).filter(Boolean)) {
      const like = `%${escapeLike(word)}%`;
      where.push("(task LIKE ? ESCAPE '\\' OR id LIKE ? ESCAPE '\\' OR model LIKE ? ESCAPE '\\' OR cwd LIKE ? ESCAPE '\\' OR IFNULL(name, '') LIKE ? ESCAPE '\\')");
      params.push(like, like, like, like, like);
    }
    if (query.statuses?.length) {
      where.push(`status IN (${query.statuses.map(() => "?").join(", ")})`);
      params.push(...query.statuses);
    }
    const clause = where.length ? `WHERE ${where.join(" AND ")}` : "";
    const total = (this.db.prepare(`SELECT COUNT(*) AS n FROM sessions ${clause}`).get(...params) as { n: number }).n;
    const rows = this.db
      .prepare(`SELECT * FROM sessions ${clause} ORDER BY created_at DESC, id LIMIT ? OFFSET ?`)
      .all(...params, query.limit, query.offset) as RawSession[];
    return { rows: rows.map(toRow), total };
  }

  events(sessionId: string): AgentEvent[] {
    const rows = this.db
      .prepare("SELECT seq, agent_id, time, body FROM events WHERE session_id = ? ORDER BY seq")
      .all(sessionId) as { seq: number; agent_id: string; time: string; body: string }[];
    return [...withFinalAnswers(rows.map((r) => ({ seq: r.seq, sessionId, agentId: r.agent_id, time: r.time, ...JSON.parse(r.body) }) as AgentEvent))];
  }

  iterateEvents(sessionId: string): Generator<AgentEvent> {
    const rows = this.db
      .prepare("SELECT seq, agent_id, time, body FROM events WHERE session_id = ? ORDER BY seq")
      .iterate(sessionId) as IterableIterator<{ seq: number; agent_id: string; time: string; body: string }>;
    return withFinalAnswers(
      (function* () {
        for (const r of rows) yield { seq: r.seq, sessionId, agentId: r.agent_id, time: r.time, ...JSON.parse(r.body) } as AgentEvent;
      })(),
    );
  }

  private leaseTable?: SqliteLeases;

  private get leases(): SqliteLeases {
    this.leaseTable ??= new SqliteLeases(this.db);
    return this.leaseTable;
  }

  claimLease(lease: SessionLease, isStale: (holder: SessionLease) => boolean): SessionLease | undefined {
    return this.leases.claim(lease, isStale);
  }

  renewLease(sessionId: string, token: string, time: string): boolean {
    return this.leases.renew(sessionId, token, time);
  }

  releaseLease(sessionId: string, token: string): void {
    this.leases.release(sessionId, token);
  }

  /** The current holder of a session's lease, if any (for `sessions` and tests). */
  leaseOf(sessionId: string): SessionLease | undefined {
    return this.leases.holder(sessionId);
  }

  close(): void {
    this.db.close();
  }

  private teamStore?: SqliteTeamStore;

  /** Agent teams keep their board, mailbox and members in the same file (see team-sqlite.ts). */
  teams(): TeamStore {
    this.teamStore ??= new SqliteTeamStore(this.db);
    return this.teamStore;
  }
}
