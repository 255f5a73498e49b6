import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { SqliteStore } from "../../src/store/sqlite.js";
import { TaskBoard } from "../../src/team/board.js";
import { TeamLog } from "../../src/team/log.js";

function boardOn(store: SqliteStore, sessionId: string) {
  const ready: string[] = [];
  const log = new TeamLog(store, store.teams(), sessionId, store.events(sessionId).at(-1)?.seq ?? 0);
  const board = new TaskBoard(store.teams(), log, { changed: () => {}, ready: (t) => ready.push(t.id) });
  return { board, ready };
}

describe("the task board", () => {
  it("lets exactly one of two store connections (as two processes would) claim a task", () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), "colleague-board-")), "s.db");
    const one = new SqliteStore(file);
    const two = new SqliteStore(file);
    one.createSession({ id: "s1", task: "t", model: "m", cwd: "/" });
    boardOn(one, "s1").board.create("lead", { title: "contested" });
    // Both see it pending; both try the conditional update.
    const first = one.teams().transitionTask("s1", "T1", { from: ["pending"], to: "in_progress", owner: "a", ownerMayBe: ["a"] });
    const second = two.teams().transitionTask("s1", "T1", { from: ["pending"], to: "in_progress", owner: "b", ownerMayBe: ["b"] });
    expect([first, second]).toEqual([true, false]);
    expect(two.teams().tasks("s1")[0]).toMatchObject({ status: "in_progress", owner: "a" });
    one.close();
    two.close();
  });

  it("unblocks a task when all its dependencies complete, and fails dependents of a failed task", () => {
    const store = new SqliteStore(":memory:");
    store.createSession({ id: "s", task: "t", model: "m", cwd: "/" });
    const { board, ready } = boardOn(store, "s");
    board.create("lead", { title: "a" });
    board.create("lead", { title: "b" });
    board.create("lead", { title: "needs a and b", dependsOn: ["T1", "T2"], owner: "x" });
    board.create("lead", { title: "needs T3", dependsOn: ["T3"] });
    expect(board.list().map((t) => t.status)).toEqual(["pending", "pending", "blocked", "blocked"]);
    expect(board.claim("w", "T3")).toMatchObject({ ok: false, reason: "T3 is blocked until T1, T2 complete" });
    expect(board.claim("w", "T1").ok).toBe(true);
    expect(board.complete("v", "T1", "no")).toMatchObject({ ok: false }); // not the owner
    expect(board.claim("w", "T1")).toMatchObject({ ok: true, note: "you already hold it" }); // safe to re-run on resume
    expect(board.complete("w", "T1", "done").ok).toBe(true);
    expect(board.complete("w", "T1", "done")).toMatchObject({ ok: true, note: "already completed" });
    expect(board.complete("w", "T1", "other")).toMatchObject({ ok: false, reason: "T1 is already completed (by w)" });
    expect(board.get("T3")!.status).toBe("blocked");
    expect(board.claim("w").ok).toBe(true); // the next ready one: T2
    expect(board.complete("w", "T2", "done").ok).toBe(true);
    expect(board.get("T3")!.status).toBe("pending");
    expect(ready).toEqual(["T3"]);
    expect(board.claim("w", "T3")).toMatchObject({ ok: false, reason: "T3 is already assigned to x" });
    expect(board.claim("x", "T3").ok).toBe(true);
    expect(board.update("x", "T3", { status: "failed", note: "cannot" }).ok).toBe(true);
    expect(board.get("T4")).toMatchObject({ status: "failed", result: "dependency T3 failed" });
    expect(board.allFinished()).toBe(true);
    expect(board.complete("x", "T3", "again")).toMatchObject({ ok: false, reason: "T3 is already failed (by x)" });
    // Every change is an event, in order, with who made it.
    const updates = store.events("s").filter((e) => e.type === "task_updated").map((e) => `${e.agentId}:${(e as { taskId: string }).taskId}`);
    expect(updates).toEqual(["w:T1", "w:T1", "w:T2", "w:T2", "board:T3", "x:T3", "x:T3", "board:T4"]);
  });
});
