import { SyncPostgres } from "./sync-client.js";

/**
 * The PostgreSQL schema as numbered steps. Each runs once, in its own transaction, and is
 * recorded in `colleague_migrations`; an advisory lock makes workers that start together take
 * turns, so the second sees the first one's steps done. A step is never edited once shipped: a
 * change is a new step.
 */
export const MIGRATIONS: ReadonlyArray<{ version: number; sql: string }> = [
  {
    version: 1,
    sql: `
CREATE TABLE sessions (
  id TEXT PRIMARY KEY,
  task TEXT NOT NULL,
  model TEXT NOT NULL,
  cwd TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'running',
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  steps INTEGER NOT NULL DEFAULT 0,
  usage JSONB NOT NULL DEFAULT '{"input":0,"output":0,"cacheRead":0,"cacheWrite":0,"reasoning":0}',
  cost_usd DOUBLE PRECISION NOT NULL DEFAULT 0,
  name TEXT,
  pid INTEGER,
  host TEXT
);
CREATE INDEX sessions_created ON sessions (created_at);
CREATE INDEX sessions_cwd ON sessions (cwd, created_at);
CREATE TABLE events (
  session_id TEXT NOT NULL REFERENCES sessions (id),
  seq INTEGER NOT NULL,
  agent_id TEXT NOT NULL,
  type TEXT NOT NULL,
  time TEXT NOT NULL,
  -- The event without its envelope; body_raw holds the few that JSONB cannot (U+0000 in a string).
  body JSONB,
  body_raw JSON,
  CHECK (body IS NOT NULL OR body_raw IS NOT NULL),
  PRIMARY KEY (session_id, seq)
);
CREATE TABLE session_leases (
  session_id TEXT PRIMARY KEY,
  token TEXT NOT NULL,
  pid INTEGER NOT NULL,
  host TEXT NOT NULL,
  command TEXT NOT NULL,
  started_at TEXT NOT NULL,
  heartbeat_at TEXT NOT NULL
);
CREATE TABLE team_tasks (
  session_id TEXT NOT NULL,
  id TEXT NOT NULL,
  ord INTEGER NOT NULL,
  title TEXT NOT NULL,
  description TEXT NOT NULL,
  depends_on JSONB NOT NULL,
  owner TEXT,
  status TEXT NOT NULL,
  result TEXT,
  created_by TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (session_id, id)
);
CREATE TABLE team_messages (
  session_id TEXT NOT NULL,
  id TEXT NOT NULL,
  recipient TEXT NOT NULL,
  ord INTEGER NOT NULL,
  sender TEXT NOT NULL,
  broadcast BOOLEAN NOT NULL,
  text TEXT NOT NULL,
  delivered_seq INTEGER,
  PRIMARY KEY (session_id, id, recipient)
);
CREATE TABLE team_members (
  session_id TEXT NOT NULL,
  agent_id TEXT NOT NULL,
  ord INTEGER NOT NULL,
  spec JSONB NOT NULL,
  status TEXT NOT NULL,
  PRIMARY KEY (session_id, agent_id)
);
-- Every committed event is announced, so a process that did not write it (colleague serve
-- showing a session a worker runs) reads it at once: the payload is "<session id> <seq>".
CREATE FUNCTION colleague_announce_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('colleague_events', NEW.session_id || ' ' || NEW.seq);
  RETURN NULL;
END $$;
CREATE TRIGGER events_announce AFTER INSERT ON events FOR EACH ROW EXECUTE FUNCTION colleague_announce_event();
`,
  },
  {
    version: 2,
    // Evaluations run on workers: each worker records the runs it finished here, and the
    // coordinator, the report and the dashboard read them back.
    sql: `
CREATE TABLE evals (
  id TEXT PRIMARY KEY, suite TEXT NOT NULL, suite_dir TEXT NOT NULL, models JSONB NOT NULL, k INTEGER NOT NULL, created_at TEXT NOT NULL
);
CREATE TABLE eval_runs (
  eval_id TEXT NOT NULL REFERENCES evals (id), task_id TEXT NOT NULL, model TEXT NOT NULL, attempt INTEGER NOT NULL,
  pass BOOLEAN NOT NULL, reasons JSONB NOT NULL, status TEXT NOT NULL, steps INTEGER NOT NULL,
  input_tokens BIGINT NOT NULL, output_tokens BIGINT NOT NULL, cost_usd DOUBLE PRECISION NOT NULL, duration_ms BIGINT NOT NULL,
  session_id TEXT, patch TEXT, answer TEXT, cause TEXT, evidence JSONB, finished_at TEXT NOT NULL,
  PRIMARY KEY (eval_id, task_id, model, attempt)
);
CREATE TABLE eval_judgements (
  eval_id TEXT NOT NULL, task_id TEXT NOT NULL, a TEXT NOT NULL, b TEXT NOT NULL, winner TEXT NOT NULL, reason TEXT NOT NULL,
  PRIMARY KEY (eval_id, task_id, a, b)
);
`,
  },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/** Arbitrary, fixed: the advisory lock that serializes migrations across processes. */
const MIGRATION_LOCK = 7_301_917;

/** Brings the database's schema up to SCHEMA_VERSION; safe to run from many processes at once. */
export function migrate(db: SyncPostgres): void {
  const current = () => Number(db.query<{ v: number | null }>("SELECT MAX(version) AS v FROM colleague_migrations").rows[0]?.v ?? 0);
  const recorded = () => db.query<{ t: string | null }>("SELECT to_regclass('colleague_migrations')::text AS t").rows[0]?.t != null;
  // The common case, every later start: nothing to do, and no lock taken.
  if (recorded() && current() >= SCHEMA_VERSION) return;
  db.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK]);
  try {
    // Created under the lock: two CREATE TABLE IF NOT EXISTS at the same moment on a fresh
    // database can both pass the check, and the second fails on the catalogue's unique index.
    db.query("CREATE TABLE IF NOT EXISTS colleague_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)");
    const done = current();
    for (const step of MIGRATIONS) {
      if (step.version <= done) continue;
      db.query("BEGIN");
      try {
        db.query(step.sql);
        db.query("INSERT INTO colleague_migrations (version, applied_at) VALUES ($1, $2)", [step.version, new Date().toISOString()]);
        db.query("COMMIT");
      } catch (error) {
        db.query("ROLLBACK");
        throw error;
      }
    }
  } finally {
    db.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK]);
  }
}

/** A connection to `url` with the schema brought up to date; closed again when migrating fails. */
export function openMigrated(url: string): SyncPostgres {
  const db = new SyncPostgres(url);
  try {
    migrate(db);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}
