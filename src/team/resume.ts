import type { AgentEvent, EventOf } from "../agent/events.js";
import type { LoopState } from "../agent/loop.js";
import { SessionNotFound } from "../session/errors.js";
import { replay } from "../session/replay.js";
import { TEAM_AGENT } from "./log.js";
import type { MemberSpec } from "./member.js";
import { Team, type TeamEnvironment } from "./team.js";

/** The team_started event of a session's log, if it is a team session. */
export function teamStartOf(events: AgentEvent[]): EventOf<"team_started"> | undefined {
  const first = events.find((e) => e.type === "team_started");
  return first as EventOf<"team_started"> | undefined;
}

/**
 * Continues a team session from its log and its tables, as a whole: every member gets its
 * conversation back (replayed from its own events), a member that was mid-turn carries on
 * (finished tool calls are not run again; a mutating call cut off mid-run is reported as
 * interrupted), idle members wait for mail, undelivered messages are delivered once, and the
 * board is as the store has it — a completed task stays completed.
 */
export async function resumeTeam(idOrPrefix: string, env: TeamEnvironment): Promise<Team> {
  const row = env.store.findSession(idOrPrefix);
  if (!row) throw new SessionNotFound(`no session ${JSON.stringify(idOrPrefix)} (see \`colleague sessions\`)`);
  const events = env.store.events(row.id);
  const started = teamStartOf(events);
  if (!started) throw new SessionNotFound(`session ${row.id} is not a team session`);
  const finished = events.findLast((e) => e.type === "session_finished" && e.agentId === TEAM_AGENT);
  if (finished && (finished as EventOf<"session_finished">).status === "completed") {
    throw new SessionNotFound(`team session ${row.id} already completed`);
  }
  const team = new Team(
    row.id,
    {
      task: started.task,
      cwd: started.cwd,
      kind: started.kind,
      size: started.size,
      ...(started.lead ? { lead: { model: started.lead } } : {}),
      teammateModels: started.teammateModels,
      ...(started.budgetUsd ? { budgetUsd: started.budgetUsd } : {}),
      ...(started.maxStepsPerAgent ? { maxStepsPerAgent: started.maxStepsPerAgent } : {}),
      ...(started.options ? { options: started.options } : {}),
    },
    env,
    events.at(-1)?.seq ?? 0,
  );
  const rows = env.store.teams().members(row.id);
  team.board.settle(); // in case the kill fell between a completion and its unblocking (older logs)
  const restored = [];
  for (const memberRow of rows) {
    const own = events.filter((e) => e.agentId === memberRow.agentId);
    if (!own.some((e) => e.type === "session_started")) continue; // killed while it was being added
    const log = replay(own);
    const spec = memberRow.spec as unknown as MemberSpec;
    const state: LoopState = { messages: log.messages, step: log.step, usage: log.usage, costUsd: log.costUsd };
    const built = await team.buildMember(spec, state, log.started.system, log.started.tools);
    built.member.context.restore(log.handoff); // issue 4: the next compaction carries the last handoff
    const lifecycle = own.findLast((e) => e.type === "agent_idle" || e.type === "user_message" || e.type === "session_started" || e.type === "teammate_stopped" || e.type === "step_started");
    // Mid-turn at the kill, or stopped by Ctrl-C (aborted): carry on. Idle or stopped: wait for mail.
    const aborted = lifecycle?.type === "agent_idle" && lifecycle.status === "aborted";
    built.member.needsRun = aborted || (lifecycle?.type !== "agent_idle" && lifecycle?.type !== "teammate_stopped");
    built.member.stopped = memberRow.status === "stopped";
    restored.push({ member: built.member, log, tools: built.toolNames });
  }
  team.log.emit(TEAM_AGENT, {
    type: "session_resumed",
    step: restored.reduce((n, r) => n + r.log.step, 0),
    interruptedCalls: restored.flatMap((r) => r.log.unfinished.filter((c) => r.log.startedCalls.has(c.id)).map((c) => c.id)),
  });
  for (const { member, log } of restored) {
    team.members.set(member.name, member);
    if (!member.needsRun || member.stopped) continue;
    // Read-only tools, and board calls that are idempotent for their caller, simply run again.
    const readOnly = new Set([...member.readOnlyTools(), "claim_task", "complete_task"]);
    const interrupted = log.unfinished.filter((c) => log.startedCalls.has(c.id) && !readOnly.has(c.name));
    team.log.emit(member.name, { type: "session_resumed", step: log.step, interruptedCalls: interrupted.map((c) => c.id) });
    for (const call of interrupted) {
      const text =
        `The team stopped while ${call.name} was running (the process was killed), so it may have partly run. ` +
        "Check the current state (list_tasks, the files) before running it again.";
      team.log.emit(member.name, { type: "tool_finished", callId: call.id, name: call.name, content: [{ type: "text", text }], isError: true, durationMs: 0 });
      member.state.messages.push({ role: "tool", callId: call.id, name: call.name, content: [{ type: "text", text }], isError: true });
    }
    member.state.pendingCalls = log.unfinished.filter((c) => !interrupted.includes(c));
  }
  const lead = team.members.get("lead");
  if (lead && !lead.needsRun) {
    // The lead had answered but the team had not recorded its end: finish it now.
    const answer = events.findLast((e) => e.agentId === "lead" && e.type === "agent_idle") as EventOf<"agent_idle"> | undefined;
    void team.finish({ status: (answer?.status ?? "completed") as EventOf<"session_finished">["status"], ...(answer?.answer ? { answer: answer.answer } : {}) });
    return team;
  }
  for (const member of team.members.values()) team.activate(member);
  return team;
}
