import type { TaskStatus } from "../agent/team-events.js";
import type { TaskRow, TeamStore } from "../store/team-store.js";
import type { TeamLog } from "./log.js";

export type BoardResult = { ok: true; task: TaskRow; note?: string } | { ok: false; reason: string };

export interface NewTask {
  title: string;
  description?: string;
  dependsOn?: string[];
  owner?: string;
}

/**
 * The team's task board. Rows live in the store (the source of truth, also after a resume);
 * every change is one conditional UPDATE committed in the same transaction as the event that
 * records it, so two teammates never hold one task. A task whose dependencies are all
 * completed moves from `blocked` to `pending` by itself; one whose dependency failed fails.
 */
export class TaskBoard {
  constructor(
    private readonly store: TeamStore,
    private readonly log: TeamLog,
    /** Called after any change, and with the task when one becomes ready for its owner. */
    private readonly notify: { changed(): void; ready(task: TaskRow): void },
  ) {}

  private get sessionId() {
    return this.log.sessionId;
  }

  list(): TaskRow[] {
    return this.store.tasks(this.sessionId);
  }

  get(id: string): TaskRow | undefined {
    return this.store.task(this.sessionId, id);
  }

  create(by: string, input: NewTask): BoardResult {
    const tasks = this.list();
    const dependsOn = [...new Set(input.dependsOn ?? [])];
    const unknown = dependsOn.filter((d) => !tasks.some((t) => t.id === d));
    if (unknown.length) return { ok: false, reason: `unknown dependencies: ${unknown.join(", ")} (see list_tasks)` };
    const deps = tasks.filter((t) => dependsOn.includes(t.id));
    const status: TaskStatus = deps.some((d) => d.status === "failed")
      ? "failed"
      : deps.every((d) => d.status === "completed")
        ? "pending"
        : "blocked";
    const task: TaskRow = {
      id: `T${tasks.length + 1}`,
      title: input.title,
      description: input.description ?? "",
      dependsOn,
      ...(input.owner ? { owner: input.owner } : {}),
      status,
      ...(status === "failed" ? { result: "a dependency had already failed" } : {}),
      createdBy: by,
    };
    this.log.transaction(() => {
      this.store.insertTask(this.sessionId, task);
      this.log.emit(by, { type: "task_created", task });
    });
    // No "ready" notice here: whoever creates an assigned task tells its owner in the same breath.
    this.notify.changed();
    return { ok: true, task };
  }

  /** Takes a pending task (the next one the agent may take, when no id is given). Atomic. */
  claim(agentId: string, id?: string): BoardResult {
    const pick = id ?? this.store.tasks(this.sessionId, "pending").find((t) => !t.owner || t.owner === agentId)?.id;
    if (!pick) return { ok: false, reason: `no task is ready for ${agentId} (${this.summary()})` };
    const won = this.transition(agentId, pick, { from: ["pending"], to: "in_progress", owner: agentId, ownerMayBe: [agentId] });
    if (won) return { ok: true, task: this.get(pick)! };
    const task = this.get(pick);
    if (!task) return { ok: false, reason: `no task ${pick} (see list_tasks)` };
    if (task.status === "in_progress" && task.owner === agentId) return { ok: true, task, note: "you already hold it" };
    if (task.status === "blocked") {
      return { ok: false, reason: `${pick} is blocked until ${task.dependsOn.join(", ")} complete` };
    }
    if (task.owner && task.owner !== agentId) return { ok: false, reason: `${pick} is already ${task.status === "pending" ? "assigned to" : "held by"} ${task.owner}` };
    return { ok: false, reason: `${pick} is ${task.status.replace("_", " ")}` };
  }

  /** Progress note, or a status change by the task's owner (release to pending, or fail). */
  update(agentId: string, id: string, change: { status?: "pending" | "in_progress" | "failed"; note?: string }): BoardResult {
    const task = this.get(id);
    if (!task) return { ok: false, reason: `no task ${id} (see list_tasks)` };
    if (task.owner !== agentId && agentId !== "lead") return { ok: false, reason: `${id} is not yours (owner: ${task.owner ?? "none"})` };
    if (change.status === "failed") return this.finish(agentId, id, "failed", change.note ?? "failed");
    const to = change.status ?? task.status;
    const from: TaskStatus[] = ["in_progress", "pending"];
    const owner = task.owner;
    const ok = this.log.transaction(() => {
      const changed = this.store.transitionTask(this.sessionId, id, { from, to });
      if (changed) {
        this.log.emit(agentId, {
          type: "task_updated",
          taskId: id,
          status: to,
          ...(owner ? { owner } : {}),
          ...(change.note ? { note: change.note } : {}),
        });
      }
      return changed;
    });
    if (!ok) return { ok: false, reason: `${id} is ${task.status}; it cannot become ${to}` };
    this.notify.changed();
    return { ok: true, task: this.get(id)! };
  }

  complete(agentId: string, id: string, result: string): BoardResult {
    return this.finish(agentId, id, "completed", result);
  }

  private finish(agentId: string, id: string, to: "completed" | "failed", result: string): BoardResult {
    const task = this.get(id);
    if (!task) return { ok: false, reason: `no task ${id} (see list_tasks)` };
    // Idempotent for its owner, so a call cut off by a crash can simply run again on resume.
    if (task.status === to && task.owner === agentId && task.result === result) return { ok: true, task, note: `already ${to}` };
    if (task.status === "completed" || task.status === "failed") {
      return { ok: false, reason: `${id} is already ${task.status}${task.owner ? ` (by ${task.owner})` : ""}` };
    }
    const mayFinish = agentId === "lead" ? undefined : [agentId];
    const from: TaskStatus[] = agentId === "lead" ? ["pending", "in_progress", "blocked"] : ["in_progress"];
    // The task, the tasks it unblocks and their owners' notices commit together.
    const done = this.log.transaction(() => {
      if (!this.transition(agentId, id, { from, to, result, ...(mayFinish ? { ownerMayBe: mayFinish } : {}) })) return false;
      this.settle();
      return true;
    });
    if (!done) {
      return { ok: false, reason: task.owner === agentId ? `${id} is ${task.status}: claim it first` : `${id} is not yours (owner: ${task.owner ?? "none"}); claim it first` };
    }
    return { ok: true, task: this.get(id)! };
  }

  private transition(
    agentId: string,
    id: string,
    change: { from: TaskStatus[]; to: TaskStatus; owner?: string; result?: string; ownerMayBe?: string[] },
  ): boolean {
    const ok = this.log.transaction(() => {
      const changed = this.store.transitionTask(this.sessionId, id, change);
      if (changed) {
        const task = this.get(id)!;
        this.log.emit(agentId, {
          type: "task_updated",
          taskId: id,
          status: change.to,
          ...(task.owner ? { owner: task.owner } : {}),
          ...(change.result !== undefined ? { result: change.result } : {}),
        });
      }
      return changed;
    });
    if (ok) this.notify.changed();
    return ok;
  }

  /**
   * Unblocks tasks whose dependencies all completed (telling their owners); fails those with a
   * failed dependency. Idempotent: a resume runs it too.
   */
  settle(): void {
    for (let changed = true; changed; ) {
      changed = false;
      for (const task of this.store.tasks(this.sessionId, "blocked")) {
        const deps = task.dependsOn.map((d) => this.get(d)!);
        const failed = deps.find((d) => d.status === "failed");
        if (failed) {
          changed ||= this.transition("board", task.id, { from: ["blocked"], to: "failed", result: `dependency ${failed.id} failed` });
        } else if (deps.every((d) => d.status === "completed")) {
          this.log.transaction(() => {
            if (!this.transition("board", task.id, { from: ["blocked"], to: "pending" })) return;
            changed = true;
            const ready = this.get(task.id)!;
            if (ready.owner) this.notify.ready(ready);
          });
        }
      }
    }
  }

  /** True when every task is completed or failed (and there is at least one). */
  allFinished(): boolean {
    const counts = this.store.statusCounts(this.sessionId);
    const finished = (counts.completed ?? 0) + (counts.failed ?? 0);
    return finished > 0 && finished === Object.values(counts).reduce((a, b) => a + b, 0);
  }

  summary(): string {
    const counts = Object.entries(this.store.statusCounts(this.sessionId));
    if (!counts.length) return "the board is empty";
    return counts.map(([s, n]) => `${n} ${s.replace("_", " ")}`).join(", ");
  }
}

/** The board as text for a model: one task per line. */
export function formatBoard(tasks: TaskRow[]): string {
  if (!tasks.length) return "The board is empty.";
  return tasks
    .map((t) => {
      const deps = t.dependsOn.length ? ` after ${t.dependsOn.join(", ")}` : "";
      const owner = t.owner ? ` @${t.owner}` : "";
      const result = t.result ? ` → ${t.result.length > 200 ? `${t.result.slice(0, 199)}…` : t.result}` : "";
      return `${t.id} [${t.status}]${owner}${deps}: ${t.title}${result}`;
    })
    .join("\n");
}
