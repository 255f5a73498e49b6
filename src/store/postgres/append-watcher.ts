import { createRequire } from "node:module";
import type { Client as PgClient, Notification } from "pg";

type Listener = (sessionId: string | undefined, seq: number) => void;

/** Reconnects after a lost connection this long later; events committed meanwhile are read on the next announcement. */
const RECONNECT_MS = 1_000;

/**
 * LISTENs on `colleague_events`, which the events table's trigger announces each committed
 * event on ("<session id> <seq>"). Its own asynchronous connection, apart from the store's
 * synchronous one: a notification must arrive while the process waits on nothing in particular.
 */
export class AppendWatcher {
  private readonly listeners = new Set<Listener>();
  private client?: PgClient;
  private closed = false;
  private retry?: NodeJS.Timeout;

  constructor(private readonly url: string) {
    this.connect();
  }

  add(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves once LISTEN is in place (tests wait for it before writing). */
  ready?: Promise<void>;

  private connect(): void {
    // Loaded here, not at the top: a SQLite user never loads pg.
    const { Client } = createRequire(import.meta.url)("pg") as typeof import("pg");
    const client = new Client({ connectionString: this.url, application_name: "colleague-listen" });
    this.client = client;
    client.on("notification", (message: Notification) => this.announce(message.payload));
    client.on("error", () => this.reconnect(client));
    client.on("end", () => this.reconnect(client));
    this.ready = client
      .connect()
      .then(() => client.query("LISTEN colleague_events"))
      // Events committed before LISTEN took effect were announced to nobody: readers catch up.
      .then(() => this.announce(undefined))
      .catch(() => this.reconnect(client));
  }

  private reconnect(client: PgClient): void {
    if (this.closed || this.client !== client || this.retry) return;
    this.client = undefined;
    void client.end().catch(() => {});
    this.retry = setTimeout(() => {
      this.retry = undefined;
      if (!this.closed) this.connect();
    }, RECONNECT_MS);
    this.retry.unref();
  }

  /** A payload of undefined tells every listener to catch up. */
  private announce(payload: string | undefined): void {
    const [sessionId, seq] = payload === undefined ? [undefined, "0"] : payload.split(" ");
    if (payload !== undefined && (!sessionId || seq === undefined)) return;
    for (const listener of this.listeners) {
      try {
        listener(sessionId, Number(seq));
      } catch {
        // One subscriber's failure is its own; the others still hear of the event.
      }
    }
  }

  close(): void {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    const client = this.client;
    this.client = undefined;
    void client?.end().catch(() => {});
  }
}
