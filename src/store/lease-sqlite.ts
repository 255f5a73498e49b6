import type Database from "better-sqlite3";
import type { SessionLease } from "./store.js";

interface RawLease {
  session_id: string;
  token: string;
  pid: number;
  host: string;
  command: string;
  started_at: string;
  heartbeat_at: string;
}

const toLease = (r: RawLease): SessionLease => ({
  sessionId: r.session_id,
  token: r.token,
  pid: r.pid,
  host: r.host,
  command: r.command,
  startedAt: r.started_at,
  heartbeatAt: r.heartbeat_at,
});

/**
 * Session leases in the SQLite file. A claim reads the holder and writes its own row inside one
 * IMMEDIATE transaction: the write lock is taken before the read, so of two processes claiming
 * at once exactly one sees the row free (or stale) and the other sees the winner.
 */
export class SqliteLeases {
  private readonly claimTx: (lease: SessionLease, isStale: (holder: SessionLease) => boolean) => SessionLease | undefined;

  constructor(private readonly db: Database.Database) {
    const read = db.prepare("SELECT * FROM session_leases WHERE session_id = ?");
    const write = db.prepare(
      "INSERT OR REPLACE INTO session_leases (session_id, token, pid, host, command, started_at, heartbeat_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
    );
    const claim = db.transaction((lease: SessionLease, isStale: (holder: SessionLease) => boolean) => {
      const raw = read.get(lease.sessionId) as RawLease | undefined;
      if (raw && raw.token !== lease.token && !isStale(toLease(raw))) return toLease(raw);
      write.run(lease.sessionId, lease.token, lease.pid, lease.host, lease.command, lease.startedAt, lease.heartbeatAt);
      return undefined;
    });
    this.claimTx = (lease, isStale) => claim.immediate(lease, isStale);
  }

  claim(lease: SessionLease, isStale: (holder: SessionLease) => boolean): SessionLease | undefined {
    return this.claimTx(lease, isStale);
  }

  renew(sessionId: string, token: string, time: string): boolean {
    return this.db.prepare("UPDATE session_leases SET heartbeat_at = ? WHERE session_id = ? AND token = ?").run(time, sessionId, token).changes > 0;
  }

  release(sessionId: string, token: string): void {
    this.db.prepare("DELETE FROM session_leases WHERE session_id = ? AND token = ?").run(sessionId, token);
  }

  holder(sessionId: string): SessionLease | undefined {
    const raw = this.db.prepare("SELECT * FROM session_leases WHERE session_id = ?").get(sessionId) as RawLease | undefined;
    return raw && toLease(raw);
  }
}
