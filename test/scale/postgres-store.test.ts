import { afterAll, expect, it } from "vitest";
import { StoreUnavailable } from "../../src/store/errors.js";
import { MIGRATIONS, migrate } from "../../src/store/postgres/migrations.js";
import { PostgresStore } from "../../src/store/postgres/postgres-store.js";
import { SyncPostgres } from "../../src/store/postgres/sync-client.js";
import { describeIfAvailable } from "../requires.js";
import { storeContract } from "../store/contract.js";
import { freshPostgresUrl, postgresMissing } from "./services.js";

describeIfAvailable("the PostgreSQL store contract", postgresMissing, () => {
  const opened: PostgresStore[] = [];
  afterAll(() => {
    for (const store of opened) store.close();
  });
  storeContract(
    () => new PostgresStore(freshPostgresUrl()),
    (store) => {
      const other = new PostgresStore((store as PostgresStore).url);
      opened.push(other);
      return other;
    },
  );

  it("migrates once, from any number of processes, and records the version", () => {
    const url = freshPostgresUrl();
    const first = new PostgresStore(url);
    const second = new PostgresStore(url);
    const db = new SyncPostgres(url);
    migrate(db);
    const versions = db.query<{ version: number }>("SELECT version FROM colleague_migrations ORDER BY version").rows.map((r) => r.version);
    expect(versions).toEqual(MIGRATIONS.map((m) => m.version));
    expect(db.query<{ t: string }>("SELECT jsonb_typeof(body) AS t FROM events LIMIT 0").rows).toEqual([]);
    db.close();
    first.close();
    second.close();
  });

  it("stores events as JSONB that SQL can query", () => {
    const url = freshPostgresUrl();
    const store = new PostgresStore(url);
    store.createSession({ id: "s1", task: "t", model: "scripted:x", cwd: "/w" });
    store.append({ seq: 1, sessionId: "s1", agentId: "main", time: new Date().toISOString(), type: "user_message", text: "find me", kind: "task" });
    const db = new SyncPostgres(url);
    expect(db.query<{ text: string }>("SELECT body->>'text' AS text FROM events WHERE body @> '{\"kind\":\"task\"}'").rows).toEqual([{ text: "find me" }]);
    db.close();
    store.close();
  });

  it("says in one line when the database is not there", () => {
    expect(() => new PostgresStore("postgres://nobody@127.0.0.1:1/none")).toThrow(StoreUnavailable);
    expect(() => new PostgresStore("postgres://nobody:secret@127.0.0.1:1/none")).toThrow(/cannot reach the PostgreSQL store postgres:\/\/nobody:\*\*\*@127\.0\.0\.1:1\/none/);
  });
});
