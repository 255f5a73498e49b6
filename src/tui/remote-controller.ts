import type { AgentEvent } from "../agent/events.js";
import type { ApprovalReply, ApprovalRequest } from "../policy/approver.js";
import type { ColleagueClient } from "../protocol/client.js";
import { FileIndex } from "./file-index.js";
import { addItems, initialView, type Item, type NewItem, reduce, type ViewState } from "./view-model.js";

/**
 * The terminal UI attached to a session that runs in `colleague serve`: the same screen, fed by
 * the protocol instead of an in-process host. The session's log replays first, then its live
 * events; what the person types steers or queues (or continues a stopped session); approvals
 * show on the same card and are answered through the server.
 */
export class RemoteController {
  view: ViewState;
  showThinking = false;
  /** Files are the server's, not this machine's: nothing to complete locally. */
  readonly files = new FileIndex("/nonexistent");
  private readonly listeners = new Set<() => void>();
  private readonly stream = new AbortController();
  private onExit: (() => void) | undefined;

  constructor(
    private readonly client: ColleagueClient,
    private readonly sessionId: string,
    private readonly server: string,
  ) {
    this.view = initialView("…", "default", 0);
  }

  /** Loads the session, then follows its events until the person leaves. */
  async init(onExit: () => void): Promise<void> {
    this.onExit = onExit;
    const { session, approvals } = await this.client.getSession(this.sessionId);
    this.set(addItems({ ...this.view, model: session.model, sessionId: session.id, busy: session.live }, { kind: "note", text: `attached to ${session.id} on ${this.server} (${session.status})`, tone: "ok" }));
    void this.follow(approvals.map((a) => ({ callId: a.callId, tool: a.tool, summary: a.summary, reason: a.reason, ...(a.preview ? { preview: a.preview } : {}), ...(a.onceOnly ? { onceOnly: true } : {}) })));
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getView = (): ViewState => this.view;

  /** Enter steers (or continues a stopped session), Tab queues; `/exit` leaves, the session goes on. */
  submit(text: string, queue: boolean): void {
    const trimmed = text.trim();
    if (!trimmed) return;
    if (trimmed === "/exit" || trimmed === "/detach") {
      void this.exit();
      return;
    }
    const urgent = !queue && trimmed.startsWith("!") && trimmed.length > 1;
    const message = urgent ? trimmed.slice(1).trim() : trimmed;
    if (this.view.busy) this.set({ ...this.view, pending: [...this.view.pending, { mode: queue ? "queue" : "steer", text: message }] });
    this.client.send(this.sessionId, { text: message, mode: queue ? "queue" : "steer", ...(urgent ? { urgent } : {}) }).catch((error: Error) => this.note(`✗ ${error.message}`, "error"));
  }

  interrupt(): boolean {
    if (!this.view.busy) return false;
    this.client.interrupt(this.sessionId).catch((error: Error) => this.note(`✗ ${error.message}`, "error"));
    return true;
  }

  answerApproval(reply: ApprovalReply): void {
    const request = this.view.approval;
    if (!request) return;
    const { approval: _shown, ...rest } = this.view;
    this.set(rest);
    this.client.answer(this.sessionId, request.callId, reply).catch((error: Error) => this.note(`✗ ${error.message}`, "error"));
  }

  pastedFile(): string | undefined {
    return undefined;
  }

  showOutput(item: Extract<Item, { kind: "tool" }>): void {
    this.set(addItems(this.view, { kind: "output", title: `${item.ok ? "✓" : "✗"} ${item.name} ${item.summary}`, text: item.output }));
  }

  /** Leaves; the session keeps running in the server. */
  async exit(): Promise<void> {
    this.stream.abort();
    this.onExit?.();
  }

  private async follow(waiting: ApprovalRequest[]): Promise<void> {
    if (waiting[0]) this.set({ ...this.view, approval: waiting[0] });
    try {
      for await (const event of this.client.events(this.sessionId, { signal: this.stream.signal, until: () => false })) this.apply(event);
    } catch (error) {
      if (!this.stream.signal.aborted) this.note(`✗ the event stream ended: ${(error as Error).message}`, "error");
    }
  }

  private apply(event: AgentEvent): void {
    let view = reduce(this.view, event, Date.now());
    if (event.type === "session_started" || event.type === "session_resumed" || event.type === "step_started") view = { ...view, busy: true };
    if (event.type === "approval_requested") {
      const request: ApprovalRequest = { callId: event.callId, tool: event.name, summary: event.summary, reason: event.reason, ...(event.preview ? { preview: event.preview } : {}), ...(event.onceOnly ? { onceOnly: true } : {}) };
      view = { ...view, approval: request };
    }
    if (event.type === "permission_decision" && view.approval?.callId === event.callId) {
      const { approval: _done, ...rest } = view;
      view = rest;
    }
    this.set(view);
  }

  private note(text: string, tone: "dim" | "warn" | "error" | "ok") {
    this.set(addItems(this.view, { kind: "note", text, tone } as NewItem));
  }

  private set(view: ViewState) {
    this.view = view;
    for (const l of this.listeners) l();
  }
}
