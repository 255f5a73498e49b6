import os from "node:os";
import path from "node:path";
import { mkdtempSync } from "node:fs";
import { describe } from "vitest";
import { SqliteStore } from "../../src/store/sqlite.js";
import { storeContract } from "./contract.js";

describe("the SQLite store contract", () => {
  const files = new Map<SqliteStore, string>();
  storeContract(
    () => {
      const file = path.join(mkdtempSync(path.join(os.tmpdir(), "colleague-store-")), "sessions.db");
      const store = new SqliteStore(file);
      files.set(store, file);
      return store;
    },
    (store) => new SqliteStore(files.get(store as SqliteStore)!),
  );
});
