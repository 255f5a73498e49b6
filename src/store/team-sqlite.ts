import type Database from "better-sqlite3";
import type { TaskStatus } from "../agent/team-events.js";
import type { MemberRow, MessageRow, TaskRow, TeamStore } from "./team-store.js";

interface RawTask {
  id: string;
  title: string;
  description: string;
  depends_on: string;
  owner: string | null;
  status: string;
  result: string | null;
  created_by: string;
}

/** TeamStore on the session store's SQLite connection, so team rows and events share transactions. */
export class SqliteTeamStore implements TeamStore {
  private readonly tx: Database.Transaction<(fn: () => unknown) => unknown>;
  private readonly statements = new Map<string, Database.Statement>();

  constructor(private readonly db: Database.Database) {
    this.tx = db.transaction((fn: () => unknown) => fn());
  }

  /** Prepared once per SQL text: a team makes many small queries. */
  private sql(text: string): Database.Statement {
    let statement = this.statements.get(text);
    if (!statement) {
      statement = this.db.prepare(text);
      this.statements.set(text, statement);
    }
    return statement;
  }

  transaction<T>(fn: () => T): T {
    return this.tx(fn) as T;
  }

  insertTask(sessionId: string, t: TaskRow): void {
    const ord = (this.sql("SELECT COUNT(*) AS n FROM team_tasks WHERE session_id = ?").get(sessionId) as { n: number }).n;
    const insert = this.sql(
      "INSERT INTO team_tasks (session_id, id, ord, title, description, depends_on, owner, status, result, created_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    );
    insert.run(sessionId, t.id, ord, t.title, t.description, JSON.stringify(t.dependsOn), t.owner ?? null, t.status, t.result ?? null, t.createdBy, now());
  }

  tasks(sessionId: string, status?: TaskStatus): TaskRow[] {
    const rows = status
      ? this.sql("SELECT * FROM team_tasks WHERE session_id = ? AND status = ? ORDER BY ord").all(sessionId, status)
      : this.sql("SELECT * FROM team_tasks WHERE session_id = ? ORDER BY ord").all(sessionId);
    return (rows as RawTask[]).map(toTask);
  }

  statusCounts(sessionId: string): Record<string, number> {
    const rows = this.sql("SELECT status, COUNT(*) AS n FROM team_tasks WHERE session_id = ? GROUP BY status").all(sessionId) as { status: string; n: number }[];
    return Object.fromEntries(rows.map((r) => [r.status, r.n]));
  }

  task(sessionId: string, id: string): TaskRow | undefined {
    const row = this.sql("SELECT * FROM team_tasks WHERE session_id = ? AND id = ?").get(sessionId, id) as RawTask | undefined;
    return row && toTask(row);
  }

  transitionTask(
    sessionId: string,
    id: string,
    c: { from: TaskStatus[]; to: TaskStatus; owner?: string; result?: string; ownerMayBe?: string[] },
  ): boolean {
    // One conditional UPDATE: the check and the change cannot be split by another writer.
    const params: unknown[] = [c.to, now()];
    let sets = "status = ?, updated_at = ?";
    if (c.owner !== undefined) {
      sets += ", owner = ?";
      params.push(c.owner);
    }
    if (c.result !== undefined) {
      sets += ", result = ?";
      params.push(c.result);
    }
    let where = `session_id = ? AND id = ? AND status IN (${c.from.map(() => "?").join(", ")})`;
    params.push(sessionId, id, ...c.from);
    if (c.ownerMayBe) {
      where += ` AND (owner IS NULL OR owner IN (${c.ownerMayBe.map(() => "?").join(", ")}))`;
      params.push(...c.ownerMayBe);
    }
    return this.sql(`UPDATE team_tasks SET ${sets} WHERE ${where}`).run(...params).changes === 1;
  }

  insertMessages(sessionId: string, rows: MessageRow[]): void {
    const ord = (this.sql("SELECT COUNT(*) AS n FROM team_messages WHERE session_id = ?").get(sessionId) as { n: number }).n;
    const insert = this.sql(
      "INSERT INTO team_messages (session_id, id, recipient, ord, sender, broadcast, text) VALUES (?, ?, ?, ?, ?, ?, ?)",
    );
    for (const [i, m] of rows.entries()) insert.run(sessionId, m.id, m.to, ord + i, m.from, m.broadcast ? 1 : 0, m.text);
  }

  messages(sessionId: string): MessageRow[] {
    const rows = this.sql("SELECT * FROM team_messages WHERE session_id = ? ORDER BY ord").all(sessionId) as {
      id: string;
      recipient: string;
      sender: string;
      broadcast: number;
      text: string;
      delivered_seq: number | null;
    }[];
    return rows.map((r) => ({
      id: r.id,
      from: r.sender,
      to: r.recipient,
      broadcast: r.broadcast === 1,
      text: r.text,
      ...(r.delivered_seq !== null ? { deliveredSeq: r.delivered_seq } : {}),
    }));
  }

  markDelivered(sessionId: string, id: string, recipient: string, seq: number): void {
    const mark = this.sql(
      "UPDATE team_messages SET delivered_seq = ? WHERE session_id = ? AND id = ? AND recipient = ? AND delivered_seq IS NULL",
    );
    mark.run(seq, sessionId, id, recipient);
  }

  upsertMember(sessionId: string, m: MemberRow): void {
    const ord = (this.sql("SELECT COUNT(*) AS n FROM team_members WHERE session_id = ?").get(sessionId) as { n: number }).n;
    const upsert = this.sql(
      "INSERT INTO team_members (session_id, agent_id, ord, spec, status) VALUES (?, ?, ?, ?, ?) ON CONFLICT (session_id, agent_id) DO UPDATE SET spec = excluded.spec, status = excluded.status",
    );
    upsert.run(sessionId, m.agentId, ord, JSON.stringify(m.spec), m.status);
  }

  members(sessionId: string): MemberRow[] {
    const rows = this.sql("SELECT * FROM team_members WHERE session_id = ? ORDER BY ord").all(sessionId) as {
      agent_id: string;
      spec: string;
      status: string;
    }[];
    return rows.map((r) => ({ agentId: r.agent_id, spec: JSON.parse(r.spec) as Record<string, unknown>, status: r.status as MemberRow["status"] }));
  }
}

const now = () => new Date().toISOString();

const toTask = (r: RawTask): TaskRow => ({
  id: r.id,
  title: r.title,
  description: r.description,
  dependsOn: JSON.parse(r.depends_on) as string[],
  ...(r.owner !== null ? { owner: r.owner } : {}),
  status: r.status as TaskStatus,
  ...(r.result !== null ? { result: r.result } : {}),
  createdBy: r.created_by,
});
