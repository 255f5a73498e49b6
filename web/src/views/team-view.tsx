import type { TaskStatus } from "../../../src/agent/team-events.js";
import { ApprovalCard } from "../components/approval-card.js";
import { CopyCommand } from "../components/copy-command.js";
import { Status } from "../components/status.js";
import { SteeringBox } from "../components/steering-box.js";
import { money } from "../format.js";
import type { LiveSession } from "../state/use-session.js";
import { usePendingApprovals } from "./session-view.js";

const COLUMNS: { status: TaskStatus[]; title: string }[] = [
  { status: ["pending", "blocked"], title: "To do" },
  { status: ["in_progress"], title: "In progress" },
  { status: ["completed"], title: "Done" },
  { status: ["failed"], title: "Failed" },
];

/** A team: its board by status (owners, dependencies), its members and what each is doing, the mailbox, and steering one member. */
export function TeamView({ id, live }: { id: string; live: LiveSession }) {
  const { view, team } = live;
  const running = view.status === "running";
  const approvals = usePendingApprovals(id, view.approvalTick, running);
  const tasks = [...team.tasks.values()];
  const members = [...team.members.values()];
  return (
    <main className="session team">
      <header className="session-head">
        <div className="title">
          <a href="#/" className="back" aria-label="back to sessions">
            ←
          </a>
          <h1 title={view.task}>{view.task.split("\n")[0] || "Team"}</h1>
          <Status status={view.status} live />
        </div>
        <dl className="facts">
          <div>
            <dt>Members</dt>
            <dd>{members.length}</dd>
          </div>
          <div>
            <dt>Tasks</dt>
            <dd>
              {tasks.filter((t) => t.status === "completed").length} / {tasks.length} done
            </dd>
          </div>
          <div>
            <dt>Cost</dt>
            <dd className="num">{money(view.costUsd || members.reduce((s, m) => s + m.costUsd, 0))}</dd>
          </div>
        </dl>
      </header>
      <section className="board" aria-label="task board">
        {COLUMNS.map((col) => {
          const inCol = tasks.filter((t) => col.status.includes(t.status));
          return (
            <section key={col.title} className="column" aria-label={`${col.title} (${inCol.length})`}>
              <h2>
                {col.title} <span className="count">{inCol.length}</span>
              </h2>
              {inCol.map((t) => (
                <article key={t.id} className={`task-card ${t.status}`} data-task={t.id} data-status={t.status}>
                  <div className="task-top">
                    <span className="mono small muted">{t.id}</span>
                    {t.status === "blocked" ? <span className="badge warn">blocked</span> : null}
                  </div>
                  <h3>{t.title}</h3>
                  <div className="small muted">
                    {t.owner ? <span className="owner">@{t.owner}</span> : <span>unassigned</span>}
                    {t.dependsOn.length ? <span> · after {t.dependsOn.join(", ")}</span> : null}
                  </div>
                  {t.result ? <p className="small result">{t.result}</p> : null}
                </article>
              ))}
            </section>
          );
        })}
      </section>
      <div className="team-bottom">
        <section className="card members" aria-label="teammates">
          <h2>Teammates</h2>
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Doing</th>
                <th scope="col">Effort</th>
                <th scope="col" className="num">
                  Cost
                </th>
              </tr>
            </thead>
            <tbody>
              {members.map((m) => (
                <tr key={m.id} data-member={m.id}>
                  <td>
                    <span className={`dot ${m.status}`} aria-hidden="true" /> <strong>{m.id}</strong>
                    <div className="small muted">{m.role}</div>
                  </td>
                  <td className="small">{m.action}</td>
                  <td className="small">{m.effort ?? "—"}</td>
                  <td className="num small">{money(m.costUsd)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <section className="card mailbox" aria-label="mailbox">
          <h2>Mailbox</h2>
          <ol className="timeline">
            {team.mailbox.length === 0 ? <li className="muted small">No messages yet.</li> : null}
            {team.mailbox.map((m) => (
              <li key={m.key}>
                <div className="small">
                  <strong>{m.from}</strong> → <strong>{m.to === "*" ? "everyone" : m.to}</strong> <time className="muted">{new Date(m.time).toLocaleTimeString()}</time>
                </div>
                <p>{m.text}</p>
              </li>
            ))}
          </ol>
        </section>
      </div>
      <div className="dock">
        {approvals.list.map((a) => (
          <ApprovalCard key={a.callId} sessionId={id} approval={a} onAnswered={approvals.refresh} />
        ))}
        <SteeringBox sessionId={id} running={running} agents={members.map((m) => m.id)} />
        <CopyCommand label="Open in a terminal" command={`colleague attach ${id}`} />
      </div>
    </main>
  );
}
