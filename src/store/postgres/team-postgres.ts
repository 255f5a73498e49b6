import type { TaskStatus } from "../../agent/team-events.js";
import type { MemberRow, MessageRow, TaskRow, TeamStore } from "../team-store.js";
import type { SyncPostgres } from "./sync-client.js";

interface RawTask {
  id: string;
  title: string;
  description: string;
  depends_on: string[];
  owner: string | null;
  status: string;
  result: string | null;
  created_by: string;
}

/** TeamStore on the PostgreSQL store's connection, so team rows and events share transactions. */
export class PostgresTeamStore implements TeamStore {
  constructor(
    private readonly db: SyncPostgres,
    private readonly inTransaction: <T>(fn: () => T) => T,
  ) {}

  transaction<T>(fn: () => T): T {
    return this.inTransaction(fn);
  }

  insertTask(sessionId: string, t: TaskRow): void {
    this.db.query(
      `INSERT INTO team_tasks (session_id, id, ord, title, description, depends_on, owner, status, result, created_by, updated_at)
       VALUES ($1, $2, (SELECT COUNT(*) FROM team_tasks WHERE session_id = $1), $3, $4, $5::jsonb, $6, $7, $8, $9, $10)`,
      [sessionId, t.id, t.title, t.description, JSON.stringify(t.dependsOn), t.owner ?? null, t.status, t.result ?? null, t.createdBy, now()],
    );
  }

  tasks(sessionId: string, status?: TaskStatus): TaskRow[] {
    const rows = status
      ? this.db.query<RawTask>("SELECT * FROM team_tasks WHERE session_id = $1 AND status = $2 ORDER BY ord", [sessionId, status]).rows
      : this.db.query<RawTask>("SELECT * FROM team_tasks WHERE session_id = $1 ORDER BY ord", [sessionId]).rows;
    return rows.map(toTask);
  }

  statusCounts(sessionId: string): Record<string, number> {
    const rows = this.db.query<{ status: string; n: number }>("SELECT status, COUNT(*)::int AS n FROM team_tasks WHERE session_id = $1 GROUP BY status", [sessionId]).rows;
    return Object.fromEntries(rows.map((r) => [r.status, r.n]));
  }

  task(sessionId: string, id: string): TaskRow | undefined {
    const row = this.db.query<RawTask>("SELECT * FROM team_tasks WHERE session_id = $1 AND id = $2", [sessionId, id]).rows[0];
    return row && toTask(row);
  }

  transitionTask(
    sessionId: string,
    id: string,
    c: { from: TaskStatus[]; to: TaskStatus; owner?: string; result?: string; ownerMayBe?: string[] },
  ): boolean {
    // One conditional UPDATE: the check and the change cannot be split by another writer.
    const params: unknown[] = [];
    const next = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    let sets = `status = ${next(c.to)}, updated_at = ${next(now())}`;
    if (c.owner !== undefined) sets += `, owner = ${next(c.owner)}`;
    if (c.result !== undefined) sets += `, result = ${next(c.result)}`;
    let where = `session_id = ${next(sessionId)} AND id = ${next(id)} AND status = ANY(${next(c.from)})`;
    if (c.ownerMayBe) where += ` AND (owner IS NULL OR owner = ANY(${next(c.ownerMayBe)}))`;
    return this.db.query(`UPDATE team_tasks SET ${sets} WHERE ${where}`, params).rowCount === 1;
  }

  insertMessages(sessionId: string, rows: MessageRow[]): void {
    if (!rows.length) return;
    const ord = this.db.query<{ n: number }>("SELECT COUNT(*)::int AS n FROM team_messages WHERE session_id = $1", [sessionId]).rows[0]!.n;
    this.db.query(
      `INSERT INTO team_messages (session_id, id, recipient, ord, sender, broadcast, text)
       SELECT $1, m.id, m.recipient, $2 + m.i - 1, m.sender, m.broadcast, m.text
       FROM unnest($3::text[], $4::text[], $5::text[], $6::boolean[], $7::text[]) WITH ORDINALITY AS m (id, recipient, sender, broadcast, text, i)`,
      [sessionId, ord, rows.map((m) => m.id), rows.map((m) => m.to), rows.map((m) => m.from), rows.map((m) => m.broadcast), rows.map((m) => m.text)],
    );
  }

  messages(sessionId: string): MessageRow[] {
    const rows = this.db.query<{ id: string; recipient: string; sender: string; broadcast: boolean; text: string; delivered_seq: number | null }>(
      "SELECT * FROM team_messages WHERE session_id = $1 ORDER BY ord",
      [sessionId],
    ).rows;
    return rows.map((r) => ({
      id: r.id,
      from: r.sender,
      to: r.recipient,
      broadcast: r.broadcast,
      text: r.text,
      ...(r.delivered_seq !== null ? { deliveredSeq: r.delivered_seq } : {}),
    }));
  }

  markDelivered(sessionId: string, id: string, recipient: string, seq: number): void {
    this.db.query("UPDATE team_messages SET delivered_seq = $1 WHERE session_id = $2 AND id = $3 AND recipient = $4 AND delivered_seq IS NULL", [
      seq,
      sessionId,
      id,
      recipient,
    ]);
  }

  upsertMember(sessionId: string, m: MemberRow): void {
    this.db.query(
      `INSERT INTO team_members (session_id, agent_id, ord, spec, status)
       VALUES ($1, $2, (SELECT COUNT(*) FROM team_members WHERE session_id = $1), $3::jsonb, $4)
       ON CONFLICT (session_id, agent_id) DO UPDATE SET spec = excluded.spec, status = excluded.status`,
      [sessionId, m.agentId, JSON.stringify(m.spec), m.status],
    );
  }

  members(sessionId: string): MemberRow[] {
    const rows = this.db.query<{ agent_id: string; spec: Record<string, unknown>; status: string }>(
      "SELECT * FROM team_members WHERE session_id = $1 ORDER BY ord",
      [sessionId],
    ).rows;
    return rows.map((r) => ({ agentId: r.agent_id, spec: r.spec, status: r.status as MemberRow["status"] }));
  }
}

const now = () => new Date().toISOString();

const toTask = (r: RawTask): TaskRow => ({
  id: r.id,
  title: r.title,
  description: r.description,
  dependsOn: r.depends_on,
  ...(r.owner !== null ? { owner: r.owner } : {}),
  status: r.status as TaskStatus,
  ...(r.result !== null ? { result: r.result } : {}),
  createdBy: r.created_by,
});
