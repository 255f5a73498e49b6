/** SQLite schema. `user_version` records the schema version for later migrations. */
// 2: team tables (task board, mailbox, membership) for agent teams.
// 3: sessions.name, .pid and .host: named sessions, and telling a killed session from a running one.
// 4: session_leases: which process runs a session, so a second resume is refused.
export const SCHEMA_VERSION = 4;

/** Columns added after version 1, for databases created before them (ALTER TABLE … ADD COLUMN). */
export const addedSessionColumns: Record<string, string> = { name: "TEXT", pid: "INTEGER", host: "TEXT" };

export const schemaSql = `
CREATE TABLE IF NOT EXISTS sessions (
  id TEXT PRIMARY KEY,
  task TEXT NOT NULL,
  model TEXT NOT NULL,
  cwd TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'running',
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  steps INTEGER NOT NULL DEFAULT 0,
  usage TEXT NOT NULL DEFAULT '{"input":0,"output":0,"cacheRead":0,"cacheWrite":0,"reasoning":0}',
  cost_usd REAL NOT NULL DEFAULT 0,
  name TEXT,
  pid INTEGER,
  host TEXT
);
CREATE INDEX IF NOT EXISTS sessions_created ON sessions (created_at);
CREATE INDEX IF NOT EXISTS sessions_cwd ON sessions (cwd, created_at);
CREATE TABLE IF NOT EXISTS events (
  session_id TEXT NOT NULL REFERENCES sessions (id),
  seq INTEGER NOT NULL,
  agent_id TEXT NOT NULL,
  type TEXT NOT NULL,
  time TEXT NOT NULL,
  body TEXT NOT NULL,
  PRIMARY KEY (session_id, seq)
) WITHOUT ROWID;
-- Who runs each session now (src/session/lease.ts); a row exists only while a session runs.
CREATE TABLE IF NOT EXISTS session_leases (
  session_id TEXT PRIMARY KEY,
  token TEXT NOT NULL,
  pid INTEGER NOT NULL,
  host TEXT NOT NULL,
  command TEXT NOT NULL,
  started_at TEXT NOT NULL,
  heartbeat_at TEXT NOT NULL
) WITHOUT ROWID;
-- Agent teams (src/team/): the task board, the mailbox and who is on the team.
CREATE TABLE IF NOT EXISTS team_tasks (
  session_id TEXT NOT NULL,
  id TEXT NOT NULL,
  ord INTEGER NOT NULL,
  title TEXT NOT NULL,
  description TEXT NOT NULL,
  depends_on TEXT NOT NULL,
  owner TEXT,
  status TEXT NOT NULL,
  result TEXT,
  created_by TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (session_id, id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS team_messages (
  session_id TEXT NOT NULL,
  id TEXT NOT NULL,
  recipient TEXT NOT NULL,
  ord INTEGER NOT NULL,
  sender TEXT NOT NULL,
  broadcast INTEGER NOT NULL,
  text TEXT NOT NULL,
  delivered_seq INTEGER,
  PRIMARY KEY (session_id, id, recipient)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS team_members (
  session_id TEXT NOT NULL,
  agent_id TEXT NOT NULL,
  ord INTEGER NOT NULL,
  spec TEXT NOT NULL,
  status TEXT NOT NULL,
  PRIMARY KEY (session_id, agent_id)
) WITHOUT ROWID;
`;
