import { useState } from "react";
import type { PendingApproval } from "../../../src/protocol/schemas.js";
import { client, problem } from "../api.js";
import { Diff, looksLikeDiff } from "./diff.js";

/** One call waiting for a person: what it would do (diff or command), and once / session / deny with a reason. */
export function ApprovalCard({ sessionId, approval, onAnswered }: { sessionId: string; approval: PendingApproval; onAnswered: () => void }) {
  const [reason, setReason] = useState("");
  const [denying, setDenying] = useState(false);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const answer = async (kind: "once" | "session" | "deny") => {
    setBusy(true);
    try {
      await client.answer(sessionId, approval.callId, { answer: kind, ...(kind === "deny" && reason.trim() ? { reason: reason.trim() } : {}) });
      onAnswered();
    } catch (e) {
      setError(problem(e));
    } finally {
      setBusy(false);
    }
  };
  const headingId = `approval-${approval.callId}`;
  return (
    <section className="card approval" aria-labelledby={headingId} data-call={approval.callId}>
      <header>
        <span className="eyebrow">Approval needed{approval.agentId ? ` · ${approval.agentId}` : ""}</span>
        <h3 id={headingId}>
          <code>{approval.tool}</code> {approval.summary}
        </h3>
        <p className="muted small">{approval.reason}</p>
      </header>
      {approval.preview ? looksLikeDiff(approval.preview) ? <Diff text={approval.preview} label={`diff of ${approval.summary}`} /> : <pre className="code">{approval.preview}</pre> : null}
      {denying ? (
        <form
          className="deny-form"
          onSubmit={(e) => {
            e.preventDefault();
            void answer("deny");
          }}
        >
          <label htmlFor={`${headingId}-reason`}>Why not? The agent reads this.</label>
          <div className="row">
            {/* biome-ignore lint/a11y/noAutofocus: the reason box opens because the user asked to deny */}
            <input id={`${headingId}-reason`} value={reason} onChange={(e) => setReason(e.target.value)} placeholder="e.g. keep the build folder" autoFocus />
            <button type="submit" className="danger" disabled={busy}>
              Deny
            </button>
            <button type="button" className="ghost" onClick={() => setDenying(false)}>
              Cancel
            </button>
          </div>
        </form>
      ) : (
        <div className="row actions">
          <button type="button" className="primary" disabled={busy} onClick={() => void answer("once")}>
            Allow once
          </button>
          {approval.onceOnly ? null : (
            <button type="button" disabled={busy} onClick={() => void answer("session")}>
              Allow for this session
            </button>
          )}
          <button type="button" className="danger-outline" disabled={busy} onClick={() => setDenying(true)}>
            Deny…
          </button>
        </div>
      )}
      {error ? (
        <p className="error" role="alert">
          {error}
        </p>
      ) : null}
    </section>
  );
}
