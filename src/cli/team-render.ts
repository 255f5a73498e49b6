import type { AgentEvent } from "../agent/events.js";
import { callSummary, formatDuration, formatTokens, formatUsd, type Style } from "./render.js";
import { totalTokens } from "../model/types.js";

const clip = (s: string, n = 100) => {
  const line = s.replace(/\s+/g, " ").trim();
  return line.length > n ? `${line.slice(0, n - 1)}…` : line;
};

/**
 * The live view of a team run: one line per thing that matters — who spawned, what each
 * agent is doing, messages, board changes (with the board's counts and everyone's current
 * action), and a closing summary with the final board.
 */
export class TeamRenderer {
  private readonly actions = new Map<string, string>();
  private readonly board = new Map<string, { status: string; owner?: string; title: string }>();

  constructor(
    private readonly out: NodeJS.WritableStream,
    private readonly style: Style,
  ) {}

  private line(s: string) {
    this.out.write(`${s}\n`);
  }

  private tag(agentId: string) {
    return this.style.cyan(`[${agentId}]`);
  }

  render = (event: AgentEvent): void => {
    const s = this.style;
    const who = event.agentId;
    switch (event.type) {
      case "team_started":
        this.line(s.dim(`colleague ${event.kind} · session ${event.sessionId} · ${event.lead ? `lead ${event.lead} · ` : ""}size ${event.size} · ${event.cwd}`));
        this.line(`${s.bold("›")} ${clip(event.task, 300)}`);
        break;
      case "session_resumed":
        if (who === "team") this.line(s.dim(`resuming team session ${event.sessionId}`));
        break;
      case "teammate_spawned":
        this.actions.set(who, "starting");
        this.line(`${s.green("+")} ${s.bold(event.name)} (${event.role}) on ${event.model}${event.worktree ? s.dim(` in ${event.worktree}`) : ""}`);
        break;
      case "teammate_stopped":
        this.actions.set(who, "stopped");
        this.line(`${s.yellow("−")} ${s.bold(event.name)} stopped${event.merge ? `: ${event.merge.summary}` : ""}`);
        break;
      case "message_sent":
        this.line(`${s.yellow("✉")} ${event.from} → ${event.to === "*" ? "everyone" : event.to}: ${clip(event.text)}`);
        break;
      case "step_started":
        this.actions.set(who, "thinking");
        break;
      case "tool_started":
        this.actions.set(who, `${event.name} ${callSummary(event.name, event.args)}`.trim());
        if (event.name !== "wait" && event.name !== "list_tasks") this.line(`${this.tag(who)} ${s.cyan("⏺")} ${event.name} ${callSummary(event.name, event.args)}`);
        break;
      case "tool_finished":
        if (event.isError) {
          const text = event.content.map((p) => (p.type === "text" ? p.text : "")).join(" ");
          this.line(`${this.tag(who)} ${s.red("✗")} ${clip(text)}`);
        }
        break;
      case "assistant_message": {
        const text = event.message.content.map((p) => (p.type === "text" ? p.text : "")).join("");
        if (text.trim()) this.line(`${this.tag(who)} ${clip(text, 200)}`);
        break;
      }
      case "agent_idle":
        this.actions.set(who, event.status === "completed" ? "idle" : event.status);
        if (event.status !== "completed") this.line(`${this.tag(who)} ${s.red(`stopped (${event.status})`)} ${clip(event.error ?? "")}`);
        break;
      case "finding_reported":
        this.line(`${this.tag(who)} ${s.yellow("!")} ${event.finding.severity} ${event.finding.category} ${event.finding.file}:${event.finding.startLine} ${clip(event.finding.title)}`);
        break;
      case "task_created":
        this.board.set(event.task.id, { status: event.task.status, title: event.task.title, ...(event.task.owner ? { owner: event.task.owner } : {}) });
        this.boardLine(`${event.task.id} created (${event.task.status}): ${clip(event.task.title, 60)}`);
        break;
      case "task_updated": {
        const task = this.board.get(event.taskId) ?? { status: event.status, title: "" };
        this.board.set(event.taskId, { ...task, status: event.status, ...(event.owner ? { owner: event.owner } : {}) });
        const note = event.result ?? event.note;
        this.boardLine(`${event.taskId} ${event.status.replace("_", " ")}${event.owner ? ` @${event.owner}` : ""}${note ? `: ${clip(note, 60)}` : ""}`);
        break;
      }
      case "model_error":
        this.line(`${this.tag(who)} ${s.red(`✗ ${event.error.message}`)}`);
        break;
      case "session_finished":
        if (who === "team") this.finished(event);
        break;
      default:
        break;
    }
  };

  private counts(): string {
    const counts = new Map<string, number>();
    for (const t of this.board.values()) counts.set(t.status, (counts.get(t.status) ?? 0) + 1);
    return [...counts].map(([k, n]) => `${n} ${k.replace("_", " ")}`).join(", ");
  }

  private boardLine(change: string) {
    const s = this.style;
    this.line(`${s.bold("▣")} ${change} ${s.dim(`· board: ${this.counts()}`)}`);
    const doing = [...this.actions].map(([a, what]) => `${a}: ${clip(what, 40)}`).join(" · ");
    if (doing) this.line(s.dim(`  ${doing}`));
  }

  private finished(event: Extract<AgentEvent, { type: "session_finished" }>) {
    const s = this.style;
    for (const [id, t] of this.board) this.line(`  ${id} ${t.status.padEnd(11)} ${(t.owner ?? "").padEnd(12)} ${clip(t.title, 70)}`);
    const facts = `${event.steps} steps · ${formatTokens(totalTokens(event.usage))} tokens · ${formatUsd(event.costUsd)} · ${formatDuration(event.durationMs)}`;
    if (event.status === "completed") this.line(`${s.green("✓ team completed")} · ${facts}`);
    // Stopped by a hang-up, SIGTERM or closed output: resumable, not a failure.
    else if (event.status === "stopped") this.line(`${s.yellow("■ team stopped")}: resume with colleague resume ${event.sessionId} · ${facts}`);
    else this.line(`${s.red(`✗ team ${event.status}`)}: ${event.error ?? ""} · ${facts}`);
  }
}
