/** colleague as a library. */
export type { AgentEvent, AgentEventBody, AgentEventType } from "./agent/events.js";
export { AgentEvent as AgentEventSchema } from "./agent/events.js";
export { chooseEffort, type EffortChoice, type EffortSetting, type EffortSituation } from "./agent/effort.js";
export { Inbox, type InboxOptions } from "./agent/inbox.js";
export type { AgentHooks, ToolGate } from "./agent/loop.js";
export { stepLimit, tokenBudget, usdBudget } from "./agent/stop.js";
// The context engine: settings and the handoff, for library users who tune or inspect it.
export { type ContextEngine, type ContextSettings, DEFAULT_CONTEXT } from "./context/engine.js";
export type { HandoffSections } from "./context/compaction.js";
export { buildRepoMap, type RepoMap, type RepoMapOptions } from "./context/repo-map.js";
export { catalog, costUsd } from "./model/catalog.js";
export { ConfigError, parseModelId } from "./model/resolve.js";
export { Scenario } from "./model/scenario.js";
export { createScriptedModel, loadScenario } from "./model/scripted.js";
export type * from "./model/types.js";
export { type Agent, type AgentOptions, createAgent, type RunOptions, run } from "./host/agent.js";
// The host: the one composition root every face uses (sessions, teams, review), guarded by default.
export { type GuardChoice, Host, type HostOptions, type ResumeRequest, type RunHandles, type SessionRequest } from "./host/host.js";
export { type ReviewRequest, resumeTeam as resumeTeamSession, startReview as startReviewTeam, startTeam, type TeamHandles, type TeamRequest } from "./host/teams.js";
export type { SessionResult } from "./session/session.js";
export { SqliteStore } from "./store/sqlite.js";
export { PostgresStore } from "./store/postgres/postgres-store.js";
export { openSessionStore } from "./store/open.js";
export type { SessionRow, SessionStore } from "./store/store.js";
export { defineTool, type Tool, type ToolContext, ToolError, type ToolOutput } from "./tools/define.js";
export { defaultTools } from "./tools/index.js";
export { Workspace } from "./tools/workspace.js";
// Safety: permissions, sandbox, monitors, tiers, honesty, audit.
export * from "./policy/index.js";
// Agent teams (src/team/): a lead and teammates in one process, a task board, a mailbox, review.
export { type TeamListener, TEAM_AGENT } from "./team/log.js";
export { ModelPool, TeamScenario } from "./team/models.js";
export { resumeTeam } from "./team/resume.js";
export { Team, type TeamOptions, type TeamResult } from "./team/team.js";
export { type ReviewOptions, startReview, writeReview } from "./team/workflows/review.js";
// Office files (src/office/): readers by path for checkers and scripts; the tools the host offers.
export * from "./office/index.js";
export { officeTools } from "./tools/office/index.js";
