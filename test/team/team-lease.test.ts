import { writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { Host } from "../../src/host/host.js";
import { resumeTeam, startTeam } from "../../src/host/teams.js";
import { SessionBusy } from "../../src/session/errors.js";
import type { SqliteStore } from "../../src/store/sqlite.js";
import { tempRepo } from "../helpers.js";

/** A new team holds its session's lease from its start, as a resumed one does, and gives it back at its end. */
describe("the lease of a new team", () => {
  it("a concurrent resume is told who holds it; once the team ends the lease is free", async () => {
    const dir = tempRepo();
    const scenario = path.join(dir, "lead.json");
    // The lead's first answer takes a while: the team is running while the second resume tries.
    writeFileSync(scenario, JSON.stringify({ steps: [{ delayMs: 1500, text: "done" }] }));
    const options = { home: path.join(dir, "home"), store: path.join(dir, "sessions.db"), env: { COLLEAGUE_SANDBOX: "off" } };
    const running = new Host(options);
    const other = new Host(options);
    try {
      const team = await startTeam(running, { task: "a long task", cwd: dir, lead: `scripted:${scenario}` });
      const held = (running.store as SqliteStore).leaseOf(team.sessionId);
      expect(held?.pid).toBe(process.pid);

      const second = resumeTeam(other, team.sessionId);
      await expect(second).rejects.toThrow(SessionBusy);
      await expect(second).rejects.toThrow(`session ${team.sessionId} is running in process ${process.pid}`);

      expect((await team.run()).status).toBe("completed");
      expect((running.store as SqliteStore).leaseOf(team.sessionId)).toBeUndefined();
      // Free again: the resume gets past the lease and is refused for what the team is (done).
      await expect(resumeTeam(other, team.sessionId)).rejects.toThrow(/already completed/);
    } finally {
      running.close();
      other.close();
    }
  });
});
