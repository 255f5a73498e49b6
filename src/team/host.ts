import type { Finding } from "../agent/team-events.js";
import type { Team } from "./team.js";
import type { TeamToolHost } from "./tools/host.js";

/** The team as one member's tools see it: every action is taken as `agentId`. */
export function teamToolHost(team: Team, agentId: string): TeamToolHost {
  return {
    agentId,
    board: team.board,
    send: (to, text) => {
      if (to !== "*" && !team.members.has(to)) return { ok: false, reason: `no teammate named "${to}" (${[...team.members.keys()].join(", ")})` };
      if (to === agentId) return { ok: false, reason: "that is you" };
      const everyone = [...team.members.values()].filter((m) => !m.stopped).map((m) => m.name);
      return { ok: true, id: team.mailbox.send(agentId, to, text, everyone) };
    },
    describeTeam: () => team.describeTeam(),
    spawn: (input) => (agentId === "lead" ? team.spawn(input) : Promise.resolve({ ok: false, text: "Only the lead spawns teammates." })),
    shutdown: (name, merge) => (agentId === "lead" ? team.shutdown(name, merge) : Promise.resolve({ ok: false, text: "Only the lead shuts teammates down." })),
    wait: (until, timeoutMs, signal) => team.wait(agentId, until, timeoutMs, signal),
    reportFinding: (finding: Finding) => {
      team.log.emit(agentId, { type: "finding_reported", finding });
      return `Recorded: ${finding.file}:${finding.startLine}-${finding.endLine} ${finding.title}`;
    },
  };
}
