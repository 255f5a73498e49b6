import { envelope } from "../model/envelope.js";
import type { UserMessage } from "../model/types.js";
import type { MessageRow, TeamStore } from "../store/team-store.js";
import type { TeamLog } from "./log.js";

/**
 * Direct and broadcast messages between teammates. Each recipient has its own queue in
 * sending order; a message is handed over at the recipient's next step boundary (the loop's
 * `drainInbox` hook) and marked delivered in the same transaction as the `user_message` event
 * that puts it into the recipient's conversation, so a resumed team neither loses nor repeats
 * one. The queues are rebuilt from the store on resume.
 */
export class Mailbox {
  private readonly queues = new Map<string, MessageRow[]>();
  /** What the last drain handed to each agent, in order, until the loop records it. */
  private readonly handedOver = new Map<string, (MessageRow | undefined)[]>();
  private count = 0;

  constructor(
    private readonly store: TeamStore,
    private readonly log: TeamLog,
    private readonly onMail: (recipient: string) => void,
  ) {
    const rows = store.messages(log.sessionId);
    this.count = new Set(rows.map((r) => r.id)).size;
    for (const row of rows) if (row.deliveredSeq === undefined) this.queue(row.to).push(row);
  }

  private queue(agentId: string): MessageRow[] {
    let q = this.queues.get(agentId);
    if (!q) {
      q = [];
      this.queues.set(agentId, q);
    }
    return q;
  }

  /** Sends `text` to one agent, or to `everyone` (all but the sender) when `to` is "*". */
  send(from: string, to: string, text: string, everyone: readonly string[]): string {
    const id = `M${++this.count}`;
    const broadcast = to === "*";
    const recipients = broadcast ? everyone.filter((a) => a !== from) : [to];
    const rows: MessageRow[] = recipients.map((r) => ({ id, from, to: r, broadcast, text }));
    this.log.transaction(() => {
      this.store.insertMessages(this.log.sessionId, rows);
      this.log.emit(from, { type: "message_sent", messageId: id, from, to, text });
    });
    for (const row of rows) this.queue(row.to).push(row);
    for (const row of rows) this.onMail(row.to);
    return id;
  }

  hasMail(agentId: string): boolean {
    return (this.queues.get(agentId)?.length ?? 0) > 0;
  }

  pending(agentId: string): number {
    return this.queues.get(agentId)?.length ?? 0;
  }

  /**
   * The agent's waiting messages as user messages, oldest first. `extra` (e.g. a steering
   * inbox's messages) follows them; the loop records each in order (see `recorded`).
   */
  drain(agentId: string, extra: UserMessage[] = []): UserMessage[] {
    const rows = this.queues.get(agentId) ?? [];
    this.queues.set(agentId, []);
    this.handedOver.set(agentId, [...(this.handedOver.get(agentId) ?? []), ...rows, ...extra.map(() => undefined)]);
    return [...rows.map(asUserMessage), ...extra];
  }

  /**
   * Called as the loop records a drained message: returns what to commit with that event
   * (marking the message delivered), or undefined for a message that was not mail.
   */
  recorded(agentId: string, text: string): ((seq: number) => void) | undefined {
    const queue = this.handedOver.get(agentId);
    // Matched by text as well as order, so a user message that did not come from the drain
    // (a loop's own nudge) never marks a message delivered.
    const index = queue?.findIndex((row) => row === undefined || formatMessage(row) === text) ?? -1;
    if (index < 0) return undefined;
    const [row] = queue!.splice(0, index + 1).slice(-1);
    if (!row) return undefined;
    return (seq) => this.store.markDelivered(this.log.sessionId, row.id, row.to, seq);
  }
}

/** How a message reads in the recipient's conversation: its id and sender, then the text. */
export function formatMessage(row: Pick<MessageRow, "id" | "from" | "broadcast" | "text">): string {
  return envelope({ id: row.id, from: row.from, ...(row.broadcast ? { broadcast: true } : {}), text: row.text });
}

const asUserMessage = (row: MessageRow): UserMessage => ({ role: "user", content: [{ type: "text", text: formatMessage(row) }] });
