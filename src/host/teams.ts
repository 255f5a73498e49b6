import type { EffortSetting } from "../agent/effort.js";
import { ConfigError, parseModelId } from "../model/resolve.js";
import { SessionNotFound } from "../session/errors.js";
import { holdSession } from "../session/lease.js";
import type { TeamListener } from "../team/log.js";
import { ModelPool } from "../team/models.js";
import { resumeTeam as resumeTeamFromLog } from "../team/resume.js";
import { type MemberGuard, Team, type TeamCapableStore, type TeamEnvironment } from "../team/team.js";
import { startReview as startReviewTeam } from "../team/workflows/review.js";
import { unsandboxedRunner } from "../policy/sandbox/index.js";
import type { Guard } from "./guard.js";
import type { GuardChoice, Host, Workplace } from "./host.js";

/**
 * Teams through the host: every member — lead, teammate, reviewer — gets its own policy hooks
 * from the team's one guard (so approvals go to the one face that started the team, and an
 * "always" answer covers the team), and its commands run in the sandbox of its own workspace.
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
  const env = await environment(host, place, request, handles);
  await env.models.check(lead, { name: "lead", role: "lead" });
  const effort = request.effort ?? c.effort;
  const budgetUsd = request.budgetUsd ?? c.budgetUsd;
  const maxSteps = request.maxStepsPerAgent ?? c.maxSteps;
  return Team.start({
    ...env,
    task: request.task,
    cwd: place.cwd,
    size: request.size ?? 4,
    lead: { model: lead, ...(effort ? { effort } : {}) },
    teammateModels: teammates,
    ...(budgetUsd ? { budgetUsd } : {}),
    ...(request.agentBudgetUsd ? { budgetUsdPerAgent: request.agentBudgetUsd } : {}),
    ...(maxSteps ? { maxStepsPerAgent: maxSteps } : {}),
  });
}

export async function startReview(host: Host, request: ReviewRequest, handles: TeamHandles = {}): Promise<Team> {
  await host.settleTrust(request.root);
  const place = host.workplace(request.root);
  const teammates = request.teammates?.length ? request.teammates : [host.defaultModelId(place)];
  for (const id of teammates) parseModelId(id);
  const env = await environment(host, place, request, handles);
  return startReviewTeam({
    ...env,
    root: place.cwd,
    size: request.size ?? request.focus.length,
    focus: request.focus,
    teammateModels: teammates,
    outDir: request.outDir,
    ...(request.budgetUsd ? { budgetUsd: request.budgetUsd } : {}),
    ...(request.maxStepsPerAgent ? { maxStepsPerAgent: request.maxStepsPerAgent } : {}),
  });
}

/** Continues a team session as a whole, guarded as a new one would be. */
export async function resumeTeam(host: Host, id: string, choice: GuardChoice = {}, handles: TeamHandles = {}): Promise<Team> {
  const row = host.store.findSession(id);
  if (!row) throw new SessionNotFound(`no session "${id}" (see \`colleague sessions\`)`);
  await host.settleTrust(row.cwd);
  const place = host.workplace(row.cwd);
  // One process at a time, as for a solo session: held until the team finishes.
  const hold = holdSession(host.store, row.id);
  try {
    const team = await resumeTeamFromLog(row.id, await environment(host, place, choice, handles));
    void team.run().finally(() => hold.release());
    return team;
  } catch (error) {
    hold.release();
    throw error;
  }
}

async function environment(host: Host, place: Workplace, choice: GuardChoice, handles: TeamHandles): Promise<TeamEnvironment> {
  const store = host.store as TeamCapableStore;
  if (typeof store.teams !== "function") throw new ConfigError("teams need a store with team tables (the SQLite store)");
  const guard = await host.guard(place, choice);
  return {
    store,
    models: new ModelPool((id) => host.model(id, place)),
    userDir: place.home,
    ...(guard ? { guard: memberGuard(guard) } : { runner: unsandboxedRunner() }),
    ...(handles.signal ? { signal: handles.signal } : {}),
    ...(handles.onEvent ? { onEvent: handles.onEvent } : {}),
  };
}

function memberGuard(guard: Guard): MemberGuard {
  return {
    permissionMode: guard.mode,
    sandbox: guard.sandbox,
    hooksFor: (spec) => guard.hooks({ id: spec.name, workspace: spec.cwd }),
    runnerFor: (spec) => guard.runnerFor(spec.cwd),
  };
}
