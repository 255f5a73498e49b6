import type { EffortSetting } from "../agent/effort.js";
import { ConfigError, parseModelId } from "../model/resolve.js";
import { SessionNotFound } from "../session/errors.js";
import { newSessionId } from "../session/session.js";
import type { TeamListener } from "../team/log.js";
import { ModelPool } from "../team/models.js";
import { resumeTeam as resumeTeamFromLog } from "../team/resume.js";
import { type MemberGuard, Team, type TeamCapableStore, type TeamEnvironment } from "../team/team.js";
import { startReview as startReviewTeam } from "../team/workflows/review.js";
import { unsandboxedRunner } from "../policy/sandbox/index.js";
import type { Guard } from "./guard.js";
import type { GuardChoice, Host, Workplace } from "./host.js";
import { TeamLifetime } from "./team-lifetime.js";

/**
 * Teams through the host: every member — lead, teammate, reviewer — gets its own policy hooks
 * from the team's one guard (so approvals go to the one face that started the team, and an
 * "always" answer covers the team), and its commands run in the sandbox of its own workspace.
 * A team, new or resumed, holds its session's lease while it runs, and what its members'
 * commands start is killed when it ends (and, after a kill, before a resume runs anything).
 */
export interface TeamRequest extends GuardChoice {
  task: string;
  cwd?: string;
  /** The most teammates at once (default 4). */
  size?: number;
  /** The lead's model id (default: as a solo session's). */
  lead?: string;
  /** Models new teammates get in turn (default: the lead's). */
  teammates?: string[];
  effort?: EffortSetting;
  budgetUsd?: number;
  agentBudgetUsd?: number;
  maxStepsPerAgent?: number;
}

export interface ReviewRequest extends GuardChoice {
  /** The folder to review. */
  root: string;
  focus: string[];
  /** Reviewers (default: one per focus). */
  size?: number;
  /** Reviewers' models (default: as a solo session's). */
  teammates?: string[];
  /** Where review.md and review.sarif go. */
  outDir: string;
  budgetUsd?: number;
  maxStepsPerAgent?: number;
}

export interface TeamHandles {
  onEvent?: TeamListener;
  signal?: AbortSignal;
}

export async function startTeam(host: Host, request: TeamRequest, handles: TeamHandles = {}): Promise<Team> {
  await host.settleTrust(request.cwd);
  const place = host.workplace(request.cwd);
  const c = place.config;
  const lead = request.lead ?? host.defaultModelId(place);
  const teammates = request.teammates?.length ? request.teammates : [lead];
  for (const id of [lead, ...teammates]) parseModelId(id); // a bad id is a config error now, not mid-run
  const effort = request.effort ?? c.effort;
  const budgetUsd = request.budgetUsd ?? c.budgetUsd;
  const maxSteps = request.maxStepsPerAgent ?? c.maxSteps;
  const lifetime = TeamLifetime.hold(host.store, place.home, newSessionId());
  return whileHeld(lifetime, async () => {
    const env = await environment(host, place, request, handles, lifetime, lead);
    await env.models.check(lead, { name: "lead", role: "lead" });
    return Team.start({
      ...env,
      sessionId: lifetime.sessionId,
      task: request.task,
      cwd: place.cwd,
      size: request.size ?? 4,
      lead: { model: lead, ...(effort ? { effort } : {}) },
      teammateModels: teammates,
      ...(budgetUsd ? { budgetUsd } : {}),
      ...(request.agentBudgetUsd ? { budgetUsdPerAgent: request.agentBudgetUsd } : {}),
      ...(maxSteps ? { maxStepsPerAgent: maxSteps } : {}),
    });
  });
}

export async function startReview(host: Host, request: ReviewRequest, handles: TeamHandles = {}): Promise<Team> {
  await host.settleTrust(request.root);
  const place = host.workplace(request.root);
  const teammates = request.teammates?.length ? request.teammates : [host.defaultModelId(place)];
  for (const id of teammates) parseModelId(id);
  const lifetime = TeamLifetime.hold(host.store, place.home, newSessionId());
  return whileHeld(lifetime, async () =>
    startReviewTeam({
      ...(await environment(host, place, request, handles, lifetime)),
      sessionId: lifetime.sessionId,
      root: place.cwd,
      size: request.size ?? request.focus.length,
      focus: request.focus,
      teammateModels: teammates,
      outDir: request.outDir,
      ...(request.budgetUsd ? { budgetUsd: request.budgetUsd } : {}),
      ...(request.maxStepsPerAgent ? { maxStepsPerAgent: request.maxStepsPerAgent } : {}),
    }),
  );
}

/** Continues a team session as a whole, guarded as a new one would be. */
export async function resumeTeam(host: Host, id: string, choice: GuardChoice = {}, handles: TeamHandles = {}): Promise<Team> {
  const row = host.store.findSession(id);
  if (!row) throw new SessionNotFound(`no session "${id}" (see \`colleague sessions\`)`);
  await host.settleTrust(row.cwd);
  const place = host.workplace(row.cwd);
  // One process at a time, as for a solo session: held until the team finishes.
  const lifetime = TeamLifetime.hold(host.store, place.home, row.id);
  return whileHeld(lifetime, async () => {
    const env = await environment(host, place, choice, handles, lifetime);
    // What a killed run of the team left running goes before any member runs again.
    lifetime.killLeftovers();
    const team = await resumeTeamFromLog(row.id, env);
    void team.run();
    return team;
  });
}

/** Starts a team under `lifetime`; a start that fails gives back what was held. */
async function whileHeld(lifetime: TeamLifetime, start: () => Promise<Team>): Promise<Team> {
  try {
    return await start();
  } catch (error) {
    lifetime.end();
    throw error;
  }
}

async function environment(host: Host, place: Workplace, choice: GuardChoice, handles: TeamHandles, lifetime: TeamLifetime, lead?: string): Promise<TeamEnvironment> {
  const store = host.store as TeamCapableStore;
  if (typeof store.teams !== "function") throw new ConfigError("teams need a store with team tables (the SQLite store)");
  const guard = await host.guard(place, choice, lead);
  return {
    store,
    models: new ModelPool((id) => host.model(id, place)),
    userDir: place.home,
    ...(guard ? { guard: memberGuard(guard, lifetime) } : { runner: lifetime.runner(unsandboxedRunner()) }),
    onEnd: () => lifetime.end(),
    ...(handles.signal ? { signal: handles.signal } : {}),
    ...(handles.onEvent ? { onEvent: handles.onEvent } : {}),
  };
}

function memberGuard(guard: Guard, lifetime: TeamLifetime): MemberGuard {
  return {
    permissionMode: guard.mode,
    sandbox: guard.sandbox,
    hooksFor: (spec) => guard.hooks({ id: spec.name, workspace: spec.cwd, ...(spec.ownTask ? { ownTask: true } : {}) }),
    runnerFor: (spec) => lifetime.runner(guard.runnerFor(spec.cwd)),
  };
}
