import type { TaskSnapshot, TaskStatus } from "../agent/team-events.js";

export type TaskRow = TaskSnapshot;

/** One mailbox row: a message for one recipient (a broadcast has a row per recipient). */
export interface MessageRow {
  id: string;
  from: string;
  to: string;
  broadcast: boolean;
  text: string;
  /** Seq of the user_message event that delivered it; undefined while it waits. */
  deliveredSeq?: number;
}

export type MemberStatus = "active" | "stopped";

export interface MemberRow {
  agentId: string;
  /** The member's spec as JSON-able data (name, role, model, prompt, tools, limits, worktree). */
  spec: Record<string, unknown>;
  status: MemberStatus;
}

/**
 * What an agent team persists besides its event log: the task board, the mailbox and the
 * membership. Methods that change state return whether they did, so a caller can make them
 * conditional (a claim only wins from `pending`) and atomic with the event that records them.
 */
export interface TeamStore {
  /** Runs `fn` in one transaction (nested calls join the outer one). */
  transaction<T>(fn: () => T): T;
  insertTask(sessionId: string, task: TaskRow): void;
  /** In creation order; only those with `status` when given. */
  tasks(sessionId: string, status?: TaskStatus): TaskRow[];
  /** How many tasks have each status. */
  statusCounts(sessionId: string): Record<string, number>;
  task(sessionId: string, id: string): TaskRow | undefined;
  /**
   * Sets status (and owner / result when given) only if the task is in one of `from`, and, when
   * `ownerMayBe` is given, only if its owner is unset or one of those. True when it changed.
   */
  transitionTask(
    sessionId: string,
    id: string,
    change: { from: TaskStatus[]; to: TaskStatus; owner?: string; result?: string; ownerMayBe?: string[] },
  ): boolean;
  insertMessages(sessionId: string, rows: MessageRow[]): void;
  /** Every message, in sending order. */
  messages(sessionId: string): MessageRow[];
  markDelivered(sessionId: string, id: string, recipient: string, seq: number): void;
  upsertMember(sessionId: string, member: MemberRow): void;
  members(sessionId: string): MemberRow[];
}
