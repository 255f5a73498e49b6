import type { ApprovalReply, ApprovalRequest, Approver } from "../policy/approver.js";
import type { PendingApproval } from "../protocol/schemas.js";

interface Pending {
  request: ApprovalRequest;
  deadline: number;
  resolve: (reply: ApprovalReply) => void;
  timer: NodeJS.Timeout;
}

/**
 * Approvals for sessions that run in the server: a request waits until a client answers it
 * (once / session / deny with a reason) or until the deadline, when it is denied. Requests are
 * kept per session, so any client of that session — the dashboard, `attach`, an editor — can
 * answer, and the first answer wins.
 */
export class ApprovalBroker implements Approver {
  private readonly pending = new Map<string, Map<string, Pending>>();

  constructor(
    private readonly timeoutMs: number,
    private readonly onChange: (sessionId: string) => void = () => {},
  ) {}

  ask(request: ApprovalRequest): Promise<ApprovalReply> {
    const sessionId = request.sessionId ?? "";
    return new Promise((resolve) => {
      const waiting = this.pending.get(sessionId) ?? new Map<string, Pending>();
      this.pending.set(sessionId, waiting);
      const seconds = Math.round(this.timeoutMs / 1000);
      const timer = setTimeout(() => this.answer(sessionId, request.callId, { answer: "deny", reason: `nobody answered within ${seconds} s` }), this.timeoutMs);
      timer.unref();
      waiting.set(request.callId, { request, deadline: Date.now() + this.timeoutMs, resolve, timer });
      this.onChange(sessionId);
    });
  }

  /** Resolves a waiting request; false when there is none (already answered, timed out, unknown). */
  answer(sessionId: string, callId: string, reply: ApprovalReply): boolean {
    const waiting = this.pending.get(sessionId);
    const entry = waiting?.get(callId);
    if (!waiting || !entry) return false;
    clearTimeout(entry.timer);
    waiting.delete(callId);
    if (!waiting.size) this.pending.delete(sessionId);
    entry.resolve(reply);
    this.onChange(sessionId);
    return true;
  }

  list(sessionId: string): PendingApproval[] {
    return [...(this.pending.get(sessionId)?.values() ?? [])].map(({ request, deadline }) => ({
      callId: request.callId,
      tool: request.tool,
      summary: request.summary,
      reason: request.reason,
      ...(request.preview ? { preview: request.preview } : {}),
      ...(request.agentId ? { agentId: request.agentId } : {}),
      ...(request.onceOnly ? { onceOnly: true } : {}),
      deadline: new Date(deadline).toISOString(),
    }));
  }

  /** Denies everything a session waits for (it was interrupted or the server stops). */
  denyAll(sessionId: string, reason: string): void {
    for (const callId of [...(this.pending.get(sessionId)?.keys() ?? [])]) this.answer(sessionId, callId, { answer: "deny", reason });
  }
}
