import { spawnSync } from "node:child_process";
import os from "node:os";
import { describe, expect, it } from "vitest";
import { createScriptedModel } from "../../src/model/scripted.js";
import { SessionBusy } from "../../src/session/errors.js";
import { busyMessage, holdSession, LEASE_STALE_MS, leaseIsStale } from "../../src/session/lease.js";
import { resumeSession, startSession } from "../../src/session/session.js";
import { SqliteStore } from "../../src/store/sqlite.js";
import type { SessionLease } from "../../src/store/store.js";
import { tempRepo } from "../helpers.js";

/** The pid of a process that has exited (and so cannot hold anything). */
function deadPid(): number {
  return spawnSync(process.execPath, ["-e", ""]).pid!;
}

function lease(over: Partial<SessionLease> = {}): SessionLease {
  const now = new Date().toISOString();
  return { sessionId: "s1", token: "t1", pid: process.pid, host: os.hostname(), command: "colleague resume", startedAt: now, heartbeatAt: now, ...over };
}

describe("the session lease in the store", () => {
  it("refuses a second claim while the holder lives, and names the holder", () => {
    const store = new SqliteStore(":memory:");
    expect(store.claimLease(lease(), leaseIsStale)).toBeUndefined();
    const holder = store.claimLease(lease({ token: "t2" }), leaseIsStale);
    expect(holder).toMatchObject({ token: "t1", pid: process.pid, command: "colleague resume" });
    expect(store.leaseOf("s1")?.token).toBe("t1");
  });

  it("takes over the lease of a dead process on this machine", () => {
    const store = new SqliteStore(":memory:");
    store.claimLease(lease({ pid: deadPid() }), leaseIsStale);
    expect(store.claimLease(lease({ token: "t2" }), leaseIsStale)).toBeUndefined();
    expect(store.leaseOf("s1")?.token).toBe("t2");
  });

  it("judges another machine's lease by its heartbeat", () => {
    const now = Date.now();
    const fresh = lease({ host: "elsewhere", pid: 1, heartbeatAt: new Date(now - 5_000).toISOString() });
    const old = lease({ host: "elsewhere", pid: 1, heartbeatAt: new Date(now - LEASE_STALE_MS - 1_000).toISOString() });
    expect(leaseIsStale(fresh, now)).toBe(false);
    expect(leaseIsStale(old, now)).toBe(true);
  });

  it("is renewed and released only with its own token", () => {
    const store = new SqliteStore(":memory:");
    store.claimLease(lease(), leaseIsStale);
    expect(store.renewLease("s1", "other", new Date().toISOString())).toBe(false);
    store.releaseLease("s1", "other");
    expect(store.leaseOf("s1")).toBeDefined();
    expect(store.renewLease("s1", "t1", "2030-01-01T00:00:00.000Z")).toBe(true);
    expect(store.leaseOf("s1")?.heartbeatAt).toBe("2030-01-01T00:00:00.000Z");
    store.releaseLease("s1", "t1");
    expect(store.leaseOf("s1")).toBeUndefined();
  });

  it("says in one line who holds a session", () => {
    const startedAt = new Date();
    startedAt.setHours(12, 3, 0, 0);
    const line = busyMessage(lease({ sessionId: "abc", pid: 4242, startedAt: startedAt.toISOString() }));
    expect(line).toBe("session abc is running in process 4242 (colleague resume, started 12:03); wait for it or stop it");
    expect(busyMessage(lease({ sessionId: "abc", pid: 7, host: "build-2", startedAt: startedAt.toISOString() }))).toContain("process 7 on build-2");
  });
});

describe("a session runs in one place at a time", () => {
  it("refuses to resume a session that runs in this process, without writing to its log", async () => {
    const store = new SqliteStore(":memory:");
    const model = createScriptedModel({ steps: [{ text: "first" }, { text: "second" }] });
    const first = await startSession("task", { store, model, cwd: tempRepo(), maxSteps: 1 });
    expect(store.leaseOf(first.sessionId)).toBeUndefined(); // released at the end

    const hold = holdSession(store, first.sessionId);
    const before = store.events(first.sessionId).length;
    await expect(resumeSession(first.sessionId, { store, model, followUp: "more" })).rejects.toThrow(SessionBusy);
    await expect(resumeSession(first.sessionId, { store, model, followUp: "more" })).rejects.toThrow(
      new RegExp(`session ${first.sessionId} is running in process ${process.pid} \\(`),
    );
    expect(store.events(first.sessionId)).toHaveLength(before);
    expect(store.getSession(first.sessionId)?.status).not.toBe("error");
    hold.release();

    const resumed = await resumeSession(first.sessionId, { store, model, followUp: "more" });
    expect(resumed.status).toBe("completed");
    expect(store.leaseOf(first.sessionId)).toBeUndefined();
  });

  it("refuses to start a session under an id held elsewhere, before its row exists", async () => {
    const store = new SqliteStore(":memory:");
    const hold = holdSession(store, "fixed-id");
    const model = createScriptedModel({ steps: [{ text: "done" }] });
    await expect(startSession("task", { store, model, cwd: tempRepo(), sessionId: "fixed-id" })).rejects.toThrow(SessionBusy);
    // A resume that found a row here would find no session_started event in it.
    expect(store.getSession("fixed-id")).toBeUndefined();
    hold.release();
    expect((await startSession("task", { store, model, cwd: tempRepo(), sessionId: "fixed-id" })).status).toBe("completed");
  });

  it("gives the lease back when the session's row cannot be created", async () => {
    const store = new SqliteStore(":memory:");
    store.createSession({ id: "taken", task: "t", model: "m", cwd: tempRepo() });
    const model = createScriptedModel({ steps: [{ text: "done" }] });
    await expect(startSession("task", { store, model, cwd: tempRepo(), sessionId: "taken" })).rejects.toThrow();
    expect(store.leaseOf("taken")).toBeUndefined();
  });

  it("holds the lease of a new session while it runs", async () => {
    const store = new SqliteStore(":memory:");
    let seen: SessionLease | undefined;
    const model = createScriptedModel({ steps: [{ text: "done" }] });
    await startSession("task", {
      store,
      model,
      cwd: tempRepo(),
      onEvent: (e) => {
        if (e.type === "session_started") seen = store.leaseOf(e.sessionId);
      },
    });
    expect(seen).toMatchObject({ pid: process.pid, host: os.hostname() });
  });
});
