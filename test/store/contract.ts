import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, it } from "vitest";
import type { AgentEvent } from "../../src/agent/events.js";
import { createScriptedModel } from "../../src/model/scripted.js";
import type { Scenario } from "../../src/model/scenario.js";
import { leaseIsStale } from "../../src/session/lease.js";
import { resumeSession, startSession } from "../../src/session/session.js";
import type { SessionLease, SessionStore } from "../../src/store/store.js";
import type { TeamStore } from "../../src/store/team-store.js";
import { ofType, tempRepo } from "../helpers.js";

/** What every session store offers: sessions, events, leases and teams. */
export type ContractStore = SessionStore & { teams(): TeamStore; leaseOf(sessionId: string): SessionLease | undefined };

/**
 * The behaviour every SessionStore must show, whatever holds the data (SQLite embedded,
 * PostgreSQL scaled out). `open` gives a fresh, empty store; `reopen` a second connection to
 * the same data (another process, as it would be), when the store has one.
 */
export function storeContract(open: () => ContractStore, reopen?: (store: ContractStore) => ContractStore): void {
  const newSession = (store: ContractStore, id: string, over: { cwd?: string; name?: string; task?: string } = {}) =>
    store.createSession({ id, task: over.task ?? `task of ${id}`, model: "scripted:test", cwd: over.cwd ?? "/work/a", ...(over.name ? { name: over.name } : {}) });

  const event = (sessionId: string, seq: number, body: Record<string, unknown>): AgentEvent =>
    ({ seq, sessionId, agentId: "main", time: new Date(Date.UTC(2026, 0, 1, 0, 0, seq)).toISOString(), ...body }) as AgentEvent;

  it("keeps a session row and finds it by id, unique prefix or name", () => {
    const store = open();
    newSession(store, "abc123", { name: "nightly" });
    newSession(store, "abd456");
    expect(store.getSession("abc123")).toMatchObject({ id: "abc123", task: "task of abc123", status: "running", steps: 0, costUsd: 0, name: "nightly", pid: process.pid });
    expect(store.getSession("nope")).toBeUndefined();
    expect(store.findSession("abc")?.id).toBe("abc123");
    expect(store.findSession("ab")).toBeUndefined(); // ambiguous
    expect(store.findSession("nightly")?.id).toBe("abc123");
    expect(store.findSession("a%")).toBeUndefined(); // LIKE characters are literal
    expect(store.matchSessions?.("ab").map((r) => r.id).sort()).toEqual(["abc123", "abd456"]);
    store.renameSession?.("abd456", "weekly");
    expect(store.findSession("weekly")?.id).toBe("abd456");
    store.close();
  });

  it("appends events in order and keeps the summary current in the same write", () => {
    const store = open();
    newSession(store, "s1");
    const usage = { input: 10, output: 5, cacheRead: 1, cacheWrite: 0, reasoning: 0 };
    const events = [
      event("s1", 1, { type: "user_message", text: "hi\u0000there", kind: "task" }),
      event("s1", 2, { type: "step_finished", step: 1, usage, costUsd: 0.25 }),
      event("s1", 3, { type: "model_changed", from: "scripted:test", to: "scripted:other" }),
      event("s1", 4, { type: "assistant_message", message: { role: "assistant", content: [{ type: "text", text: "the answer" }] } }),
      event("s1", 5, { type: "session_finished", status: "completed", answer: "the answer", steps: 1, usage, costUsd: 0.25, durationMs: 3 }),
    ];
    for (const e of events) store.append(e);
    expect(store.events("s1")).toEqual(events);
    expect([...(store.iterateEvents?.("s1") ?? [])]).toEqual(events);
    expect(store.getSession("s1")).toMatchObject({ status: "completed", steps: 1, costUsd: 0.25, model: "scripted:other", usage });
    expect(() => store.append(events[0]!)).toThrow(); // a seq is written once
    store.close();
  });

  it("lists newest first, by workspace, and pages with search and status", () => {
    const store = open();
    newSession(store, "0001", { cwd: "/work/a", task: "Fix the parser" });
    newSession(store, "0002", { cwd: "/work/b", task: "write docs" });
    newSession(store, "0003", { cwd: "/work/a", task: "fix the lexer" });
    store.append(event("0003", 1, { type: "session_finished", status: "failed", steps: 0, usage: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, reasoning: 0 }, costUsd: 0, durationMs: 1 }));
    const all = store.listSessions(10);
    expect(all.map((r) => r.id).sort()).toEqual(["0001", "0002", "0003"]);
    // Newest first; sessions made in the same millisecond by id.
    expect(all).toEqual([...all].sort((a, b) => b.createdAt.localeCompare(a.createdAt) || a.id.localeCompare(b.id)));
    expect(store.listSessions(10, { cwd: "/work/a" }).map((r) => r.id).sort()).toEqual(["0001", "0003"]);
    expect(store.listSessions(1)).toHaveLength(1);
    const fixes = store.pageSessions!({ limit: 10, offset: 0, search: "FIX the" });
    expect(fixes.total).toBe(2);
    expect(fixes.rows.map((r) => r.id).sort()).toEqual(["0001", "0003"]);
    expect(store.pageSessions!({ limit: 10, offset: 0, statuses: ["failed"] }).rows.map((r) => r.id)).toEqual(["0003"]);
    const page = store.pageSessions!({ limit: 1, offset: 1 });
    expect(page).toMatchObject({ total: 3 });
    expect(page.rows).toHaveLength(1);
    store.close();
  });

  it("runs a session and resumes it without repeating a finished tool call", async () => {
    const store = open();
    const cwd = tempRepo({ "log.txt": "" });
    const steps: Scenario["steps"] = [
      { toolCalls: [{ name: "shell", args: { command: "echo run >> log.txt" } }] },
      { error: { status: 400, message: "provider said no" } },
    ];
    const first = await startSession("task", { store, model: createScriptedModel({ steps }), cwd });
    expect(first.status).toBe("error");
    const fixed: Scenario = { steps: [steps[0]!, { text: "all done" }] };
    const resumed = await resumeSession(first.sessionId, { store, model: createScriptedModel(fixed) });
    expect(resumed).toMatchObject({ status: "completed", answer: "all done" });
    expect(readFileSync(path.join(cwd, "log.txt"), "utf8")).toBe("run\n");
    const log = store.events(first.sessionId);
    expect(ofType(log, "tool_finished")).toHaveLength(1);
    expect(ofType(log, "session_finished").at(-1)!.answer).toBe("all done");
    expect(log.map((e) => e.seq)).toEqual(log.map((_, i) => i + 1));
    expect(store.getSession(first.sessionId)!.status).toBe("completed");
    store.close();
  });

  it("gives a session's lease to one holder at a time and takes over a dead one's", () => {
    const store = open();
    const now = new Date().toISOString();
    const lease = (over: Partial<SessionLease>): SessionLease => ({
      sessionId: "s1",
      token: "t1",
      pid: process.pid,
      host: os.hostname(),
      command: "colleague worker",
      startedAt: now,
      heartbeatAt: now,
      ...over,
    });
    expect(store.claimLease!(lease({}), leaseIsStale)).toBeUndefined();
    expect(store.claimLease!(lease({ token: "t2" }), leaseIsStale)).toMatchObject({ token: "t1", command: "colleague worker" });
    expect(store.renewLease!("s1", "t2", now)).toBe(false);
    expect(store.renewLease!("s1", "t1", "2030-01-01T00:00:00.000Z")).toBe(true);
    expect(store.leaseOf("s1")?.heartbeatAt).toBe("2030-01-01T00:00:00.000Z");
    store.releaseLease!("s1", "t1");
    expect(store.leaseOf("s1")).toBeUndefined();
    const dead = spawnSync(process.execPath, ["-e", ""]).pid!;
    store.claimLease!(lease({ pid: dead }), leaseIsStale);
    expect(store.claimLease!(lease({ token: "t3" }), leaseIsStale)).toBeUndefined();
    expect(store.leaseOf("s1")?.token).toBe("t3");
    store.close();
  });

  it("keeps a team's board, mailbox and members, with all-or-nothing transactions", () => {
    const store = open();
    const teams = store.teams();
    teams.insertTask("s1", { id: "t1", title: "one", description: "d1", dependsOn: [], status: "pending", createdBy: "lead" });
    teams.insertTask("s1", { id: "t2", title: "two", description: "d2", dependsOn: ["t1"], status: "blocked", createdBy: "lead" });
    expect(teams.tasks("s1").map((t) => t.id)).toEqual(["t1", "t2"]);
    expect(teams.task("s1", "t2")).toMatchObject({ dependsOn: ["t1"], status: "blocked" });
    expect(teams.transitionTask("s1", "t1", { from: ["pending"], to: "in_progress", owner: "a1" })).toBe(true);
    expect(teams.transitionTask("s1", "t1", { from: ["pending"], to: "in_progress", owner: "a2" })).toBe(false);
    expect(teams.transitionTask("s1", "t1", { from: ["in_progress"], to: "completed", result: "ok", ownerMayBe: ["a2"] })).toBe(false);
    expect(teams.transitionTask("s1", "t1", { from: ["in_progress"], to: "completed", result: "ok", ownerMayBe: ["a1"] })).toBe(true);
    expect(teams.task("s1", "t1")).toMatchObject({ owner: "a1", status: "completed", result: "ok" });
    expect(teams.statusCounts("s1")).toEqual({ completed: 1, blocked: 1 });
    expect(teams.tasks("s1", "blocked").map((t) => t.id)).toEqual(["t2"]);

    teams.insertMessages("s1", [
      { id: "m1", from: "lead", to: "a1", broadcast: true, text: "hello" },
      { id: "m1", from: "lead", to: "a2", broadcast: true, text: "hello" },
    ]);
    teams.insertMessages("s1", [{ id: "m2", from: "a1", to: "lead", broadcast: false, text: "done" }]);
    teams.markDelivered("s1", "m1", "a2", 7);
    teams.markDelivered("s1", "m1", "a2", 9); // delivered once: the first seq stays
    expect(teams.messages("s1")).toEqual([
      { id: "m1", from: "lead", to: "a1", broadcast: true, text: "hello" },
      { id: "m1", from: "lead", to: "a2", broadcast: true, text: "hello", deliveredSeq: 7 },
      { id: "m2", from: "a1", to: "lead", broadcast: false, text: "done" },
    ]);

    teams.upsertMember("s1", { agentId: "a1", spec: { name: "reviewer", tools: ["read_file"] }, status: "active" });
    teams.upsertMember("s1", { agentId: "a2", spec: { name: "writer" }, status: "active" });
    teams.upsertMember("s1", { agentId: "a1", spec: { name: "reviewer" }, status: "stopped" });
    expect(teams.members("s1")).toEqual([
      { agentId: "a1", spec: { name: "reviewer" }, status: "stopped" },
      { agentId: "a2", spec: { name: "writer" }, status: "active" },
    ]);

    newSession(store, "s1");
    expect(() =>
      teams.transaction(() => {
        teams.transitionTask("s1", "t2", { from: ["blocked"], to: "pending" });
        teams.transaction(() => store.append(event("s1", 1, { type: "user_message", text: "x", kind: "task" })));
        throw new Error("changed my mind");
      }),
    ).toThrow("changed my mind");
    expect(teams.task("s1", "t2")!.status).toBe("blocked");
    expect(store.events("s1")).toEqual([]);
    expect(teams.transaction(() => teams.transitionTask("s1", "t2", { from: ["blocked"], to: "pending" }))).toBe(true);
    expect(teams.task("s1", "t2")!.status).toBe("pending");
    store.close();
  });

  if (reopen) {
    it("shows one connection's writes to another, and lets only one of them claim a task", () => {
      const store = open();
      const other = reopen(store);
      newSession(store, "s1");
      store.append(event("s1", 1, { type: "user_message", text: "hi", kind: "task" }));
      expect(other.events("s1")).toHaveLength(1);
      store.teams().insertTask("s1", { id: "t1", title: "one", description: "", dependsOn: [], status: "pending", createdBy: "lead" });
      expect(store.teams().transitionTask("s1", "t1", { from: ["pending"], to: "in_progress", owner: "a" })).toBe(true);
      expect(other.teams().transitionTask("s1", "t1", { from: ["pending"], to: "in_progress", owner: "b" })).toBe(false);
      expect(other.teams().task("s1", "t1")!.owner).toBe("a");
      other.close();
      store.close();
    });
  }
}
