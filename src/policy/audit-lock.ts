import type Database from "better-sqlite3";
import { openSqlite } from "../store/sqlite-binding.js";

/**
 * A lock shared by every colleague process on this machine, held around each audit append.
 *
 * It is SQLite's own write lock on a small side file (`BEGIN IMMEDIATE` … `ROLLBACK`, nothing
 * is ever written to it): SQLite takes it with fcntl, so the kernel drops it the moment its
 * holder dies, even under kill -9. A lock file made with O_EXCL would need stale-lock takeover
 * by pid, and two processes taking over the same stale lock can both win; this cannot.
 * Waiting is SQLite's busy handler: short sleeps, not a spin. The journal is kept in memory:
 * nothing is ever written, and with the default on-disk journal each take-and-release probed
 * the journal file (~90 µs against ~20 µs, three times per tool step).
 */
export class CrossProcessLock {
  private db: Database.Database | undefined;

  constructor(
    readonly file: string,
    private readonly timeoutMs = 30_000,
  ) {}

  /** Runs `fn` while holding the lock; throws SQLITE_BUSY when the lock is not free within the timeout. */
  hold<T>(fn: () => T): T {
    const db = this.open();
    db.exec("BEGIN IMMEDIATE");
    try {
      return fn();
    } finally {
      db.exec("ROLLBACK");
    }
  }

  close(): void {
    this.db?.close();
    this.db = undefined;
  }

  private open(): Database.Database {
    if (!this.db) {
      this.db = openSqlite(this.file);
      this.db.pragma(`busy_timeout = ${this.timeoutMs}`);
      this.db.pragma("journal_mode = MEMORY");
    }
    return this.db;
  }
}
