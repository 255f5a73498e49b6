import { PostgresStore } from "./postgres/postgres-store.js";
import { SqliteStore } from "./sqlite.js";
import type { SessionStore } from "./store.js";
import type { TeamStore } from "./team-store.js";

/** Every store colleague opens keeps teams too. */
export type OpenedStore = SessionStore & { teams(): TeamStore };

export const isPostgresUrl = (location: string): boolean => /^postgres(ql)?:\/\//i.test(location);

/**
 * A postgres:// URL opens the PostgreSQL store (its `pg` driver loads only then, in the store's
 * connection thread); anything else is a SQLite file, or ":memory:".
 */
export function openSessionStore(location: string): OpenedStore {
  return isPostgresUrl(location) ? new PostgresStore(location) : new SqliteStore(location);
}
