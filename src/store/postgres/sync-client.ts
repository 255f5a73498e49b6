import { createRequire } from "node:module";
import type { MessagePort, Worker } from "node:worker_threads";
import { workerThreads } from "../../builtins.js";
import { StoreUnavailable } from "../errors.js";

/**
 * A synchronous PostgreSQL connection. The session store interface is synchronous (it was made
 * for better-sqlite3, and the loop commits each event before acting on it), while `pg` is
 * asynchronous. Rather than make every caller async, one worker thread owns a `pg` client; a
 * call posts the query to it and blocks on Atomics.wait until the worker posts the answer and
 * flips a shared flag. One connection, used by one blocked caller at a time, so BEGIN … COMMIT
 * sent as separate calls form a real transaction. Each call carries a number its answer echoes
 * (receiveAnswer).
 */
export interface QueryResult<Row> {
  rows: Row[];
  rowCount: number;
}

export class PostgresError extends Error {
  override name = "PostgresError";
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

/**
 * Runs inside the worker (plain JavaScript, evaluated: it needs no build step or loader, and it
 * loads `pg` from the path the main thread resolved). The flag is 0 while a call is pending and 1
 * once its answer is on the port.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const { Client } = require(workerData.pgPath);
const flag = new Int32Array(workerData.flag);
const port = workerData.port;
const client = new Client({ connectionString: workerData.url, application_name: "colleague" });
client.on("error", () => {});
const ready = client.connect().then(() => (workerData.relaxedCommit ? client.query("SET synchronous_commit = off") : undefined));
const answer = (id, message) => {
  port.postMessage({ id, ...message });
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
};
port.on("message", async (call) => {
  try {
    await ready;
    if (call.close) {
      await client.end();
      answer(call.id, { ok: true });
      return;
    }
    const result = await client.query(call.sql, call.params);
    answer(call.id, { rows: result.rows, rowCount: result.rowCount ?? 0 });
  } catch (error) {
    answer(call.id, { error: String(error && error.message ? error.message : error), code: error && error.code });
  }
});
`;

/** How long a call may block before the store counts the database as gone (a lock held by another process waits this long). */
const CALL_TIMEOUT_MS = 60_000;

export class SyncPostgres {
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly flag: Int32Array;
  private calls = 0;
  private closed = false;

  constructor(readonly url: string) {
    let pgPath: string;
    try {
      pgPath = createRequire(import.meta.url).resolve("pg");
    } catch {
      throw new StoreUnavailable("the PostgreSQL store needs the `pg` package (npm install pg)");
    }
    const shared = new SharedArrayBuffer(4);
    this.flag = new Int32Array(shared);
    const { port1, port2 } = new (workerThreads().MessageChannel)();
    this.port = port1;
    // A commit returns once PostgreSQL has it, before its WAL reaches the disk: an event is safe
    // from a killed worker at once, and from a crash of the database server itself ~0.6 s later
    // (the trade SQLite's synchronous=NORMAL makes). It halves an append's cost (docs/scale-out.md);
    // a URL that sets synchronous_commit itself (options=-c synchronous_commit=on) keeps its choice.
    const relaxedCommit = !/synchronous_commit/i.test(decodeURIComponent(url));
    // execArgv: [] because the source is CommonJS: a parent started with --input-type=module
    // would hand that flag down, the worker would die on `require`, and the caller would block.
    this.worker = new (workerThreads().Worker)(WORKER_SOURCE, { eval: true, execArgv: [], workerData: { url, pgPath, flag: shared, port: port2, relaxedCommit }, transferList: [port2] });
    // The worker must never keep a finished CLI alive; its calls are synchronous anyway.
    this.worker.unref();
    this.port.unref();
    try {
      this.query("SELECT 1");
    } catch (error) {
      this.terminate();
      throw new StoreUnavailable(`cannot reach the PostgreSQL store ${redact(url)}: ${(error as Error).message}`);
    }
  }

  query<Row = Record<string, unknown>>(sql: string, params: unknown[] = []): QueryResult<Row> {
    const reply = this.call({ sql, params }) as { rows?: Row[]; rowCount?: number; error?: string; code?: string };
    if (reply.error !== undefined) throw new PostgresError(reply.error, reply.code);
    return { rows: reply.rows ?? [], rowCount: reply.rowCount ?? 0 };
  }

  private call(message: object): unknown {
    if (this.closed) throw new StoreUnavailable("the PostgreSQL store is closed");
    const id = ++this.calls;
    Atomics.store(this.flag, 0, 0);
    this.port.postMessage({ id, ...message });
    const reply = receiveAnswer(this.port, this.flag, id, CALL_TIMEOUT_MS);
    if (reply !== undefined) return reply;
    this.terminate();
    throw new StoreUnavailable(`the PostgreSQL store ${redact(this.url)} did not answer within ${CALL_TIMEOUT_MS / 1000} s`);
  }

  close(): void {
    if (this.closed) return;
    try {
      this.call({ close: true });
    } catch {
      // A connection that is already gone has nothing to close.
    }
    this.terminate();
  }

  private terminate(): void {
    this.closed = true;
    this.port.close();
    void this.worker.terminate();
  }
}

/** For short sleeps while an answer is on its way (nothing ever notifies it). */
const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * Blocks until the answer numbered `id` is on `port` (the other side posts it, then sets `flag` to
 * 1 and notifies), or `timeoutMs` pass: then undefined. An answer that is not yet on this side
 * when the flag flips is waited for; one numbered otherwise (left over from an earlier call) is
 * dropped, so a caller never reads another query's rows.
 */
export function receiveAnswer(port: MessagePort, flag: Int32Array, id: number, timeoutMs: number): unknown {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = deadline - Date.now();
    if (left <= 0 || Atomics.wait(flag, 0, 0, left) === "timed-out") return undefined;
    const reply = workerThreads().receiveMessageOnPort(port)?.message as { id?: number } | undefined;
    if (reply?.id === id) return reply;
    // The flag stays 1 now, so the wait above returns at once: sleep a moment when nothing came.
    if (!reply) Atomics.wait(pause, 0, 0, 1);
  }
}

/** The URL without its password, for messages. */
export function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "the configured URL";
  }
}
