import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { storeLocation } from "../../src/host/store-location.js";
import { cleanEnv, runCli } from "../cli/cli-helpers.js";
import { tempRepo } from "../helpers.js";

describe("choosing the store and the queue", () => {
  it("takes the flag, then COLLEAGUE_STORE, then the user's config, then the SQLite file", () => {
    const home = tempRepo();
    const env = { COLLEAGUE_HOME: home };
    expect(storeLocation(env)).toBe(path.join(home, "sessions.db"));
    writeFileSync(path.join(home, "config.json"), JSON.stringify({ store: "postgres://config@db/colleague" }));
    expect(storeLocation(env)).toBe("postgres://config@db/colleague");
    expect(storeLocation({ ...env, COLLEAGUE_STORE: "postgres://env@db/colleague" })).toBe("postgres://env@db/colleague");
    expect(storeLocation({ ...env, COLLEAGUE_STORE: "postgres://env@db/colleague" }, "/tmp/flag.db")).toBe("/tmp/flag.db");
  });

  it("ignores a project's config that names a store", async () => {
    const env = cleanEnv();
    const project = tempRepo({ "colleague.json": JSON.stringify({ store: "postgres://attacker@example.com/loot" }) });
    mkdirSync(path.join(project, ".git"));
    const out = await runCli(["sessions"], { env, cwd: project });
    expect(out.stderr).not.toContain("attacker");
    expect(out.code).toBe(0);
  });

  it("says in one line when the PostgreSQL store or the queue cannot be reached", async () => {
    const env = cleanEnv({ COLLEAGUE_STORE: "postgres://nobody:secret@127.0.0.1:1/none" });
    const sessions = await runCli(["sessions"], { env });
    expect(sessions.code).toBe(2);
    expect(sessions.stderr.trim()).toMatch(/^colleague: cannot reach the PostgreSQL store postgres:\/\/nobody:\*\*\*@127\.0\.0\.1:1\/none: .*ECONNREFUSED/);
    const queued = await runCli(["run", "--queue", "redis://127.0.0.1:1", "a task"], { env: cleanEnv(), cwd: tempRepo() });
    expect(queued.code).toBe(2);
    expect(queued.stderr.trim()).toMatch(/^colleague: cannot reach the queue redis:\/\/127\.0\.0\.1:1: .*ECONNREFUSED/);
  });

  it("refuses a queue URL that is not Redis, --wait without a queue, and a worker without a queue", async () => {
    const env = cleanEnv();
    const cases: [string[], RegExp][] = [
      [["run", "--queue", "http://127.0.0.1:6379", "t"], /--queue must be a redis:\/\/ URL/],
      [["run", "--wait", "t"], /--wait waits for a queued session; give --queue too/],
      [["worker"], /worker: give the queue/],
    ];
    for (const [args, message] of cases) {
      const out = await runCli(args, { env });
      expect(out.code).toBe(2);
      expect(out.stderr.trim().split("\n")).toHaveLength(1);
      expect(out.stderr).toMatch(message);
    }
  });
});
