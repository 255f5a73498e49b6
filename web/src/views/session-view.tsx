import { useEffect, useState } from "react";
import type { PendingApproval } from "../../../src/protocol/schemas.js";
import { client, problem } from "../api.js";
import { ApprovalCard } from "../components/approval-card.js";
import { ContextGauge } from "../components/context-gauge.js";
import { CopyCommand } from "../components/copy-command.js";
import { CostPlot } from "../components/cost-plot.js";
import { Status } from "../components/status.js";
import { SteeringBox } from "../components/steering-box.js";
import { TranscriptItem } from "../components/transcript-item.js";
import { VirtualList } from "../components/virtual-list.js";
import { basename, money, tokens } from "../format.js";
import type { LiveSession } from "../state/use-session.js";

/** A solo session, live: the transcript, approval cards, steering, and context and cost at a glance. */
export function SessionView({ id, live }: { id: string; live: LiveSession }) {
  const { view } = live;
  const approvals = usePendingApprovals(id, view.approvalTick, view.status === "running");
  const [forkError, setForkError] = useState<string>();
  const running = view.status === "running";
  const fork = async (seq: number) => {
    try {
      const session = await client.fork(id, seq);
      window.location.hash = `#/s/${session.id}`;
    } catch (e) {
      setForkError(problem(e));
    }
  };
  return (
    <main className="session">
      <header className="session-head">
        <div className="title">
          <a href="#/" className="back" aria-label="back to sessions">
            ←
          </a>
          <h1 title={view.task}>{view.task.split("\n")[0] || "Session"}</h1>
          <Status status={view.status} live />
        </div>
        <dl className="facts">
          <div>
            <dt>Model</dt>
            <dd className="mono">{view.model.replace(/^scripted:.*\//, "scripted:")}</dd>
          </div>
          <div>
            <dt>Effort</dt>
            <dd>{view.effort ?? "auto"}</dd>
          </div>
          <div>
            <dt>Cost</dt>
            <dd className="num">{money(view.costUsd)}</dd>
          </div>
          <div>
            <dt>Tokens</dt>
            <dd className="num">{tokens(view.tokens)}</dd>
          </div>
          <div>
            <dt>Folder</dt>
            <dd title={view.cwd}>{basename(view.cwd)}</dd>
          </div>
        </dl>
      </header>
      <div className="session-body">
        <section className="transcript-col" aria-label="transcript">
          <VirtualList label="transcript" items={view.items} keyOf={(item) => item.key} render={(item) => <TranscriptItem item={item} onFork={running ? undefined : (seq) => void fork(seq)} />} />
          {forkError ? (
            <p className="error" role="alert">
              {forkError}
            </p>
          ) : null}
          <div className="dock">
            {approvals.list.map((a) => (
              <ApprovalCard key={a.callId} sessionId={id} approval={a} onAnswered={approvals.refresh} />
            ))}
            <SteeringBox sessionId={id} running={running} {...(view.effort ? { effort: view.effort } : {})} {...(view.model ? { model: view.model } : {})} />
          </div>
        </section>
        <aside className="side" aria-label="session details">
          {view.context ? <ContextGauge used={view.context.used} window={view.context.window} compactions={view.compactions.length} /> : <div className="gauge muted small">Context appears after the first request.</div>}
          <CostPlot series={view.series} compactions={view.compactions} />
          <CopyCommand label="Open in a terminal" command={`colleague attach ${id}`} />
          <dl className="details small">
            <dt>Permissions</dt>
            <dd>{view.permissionMode ?? "—"}</dd>
            <dt>Sandbox</dt>
            <dd>{view.sandbox ?? "—"}</dd>
            <dt>Step</dt>
            <dd>{view.step}</dd>
            <dt>Events</dt>
            <dd>{view.lastSeq.toLocaleString()}</dd>
          </dl>
          {!running ? <p className="muted small">Fork from any message to try another path; the original stays as it is.</p> : null}
        </aside>
      </div>
    </main>
  );
}

/** The approvals a session waits for, fetched again whenever a request or a decision arrives. */
export function usePendingApprovals(id: string, tick: number, running: boolean): { list: PendingApproval[]; refresh: () => void } {
  const [list, setList] = useState<PendingApproval[]>([]);
  const [nonce, setNonce] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: tick and nonce are the reasons to fetch again
  useEffect(() => {
    let stale = false;
    client
      .approvals(id)
      .then((a) => !stale && setList(a))
      .catch(() => undefined);
    return () => {
      stale = true;
    };
  }, [id, tick, nonce, running]);
  return { list, refresh: () => setNonce((n) => n + 1) };
}
