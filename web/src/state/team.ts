import type { AgentEvent } from "../../../src/agent/events.js";
import type { Finding, TaskSnapshot } from "../../../src/agent/team-events.js";

/** A team session's events folded into its board, its members, its mailbox and (for a review) its findings. */

export interface Member {
  id: string;
  role: string;
  model: string;
  /** What it is doing now: the running tool, thinking, idle, stopped. */
  action: string;
  effort?: string;
  costUsd: number;
  status: "working" | "idle" | "stopped";
}

export interface Mail {
  key: string;
  time: string;
  from: string;
  to: string;
  text: string;
}

export interface TeamView {
  tasks: Map<string, TaskSnapshot>;
  members: Map<string, Member>;
  mailbox: Mail[];
  findings: { finding: Finding; by: string; key: string }[];
}

export function emptyTeam(): TeamView {
  return { tasks: new Map(), members: new Map(), mailbox: [], findings: [] };
}

export function applyTeam(team: TeamView, e: AgentEvent): TeamView {
  const member = (id: string): Member => {
    let m = team.members.get(id);
    if (!m) {
      m = { id, role: id === "lead" ? "lead" : "", model: "", action: "starting", costUsd: 0, status: "working" };
      if (id !== "team") team.members.set(id, m);
    }
    return m;
  };
  switch (e.type) {
    case "team_started":
      if (e.lead) Object.assign(member("lead"), { model: e.lead, role: "lead" });
      break;
    case "teammate_spawned":
      Object.assign(member(e.name), { role: e.role, model: e.model, action: "starting", status: "working" });
      break;
    case "teammate_stopped":
      Object.assign(member(e.name), { action: `stopped: ${e.reason}`, status: "stopped" });
      break;
    case "agent_idle":
      Object.assign(member(e.agentId), { action: e.answer ? `idle: ${e.answer.slice(0, 80)}` : "idle", status: "idle" });
      break;
    case "step_started":
      Object.assign(member(e.agentId), { action: "thinking", status: "working", ...(e.effort ? { effort: e.effort } : {}) });
      break;
    case "tool_started":
      member(e.agentId).action = `${e.name} ${briefArgs(e.args)}`.trim();
      break;
    case "step_finished":
      member(e.agentId).costUsd = e.costUsd;
      break;
    case "effort_changed":
      member(e.agentId).effort = e.effort;
      break;
    case "task_created":
      team.tasks.set(e.task.id, { ...e.task });
      break;
    case "task_updated": {
      const task = team.tasks.get(e.taskId);
      if (task) team.tasks.set(e.taskId, { ...task, status: e.status, ...(e.owner ? { owner: e.owner } : {}), ...(e.result ? { result: e.result } : {}) });
      break;
    }
    case "message_sent":
      team.mailbox.push({ key: `${e.seq}:${e.messageId}`, time: e.time, from: e.from, to: e.to, text: e.text });
      break;
    case "user_message":
      // A teammate's mail reaches its recipient as a steer too; only a person's steer is new here.
      if (e.kind === "steer" && e.agentId !== "main" && !team.mailbox.some((m) => (m.to === e.agentId || m.to === "*") && e.text.includes(m.text))) team.mailbox.push({ key: `${e.seq}:steer`, time: e.time, from: "you", to: e.agentId, text: e.text });
      break;
    case "finding_reported":
      team.findings.push({ finding: e.finding, by: e.agentId, key: `${e.seq}` });
      break;
    default:
      break;
  }
  return team;
}

function briefArgs(args: unknown): string {
  if (!args || typeof args !== "object") return "";
  const a = args as Record<string, unknown>;
  const value = a.path ?? a.command ?? a.id ?? a.title ?? a.pattern ?? a.name;
  return typeof value === "string" ? value.slice(0, 60) : "";
}

export const SEVERITIES = ["critical", "high", "medium", "low", "info"] as const;
