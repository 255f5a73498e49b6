import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { expect, it } from "vitest";
import { MIGRATIONS } from "../../src/store/postgres/migrations.js";
import { SyncPostgres } from "../../src/store/postgres/sync-client.js";
import { describeIfAvailable } from "../requires.js";
import { freshPostgresUrl, postgresMissing } from "./services.js";

// The children load the built package (test/global-setup.ts builds it), as workers would.
const DIST = pathToFileURL(path.resolve("dist/index.js")).href;

/** A process that opens the store at `url` at the wall-clock moment `at`, so all of them race. */
function opener(url: string, at: number): Promise<{ code: number | null; stderr: string }> {
  const script = `import { PostgresStore } from ${JSON.stringify(DIST)};
Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Math.max(0, ${at} - Date.now()));
new PostgresStore(${JSON.stringify(url)}).close();`;
  const proc: ChildProcess = spawn(process.execPath, ["--input-type=module", "-e", script], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  proc.stderr!.on("data", (d: Buffer) => (stderr += d));
  return new Promise((resolve) => proc.on("close", (code) => resolve({ code, stderr })));
}

describeIfAvailable("workers that start together on a fresh database", postgresMissing, () => {
  it("all open it: one of them migrates, none fails on the others' half-made tables", async () => {
    for (let round = 0; round < 4; round++) {
      const url = freshPostgresUrl();
      // Far enough ahead that every child has loaded the package before the moment comes.
      const at = Date.now() + 1500;
      const results = await Promise.all(Array.from({ length: 8 }, () => opener(url, at)));
      expect(results.map((r) => r.stderr.trim()).filter(Boolean)).toEqual([]);
      expect(results.map((r) => r.code)).toEqual(Array(8).fill(0));
      const db = new SyncPostgres(url);
      const versions = db.query<{ version: number }>("SELECT version FROM colleague_migrations ORDER BY version").rows.map((r) => r.version);
      db.close();
      expect(versions).toEqual(MIGRATIONS.map((m) => m.version));
    }
  }, 60_000);
});
