import type { AgentHooks, LoopState, Outcome } from "../agent/loop.js";
import { type StopCondition, stepLimit, usdBudget } from "../agent/stop.js";
import { buildSystemPrompt } from "../agent/system-prompt.js";
import { findProjectRoot, loadInstructions } from "../context/instructions.js";
import type { EffortSetting } from "../agent/effort.js";
import { sleep } from "../model/retry.js";
import { addUsage, emptyUsage, type Usage } from "../model/types.js";
import { newSessionId, type SessionResult } from "../session/session.js";
import { StopRequest } from "../session/stop-request.js";
import type { SessionStore } from "../store/store.js";
import type { TaskRow, TeamStore } from "../store/team-store.js";
import type { FileSystem, ProcessRunner } from "../tools/io.js";
import { Workspace } from "../tools/workspace.js";
import { formatBoard, TaskBoard } from "./board.js";
import { TEAM_AGENT, TeamLog, type TeamListener } from "./log.js";
import { Mailbox } from "./mailbox.js";
import { type MemberInbox, type MemberSpec, TeamMember } from "./member.js";
import type { ModelPool } from "./models.js";
import leadPrompt from "./prompts/lead.md";
import reviewerPrompt from "./prompts/reviewer.md";
import teammatePrompt from "./prompts/teammate.md";
import { ChangeSignal } from "./signal.js";
import { teamToolHost } from "./host.js";
import { type SpawnInput, type TeamToolHost, type ToolAnswer, toolsFor, type WaitUntil } from "./tools/index.js";
import { createWorktree, mergeWorktree } from "./worktree.js";
import { monotonicMs } from "../builtins.js";

/** A store that also keeps team tables (SqliteStore). */
export type TeamCapableStore = SessionStore & { teams(): TeamStore };

export interface TeamEnvironment {
  store: TeamCapableStore;
  models: ModelPool;
  signal?: AbortSignal;
  onEvent?: TeamListener;
  /** Folder with the user's own AGENTS.md (~/.colleague). */
  userDir?: string;
  fs?: FileSystem;
  runner?: ProcessRunner;
  /** Policy for each member (the host supplies it; without one, members run unguarded). */
  guard?: MemberGuard;
  /**
   * Called once when the team has ended and its end is on record, before `run()` resolves: the
   * host kills what members' commands left running, removes sandbox folders, gives the lease back.
   * Must not throw.
   */
  onEnd?: (result: TeamResult) => void;
}

/** What guards a member: its policy hooks and the runner for its commands, plus labels for the log. */
export interface MemberGuard {
  readonly permissionMode: string;
  readonly sandbox: string;
  hooksFor(spec: MemberSpec): Omit<AgentHooks, "drainInbox">;
  runnerFor(spec: MemberSpec): ProcessRunner;
}

export interface TeamOptions extends TeamEnvironment {
  task: string;
  cwd: string;
  kind?: "team" | "review";
  /** The session id (default: a new one); the host picks it first to hold its lease and record its processes. */
  sessionId?: string;
  /** The most teammates that may be active at once (the lead not counted). */
  size: number;
  /** The lead's model; without one the caller (a workflow) leads through the API. */
  lead?: { model: string; effort?: EffortSetting };
  /** Models new teammates get in turn when spawn_teammate names none. */
  teammateModels: string[];
  /** Whole-team budget in USD: every agent stops at its next step once the team has spent it. */
  budgetUsd?: number;
  /** Per-agent limits. */
  maxStepsPerAgent?: number;
  budgetUsdPerAgent?: number;
  options?: Record<string, unknown>;
}

/** A solo session's result, plus the board as the team left it. */
export interface TeamResult extends SessionResult {
  tasks: TaskRow[];
}

const RESERVED = new Set(["lead", "team", "user", "board", "*", "everyone"]);
const rolePrompts = { lead: leadPrompt, teammate: teammatePrompt, reviewer: reviewerPrompt };

/**
 * A team: a lead and teammates in one process, each its own agent loop with its own
 * conversation, model, tools and limits, sharing a task board and a mailbox. Everything goes
 * through one event log (one session), so the whole team resumes after a crash.
 */
export class Team {
  readonly log: TeamLog;
  readonly board: TaskBoard;
  readonly mailbox: Mailbox;
  readonly members = new Map<string, TeamMember>();
  readonly changed = new ChangeSignal();
  private boardVersion = 0;
  private spawned = 0;
  private finishing?: Promise<TeamResult>;
  private resolveDone!: (r: TeamResult) => void;
  private readonly done = new Promise<TeamResult>((r) => {
    this.resolveDone = r;
  });
  private readonly started = monotonicMs();
  private readonly controller = new AbortController();
  readonly signal: AbortSignal;

  constructor(
    readonly sessionId: string,
    readonly settings: Omit<TeamOptions, keyof TeamEnvironment>,
    private readonly env: TeamEnvironment,
    lastSeq: number,
  ) {
    const teams = env.store.teams();
    this.signal = env.signal ? AbortSignal.any([env.signal, this.controller.signal]) : this.controller.signal;
    this.log = new TeamLog(env.store, teams, sessionId, lastSeq);
    if (env.onEvent) this.log.subscribe(env.onEvent);
    this.board = new TaskBoard(teams, this.log, {
      changed: () => {
        this.boardVersion++;
        this.changed.fire();
      },
      ready: (task) => {
        // Queued even for an owner not spawned yet: it reads the notice at its first step.
        if (task.owner && !RESERVED.has(task.owner)) {
          this.mailbox.send("board", task.owner, `Task ${task.id} "${task.title}" is ready for you: its dependencies are complete.`, []);
        }
      },
    });
    this.mailbox = new Mailbox(teams, this.log, (recipient) => {
      this.changed.fire();
      const member = this.members.get(recipient);
      if (member && !member.running) setImmediate(() => this.activate(member));
    });
    this.signal.addEventListener("abort", () => this.changed.fire(), { once: true });
  }

  /** Starts a team session; with a lead model, the lead starts working on `task` at once. */
  static async start(options: TeamOptions): Promise<Team> {
    const { store, models, signal, onEvent, userDir, fs, runner, guard, onEnd, sessionId: chosenId, ...settings } = options;
    const env: TeamEnvironment = { store, models, signal, onEvent, userDir, fs, runner, guard, onEnd };
    const workspace = new Workspace(options.cwd);
    const sessionId = chosenId ?? newSessionId();
    const settled = { ...settings, cwd: workspace.root };
    store.createSession({ id: sessionId, task: options.task, model: options.lead?.model ?? "team", cwd: workspace.root });
    const team = new Team(sessionId, settled, env, 0);
    team.log.emit(TEAM_AGENT, {
      type: "team_started",
      kind: settled.kind ?? "team",
      task: settled.task,
      cwd: workspace.root,
      ...(settled.lead ? { lead: settled.lead.model } : {}),
      teammateModels: settled.teammateModels,
      size: settled.size,
      ...(settled.budgetUsd ? { budgetUsd: settled.budgetUsd } : {}),
      ...(settled.maxStepsPerAgent ? { maxStepsPerAgent: settled.maxStepsPerAgent } : {}),
      ...(guard ? { permissionMode: guard.permissionMode, sandbox: guard.sandbox } : {}),
      ...(settled.options ? { options: settled.options } : {}),
    });
    if (settled.lead) {
      const spec: MemberSpec = {
        name: "lead",
        role: "lead",
        model: settled.lead.model,
        toolset: "lead",
        cwd: workspace.root,
        ...(settled.lead.effort ? { effort: settled.lead.effort } : {}),
        ...(settled.maxStepsPerAgent ? { maxSteps: settled.maxStepsPerAgent } : {}),
      };
      await team.addMember(spec, settled.task);
    }
    return team;
  }

  /**
   * Resolves when the team has finished: when the lead answers, or, for a team without a lead
   * model (a workflow such as review leads it), when nobody is working any more.
   */
  run(): Promise<TeamResult> {
    if (!this.settings.lead) {
      void this.settled().then(() => {
        if (this.signal.aborted) return this.finish({ status: "aborted", error: "aborted by the user" });
        const open = this.board.list().filter((t) => t.status !== "completed" && t.status !== "failed");
        if (open.length) return this.finish({ status: "error", error: `the team stopped with ${open.length} unfinished task(s): ${open.map((t) => t.id).join(", ")}` });
        return this.finish({ status: "completed", answer: `Board: ${this.board.summary()}.` });
      });
    }
    return this.done;
  }

  // ---- members -------------------------------------------------------------------------

  /** Adds a member and starts its first turn on `task`. */
  async addMember(spec: MemberSpec, task: string): Promise<TeamMember> {
    this.env.store.teams().upsertMember(this.sessionId, { agentId: spec.name, spec: { ...spec }, status: "active" });
    const member = await this.buildMember(spec, {
      messages: [{ role: "user", content: [{ type: "text", text: task }] }],
      step: 0,
      usage: emptyUsage(),
      costUsd: 0,
    });
    const emit = (body: Parameters<TeamLog["emit"]>[1]) => this.log.emit(spec.name, body);
    if (spec.name !== "lead") {
      emit({ type: "teammate_spawned", name: spec.name, role: spec.role, model: spec.model, isolated: spec.isolated === true, ...(spec.isolated ? { worktree: spec.cwd } : {}) });
    }
    emit({
      type: "session_started",
      task,
      model: spec.model,
      cwd: spec.cwd,
      system: member.system,
      tools: member.toolNames,
      ...(spec.effort ? { effort: spec.effort } : {}),
      ...(spec.maxSteps ? { maxSteps: spec.maxSteps } : {}),
      ...(spec.budgetUsd ? { budgetUsd: spec.budgetUsd } : {}),
    });
    emit({ type: "user_message", text: task, kind: "task" });
    this.members.set(spec.name, member.member);
    this.activate(member.member);
    return member.member;
  }

  /** Builds a member's runtime around `state` (fresh, or replayed from the log). */
  async buildMember(spec: MemberSpec, state: LoopState, storedSystem?: string, storedTools?: string[]) {
    const model = await this.env.models.modelFor(spec.model, spec);
    const workspace = new Workspace(spec.cwd);
    const all = toolsFor(spec.toolset, this.hostFor(spec.name));
    const tools = storedTools ? all.filter((t) => storedTools.includes(t.name)) : all;
    const system = storedSystem ?? this.systemFor(spec, workspace);
    const stops: StopCondition[] = [];
    if (spec.maxSteps) stops.push(stepLimit(spec.maxSteps));
    if (spec.budgetUsd) stops.push(usdBudget(spec.budgetUsd));
    const teamBudget = this.settings.budgetUsd;
    if (teamBudget) {
      stops.push(() => {
        const spent = this.costUsd();
        return spent >= teamBudget ? { status: "budget", reason: `the team spent $${spent.toFixed(4)} of its $${teamBudget} budget` } : undefined;
      });
    }
    const member = new TeamMember(
      spec,
      state,
      {
        model,
        tools,
        system,
        workspace,
        sessionId: this.sessionId,
        stops,
        // A drained message is marked delivered in the same transaction as the event that records it.
        emit: (body) => {
          const delivers = body.type === "user_message" && body.kind !== "task" ? this.mailbox.recorded(spec.name, body.text) : undefined;
          this.log.emit(spec.name, body, delivers);
        },
        drainMail: (extra) => this.mailbox.drain(spec.name, extra),
        ...(this.env.fs ? { fs: this.env.fs } : {}),
        ...(this.env.guard ? { hooks: this.env.guard.hooksFor(spec), runner: this.env.guard.runnerFor(spec) } : this.env.runner ? { runner: this.env.runner } : {}),
      },
      this.signal,
    );
    return { member, system, toolNames: tools.map((t) => t.name) };
  }

  private systemFor(spec: MemberSpec, workspace: Workspace): string {
    const base = buildSystemPrompt({
      workspace: workspace.root,
      projectRoot: findProjectRoot(workspace.root),
      instructions: loadInstructions(workspace.root, this.env.userDir),
      date: new Date().toISOString().slice(0, 10),
    });
    const role = rolePrompts[spec.toolset]
      .replaceAll("{{name}}", spec.name)
      .replaceAll("{{role}}", spec.role)
      .replaceAll("{{size}}", String(this.settings.size));
    return `${base}\n\n${role.trim()}`;
  }

  /** Runs the member's next turn if it has work (a new task or mail) and none is running. */
  activate(member: TeamMember): void {
    if (this.finishing || member.stopped || member.running) return;
    if (!member.needsRun && !this.mailbox.hasMail(member.name)) return;
    member.running = member.runTurn().then((outcome) => {
      member.running = undefined;
      this.afterTurn(member, outcome);
      return outcome;
    });
    this.changed.fire();
  }

  private afterTurn(member: TeamMember, outcome: Outcome): void {
    this.changed.fire();
    if (member.name === "lead") {
      void this.finish(outcome);
      return;
    }
    if (this.finishing || member.stopped) return;
    if (this.mailbox.hasMail(member.name)) {
      setImmediate(() => this.activate(member));
    } else if (this.members.has("lead")) {
      const what = outcome.status === "completed" ? `is idle: ${outcome.answer ?? ""}` : `stopped (${outcome.status}): ${outcome.error ?? ""}`;
      this.mailbox.send(member.name, "lead", `${member.name} ${what}`.trim(), []);
    }
  }

  /** Spawns a teammate (the lead's spawn_teammate, or a workflow). Returns what the lead reads. */
  async spawn(input: SpawnInput & { toolset?: MemberSpec["toolset"]; ownTask?: boolean }): Promise<ToolAnswer> {
    if (RESERVED.has(input.name) || this.members.has(input.name)) return { ok: false, text: `Not spawned: the name "${input.name}" is taken.` };
    const active = [...this.members.values()].filter((m) => m.name !== "lead" && !m.stopped).length;
    if (active >= this.settings.size) return { ok: false, text: `Not spawned: the team is full (${this.settings.size} teammates); shut one down first.` };
    const models = this.settings.teammateModels.length ? this.settings.teammateModels : [this.settings.lead?.model ?? ""];
    const model = input.model ?? models[this.spawned % models.length]!;
    this.spawned++;
    try {
      await this.env.models.check(model, { name: input.name, role: input.role });
    } catch (error) {
      return { ok: false, text: `Not spawned: ${(error as Error).message}` };
    }
    let cwd = this.settings.cwd;
    let branch: string | undefined;
    if (input.isolated) {
      const wt = createWorktree(this.settings.cwd, this.sessionId, input.name);
      if ("error" in wt) return { ok: false, text: `Not spawned: ${wt.error}` };
      cwd = wt.path;
      branch = wt.branch;
    }
    const spec: MemberSpec = {
      name: input.name,
      role: input.role,
      model,
      toolset: input.toolset ?? "teammate",
      cwd,
      ...(input.effort ? { effort: input.effort } : {}),
      ...(this.settings.maxStepsPerAgent ? { maxSteps: this.settings.maxStepsPerAgent } : {}),
      ...(this.settings.budgetUsdPerAgent ? { budgetUsd: this.settings.budgetUsdPerAgent } : {}),
      ...(input.isolated ? { isolated: true, branch } : {}),
      ...(input.ownTask ? { ownTask: true } : {}),
    };
    await this.addMember(spec, input.task);
    return { ok: true, text: `Spawned ${input.name} (${input.role}) on ${model}${input.isolated ? ` in worktree ${cwd}` : ""}.` };
  }

  /** Stops a teammate; an isolated one's work is committed and merged into the team's folder. */
  async shutdown(name: string, merge = true, reason = "shut down by the lead"): Promise<ToolAnswer> {
    const member = this.members.get(name);
    if (!member || name === "lead") return { ok: false, text: `No teammate named "${name}".` };
    if (member.stopped) return { ok: true, text: `${name} is already stopped.` };
    member.stopped = true;
    member.interrupt();
    await member.running;
    const spec = member.spec;
    const report = spec.isolated && spec.branch && merge
      ? mergeWorktree(this.settings.cwd, { path: spec.cwd, branch: spec.branch }, `colleague: work of ${name} (team ${this.sessionId})`)
      : undefined;
    this.env.store.teams().upsertMember(this.sessionId, { agentId: name, spec: { ...spec }, status: "stopped" });
    this.log.emit(name, { type: "teammate_stopped", name, reason, ...(report ? { merge: report } : {}) });
    this.changed.fire();
    return { ok: report?.ok !== false, text: `${name} stopped.${report ? ` ${report.summary}` : ""}` };
  }

  /** Steering by id: the text reaches the agent at its next step (through its mailbox for now). */
  steer(agentId: string, text: string): string {
    return this.mailbox.send("user", agentId, text, []);
  }

  /**
   * Puts a steering inbox (steer / queue) in front of an agent's mailbox: its messages are
   * drained at the same step boundaries, after the mail. Returns false for an unknown agent.
   */
  setInbox(agentId: string, inbox: MemberInbox): boolean {
    const member = this.members.get(agentId);
    if (member) member.inbox = inbox;
    return member !== undefined;
  }

  /** Interrupts an agent's current turn; it wakes again when mail arrives. */
  interrupt(agentId: string): void {
    this.members.get(agentId)?.interrupt();
  }

  // ---- waiting and finishing -----------------------------------------------------------

  /** True when no member but `except` is working or about to (has mail or work). */
  private othersQuiet(except?: string): boolean {
    for (const m of this.members.values()) {
      if (m.name === except || m.stopped) continue;
      if (m.running || m.needsRun || this.mailbox.hasMail(m.name)) return false;
    }
    return true;
  }

  /** Resolves when nobody on the team is working and no mail waits (for workflows that lead). */
  async settled(): Promise<void> {
    while (!this.othersQuiet() && !this.signal.aborted) await this.changed.next();
  }

  async wait(agentId: string, until: WaitUntil, timeoutMs: number, signal: AbortSignal): Promise<string> {
    const version = this.boardVersion;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const mail = this.mailbox.pending(agentId);
      const board = () => `Board (${this.board.summary()}):\n${formatBoard(this.board.list())}`;
      if (signal.aborted) return "Wait ended: the turn was stopped.";
      if (until !== "all_tasks_done" && mail) return `${mail} new message(s) for you; they follow. ${this.board.summary()}.`;
      if (until === "change" && this.boardVersion !== version) return `The board changed. ${board()}`;
      if (until === "all_tasks_done" && this.board.allFinished()) return `All tasks are done. ${board()}`;
      if (this.othersQuiet(agentId)) return `Nobody else on the team is working. ${board()}`;
      const left = deadline - Date.now();
      if (left <= 0) return `Waited ${Math.round(timeoutMs / 1000)} s; nothing happened. ${board()}`;
      const wake = new AbortController();
      await Promise.race([this.changed.next(), sleep(left, AbortSignal.any([signal, wake.signal]))]);
      wake.abort();
    }
  }

  /**
   * Ends the team: stops every teammate and records the outcome. Idempotent. A team whose process
   * was told to stop (hang-up, SIGTERM, closed output) ends as "stopped", which resume continues.
   */
  finish(ending: Outcome): Promise<TeamResult> {
    this.finishing ??= (async () => {
      const outcome = stoppedOr(ending, this.signal);
      for (const m of this.members.values()) if (m.name !== "lead") m.interrupt();
      await Promise.all([...this.members.values()].map((m) => m.running));
      const result: TeamResult = {
        sessionId: this.sessionId,
        status: outcome.status,
        ...(outcome.answer !== undefined ? { answer: outcome.answer } : {}),
        ...(outcome.error !== undefined ? { error: outcome.error } : {}),
        steps: this.steps(),
        usage: this.usage(),
        costUsd: this.costUsd(),
        durationMs: Math.round(monotonicMs() - this.started),
        tasks: this.board.list(),
      };
      const { sessionId: _s, tasks: _t, ...summary } = result;
      this.log.emit(TEAM_AGENT, { type: "session_finished", ...summary });
      this.changed.fire();
      this.env.onEnd?.(result);
      this.resolveDone(result);
      return result;
    })();
    return this.finishing;
  }

  /** Aborts every agent (Ctrl-C): the team finishes as aborted. */
  abort(): void {
    this.controller.abort();
  }

  costUsd(): number {
    let sum = 0;
    for (const m of this.members.values()) sum += m.state.costUsd;
    return sum;
  }

  steps(): number {
    let sum = 0;
    for (const m of this.members.values()) sum += m.state.step;
    return sum;
  }

  usage(): Usage {
    let sum = emptyUsage();
    for (const m of this.members.values()) sum = addUsage(sum, m.state.usage);
    return sum;
  }

  describeTeam(): string {
    const lines = [...this.members.values()].map((m) => {
      const doing = m.stopped ? "stopped" : m.running ? "working" : "idle";
      const mail = this.mailbox.pending(m.name);
      return `${m.name} (${m.spec.role}, ${m.spec.model}): ${doing}${mail ? `, ${mail} unread` : ""}`;
    });
    return `Team (${lines.length}):\n${lines.join("\n")}`;
  }

  /** What one member's team tools act on. */
  hostFor(agentId: string): TeamToolHost {
    return teamToolHost(this, agentId);
  }
}

/** An abort whose reason is a StopRequest ends the team as "stopped" (resumable), not "aborted". */
function stoppedOr(outcome: Outcome, signal: AbortSignal): Outcome {
  if (outcome.status !== "aborted" || !(signal.reason instanceof StopRequest)) return outcome;
  return { status: "stopped", error: signal.reason.message };
}
