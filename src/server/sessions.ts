import { existsSync, realpathSync } from "node:fs";
import path from "node:path";
import { type AgentEvent, isEphemeral } from "../agent/events.js";
import { Inbox } from "../agent/inbox.js";
import { type GuardChoice, Host } from "../host/host.js";
import { configuredModels } from "../config/models.js";
import { catalog } from "../model/catalog.js";
import { ConfigError } from "../model/resolve.js";
import type { Model, ModelInfo } from "../model/types.js";
import type { TaskSnapshot } from "../agent/team-events.js";
import { version } from "../cli/version.js";
import { resumeTeam, startReview, startTeam, type TeamHandles } from "../host/teams.js";
import type {
  AnswerApproval,
  CreateReview,
  CreateSession,
  CreateTeam,
  ModelChoice,
  RewindOutcome,
  SendMessage,
  SessionDetail,
  SessionSummary,
} from "../protocol/schemas.js";
import type { Team, TeamCapableStore } from "../team/team.js";
import { FOCUSES, writeReview } from "../team/workflows/review.js";
import { SessionBusy, SessionNotFound } from "../session/errors.js";
import { forkSession } from "../session/fork.js";
import { RewindError } from "../session/rewind.js";
import { displayStatus, sessionKind } from "../session/lookup.js";
import { newSessionId, type SessionResult } from "../session/session.js";
import type { SessionRow, SessionStore } from "../store/store.js";
import { ApprovalBroker } from "./approvals.js";
import { type FindingWithExcerpt, findingsWithExcerpts, reviewReport } from "./review-files.js";
import { badRequest, notFound, ProtocolError } from "./errors.js";

export interface SessionServiceOptions {
  env?: NodeJS.ProcessEnv;
  store?: SessionStore | string;
  /** Workspaces must lie under one of these folders. */
  roots: string[];
  /** An approval nobody answers is denied after this long. */
  approvalTimeoutMs?: number;
  onNotice?: (line: string) => void;
}

type Listener = (event: AgentEvent) => void;

interface Live {
  /** A solo session's steering; a team is steered through its mailbox instead. */
  inbox?: Inbox;
  team?: Team;
  abort: AbortController;
  done: Promise<unknown>;
}

/**
 * The sessions a server runs: each through the host (so each is guarded like any other face),
 * in this process, with its own inbox for steering and an approval broker that clients answer.
 * One session failing never touches another: a run's error ends that run, recorded in its log.
 */
export class SessionService {
  readonly host: Host;
  readonly approvals: ApprovalBroker;
  private readonly live = new Map<string, Live>();
  private readonly subscribers = new Map<string, Set<Listener>>();
  /** Models chosen for sessions that were not running: their next message resumes with it. */
  private readonly nextModels = new Map<string, string>();
  private readonly roots: string[];

  constructor(options: SessionServiceOptions) {
    this.approvals = new ApprovalBroker(options.approvalTimeoutMs ?? 10 * 60_000);
    this.host = new Host({
      ...(options.env ? { env: options.env } : {}),
      ...(options.store !== undefined ? { store: options.store } : {}),
      approver: this.approvals,
      interactive: true,
      ...(options.onNotice ? { onNotice: options.onNotice } : {}),
    });
    this.roots = options.roots.map((r) => realpathSync(path.resolve(r)));
  }

  get store(): SessionStore {
    return this.host.store;
  }

  /** Starts a session; resolves once it is on record (bad settings reject before anything is stored). */
  async create(request: CreateSession): Promise<SessionSummary> {
    const cwd = this.workspace(request.cwd);
    const id = newSessionId();
    const { cwd: _cwd, ...settings } = request;
    await this.launch(id, (handles) => this.host.startSession({ ...settings, cwd, sessionId: id }, handles));
    return this.summary(this.row(id));
  }

  list(limit = 50): SessionSummary[] {
    return this.store.listSessions(limit).map((row) => this.summary(row));
  }

  /** A page of the sessions list with search and a status filter; the store counts the matches. */
  page(query: { limit: number; offset: number; search?: string; statuses?: string[] }): { sessions: SessionSummary[]; total: number } {
    if (this.store.pageSessions) {
      const { rows, total } = this.store.pageSessions(query);
      return { sessions: rows.map((row) => this.summary(row)), total };
    }
    // A store without paging: filter the newest sessions here (fine for small stores).
    const words = (query.search ?? "").toLowerCase().split(/\s+/).filter(Boolean);
    const matches = this.store
      .listSessions(10_000)
      .filter((row) => !query.statuses?.length || query.statuses.includes(row.status))
      .filter((row) => words.every((w) => [row.task, row.id, row.model, row.cwd, row.name ?? ""].some((f) => f.toLowerCase().includes(w))));
    return { sessions: matches.slice(query.offset, query.offset + query.limit).map((row) => this.summary(row)), total: matches.length };
  }

  /** The folders sessions may use (a client offers them as workspaces). */
  get workspaceRoots(): string[] {
    return [...this.roots];
  }

  /** A review's findings so far, merged, each with the lines it points at. */
  reviewFindings(id: string): FindingWithExcerpt[] {
    return findingsWithExcerpts(this.store.events(this.row(id).id));
  }

  /** A review's report (SARIF or markdown) from its log, so far. */
  reviewReport(id: string, format: "sarif" | "md"): string {
    return reviewReport(this.store.events(this.row(id).id), format, version());
  }

  detail(id: string): SessionDetail {
    const row = this.row(id);
    return { session: this.summary(row), approvals: this.approvals.list(row.id) };
  }

  /**
   * A message: steers or queues into a running session, or resumes a stopped one with it (with
   * `guard`, resumed in that permission mode / sandbox instead of the configured ones).
   */
  async message(id: string, message: SendMessage, guard: GuardChoice = {}): Promise<void> {
    const row = this.row(id);
    const live = this.live.get(row.id);
    if (live?.team) {
      live.team.steer("lead", message.text);
      return;
    }
    if (live?.inbox) {
      if (message.mode === "queue") live.inbox.queue(message.text);
      else live.inbox.steer(message.text, { urgent: message.urgent === true });
      return;
    }
    if (this.isTeam(row.id)) {
      await this.launchTeam((handles) => resumeTeam(this.host, row.id, guard, handles));
      return;
    }
    const model = this.nextModels.get(row.id);
    await this.launch(row.id, (handles) => this.host.resumeSession(row.id, { ...guard, followUp: message.text, ...(model ? { model } : {}) }, handles));
    this.nextModels.delete(row.id);
  }

  interrupt(id: string): boolean {
    const row = this.row(id);
    const live = this.live.get(row.id);
    if (!live) return false;
    this.approvals.denyAll(row.id, "the user interrupted");
    if (live.team) live.team.abort();
    else live.inbox?.interrupt();
    return true;
  }

  setEffort(id: string, effort: Parameters<Inbox["setEffort"]>[0]): boolean {
    const live = this.live.get(this.row(id).id);
    live?.inbox?.setEffort(effort);
    return live?.inbox !== undefined;
  }

  /**
   * Switches a session's model from its next step. The id is resolved through the host, with the
   * session's workspace config and keys, as a start would; one it cannot run is a 400 and nothing
   * changes. A session that is not running continues with the model at its next message.
   */
  async setModel(id: string, modelId: string): Promise<boolean> {
    const row = this.row(id);
    const live = this.live.get(row.id);
    if (live?.team) throw new ProtocolError(409, "conflict", `session ${row.id} is a team; its agents keep the models they started with`);
    let model: Model;
    try {
      model = await this.host.model(modelId, this.host.workplace(row.cwd));
    } catch (error) {
      if (error instanceof ConfigError) throw badRequest(error.message);
      throw error;
    }
    if (live?.inbox) {
      live.inbox.setModel(model);
      return true;
    }
    this.nextModels.set(row.id, modelId);
    return false;
  }

  /** The models a client can offer: those described in the config of the server's first folder, then the catalog. */
  models(): ModelChoice[] {
    const configured = configuredModels(this.host.workplace(this.roots[0]).config);
    const id = (m: ModelInfo) => `${m.api}:${m.name}`;
    const fromConfig = new Set(configured.map(id));
    const choice = (m: ModelInfo, source: ModelChoice["source"]): ModelChoice => ({
      id: id(m),
      contextWindow: m.contextWindow,
      price: { input: m.price.input, output: m.price.output },
      source,
    });
    return [...configured.map((m) => choice(m, "config")), ...catalog.filter((m) => !fromConfig.has(id(m))).map((m) => choice(m, "catalog"))];
  }

  compact(id: string): boolean {
    const live = this.live.get(this.row(id).id);
    live?.inbox?.steer("/compact");
    return live?.inbox !== undefined;
  }

  answer(id: string, callId: string, reply: AnswerApproval): void {
    const row = this.row(id);
    if (!this.approvals.answer(row.id, callId, { answer: reply.answer, ...(reply.reason ? { reason: reply.reason } : {}) })) {
      throw notFound(`no approval waits for call ${callId} in session ${row.id}`);
    }
  }

  /**
   * A new session with the history of `id` up to event `seq`; it is stopped, and a message
   * continues it. The original is untouched.
   */
  fork(id: string, seq: number): SessionSummary {
    const row = this.row(id);
    if (this.live.has(row.id)) throw new ProtocolError(409, "conflict", `session ${row.id} is running; interrupt it before forking`);
    try {
      return this.summary(this.row(forkSession(this.store, row.id, seq)));
    } catch (error) {
      if (error instanceof SessionNotFound) throw badRequest(error.message);
      throw error;
    }
  }


  /** Rewinds a stopped session's files and/or conversation to before a step (a running one is a conflict). */
  async rewind(id: string, request: { to?: number; code: boolean; conversation: boolean }): Promise<RewindOutcome> {
    const row = this.row(id);
    if (this.live.has(row.id)) throw new ProtocolError(409, "conflict", `session ${row.id} is running; interrupt it before rewinding`);
    try {
      const { sessionId, ...result } = await this.host.rewind(row.id, request);
      return { ...result, ...(sessionId ? { session: this.summary(this.row(sessionId)) } : {}) };
    } catch (error) {
      if (error instanceof RewindError || error instanceof SessionNotFound) throw badRequest(error.message);
      throw error;
    }
  }

  /**
   * Streams a session's events with seq above `since` from the log, then live ones, without a
   * gap or a repeat (durable events are told apart by seq; ephemeral deltas are live only).
   */
  subscribe(id: string, since: number, listener: Listener): () => void {
    const row = this.row(id);
    let last = since;
    let replaying = true;
    const buffered: AgentEvent[] = [];
    const deliver = (event: AgentEvent, ephemeral: boolean) => {
      if (!ephemeral) {
        if (event.seq <= last) return;
        last = event.seq;
      }
      listener(event);
    };
    const onLive: Listener = (event) => {
      if (replaying) buffered.push(event);
      else deliver(event, isEphemeralEvent(event));
    };
    const set = this.subscribers.get(row.id) ?? new Set<Listener>();
    this.subscribers.set(row.id, set);
    set.add(onLive);
    const unwatch = this.watchOtherProcesses(row.id, () => last, (event) => deliver(event, false));
    for (const event of this.store.iterateEvents?.(row.id) ?? this.store.events(row.id)) {
      if (event.seq > since) deliver(event, false);
    }
    replaying = false;
    for (const event of buffered.splice(0)) deliver(event, isEphemeralEvent(event));
    return () => {
      unwatch();
      set.delete(onLive);
      if (!set.size) this.subscribers.delete(row.id);
    };
  }

  /** Starts a team on a task; resolves once it is on record. */
  async createTeam(request: CreateTeam): Promise<SessionSummary> {
    const { cwd, ...rest } = request;
    const id = await this.launchTeam((handles) => startTeam(this.host, { ...rest, cwd: this.workspace(cwd) }, handles));
    return this.summary(this.row(id));
  }

  /** Starts a review of a workspace; review.md and review.sarif go to `outDir` when the review ends. */
  async createReview(request: CreateReview): Promise<SessionSummary> {
    const root = this.workspace(request.cwd);
    const outDir = request.outDir ? this.workspace(request.outDir) : undefined;
    const focus = request.focus ?? [...FOCUSES];
    const id = await this.launchTeam(
      (handles) =>
        startReview(
          this.host,
          {
            root,
            focus,
            outDir: outDir ?? root,
            ...(request.size ? { size: request.size } : {}),
            ...(request.teammates?.length ? { teammates: request.teammates } : {}),
            ...(request.permissionMode ? { permissionMode: request.permissionMode } : {}),
            ...(request.budgetUsd ? { budgetUsd: request.budgetUsd } : {}),
          },
          handles,
        ),
      outDir
        ? (sessionId) => {
            writeReview(this.store.events(sessionId), version());
          }
        : undefined,
    );
    return this.summary(this.row(id));
  }

  /** A team session's task board. */
  board(id: string): TaskSnapshot[] {
    const row = this.row(id);
    const live = this.live.get(row.id)?.team;
    if (live) return live.board.list();
    if (!this.isTeam(row.id)) throw badRequest(`session ${row.id} is not a team session`);
    return (this.store as TeamCapableStore).teams().tasks(row.id);
  }

  /** A message to one agent of a running team, delivered at its next step. */
  messageAgent(id: string, agentId: string, text: string): void {
    const row = this.row(id);
    const team = this.live.get(row.id)?.team;
    if (!team) throw new ProtocolError(409, "conflict", `session ${row.id} is not a running team`);
    if (!team.members.has(agentId)) throw notFound(`no agent "${agentId}" in team ${row.id} (${[...team.members.keys()].join(", ")})`);
    team.steer(agentId, text);
  }

  isLive(id: string): boolean {
    return this.live.has(id);
  }

  /** Interrupts every running session and waits for each to record its end. */
  async close(): Promise<void> {
    for (const [id, live] of this.live) {
      this.approvals.denyAll(id, "the server is stopping");
      live.inbox?.close();
      live.team?.abort();
      live.abort.abort();
    }
    await Promise.all([...this.live.values()].map((l) => l.done));
    this.host.close();
  }

  /** Waits until the session is no longer running here (tests, graceful shutdowns). */
  async settled(id: string): Promise<void> {
    await this.live.get(id)?.done;
  }

  private async launch(
    id: string,
    start: (handles: { inbox: Inbox; signal: AbortSignal; onEvent: Listener }) => Promise<SessionResult>,
  ): Promise<void> {
    if (this.live.has(id)) throw new ProtocolError(409, "conflict", `session ${id} is already running`);
    const inbox = new Inbox({ waitAfterInterrupt: false });
    const abort = new AbortController();
    let onStarted!: () => void;
    const started = new Promise<void>((resolve) => {
      onStarted = resolve;
    });
    const onEvent: Listener = (event) => {
      if (event.type === "session_started" || event.type === "session_resumed") onStarted();
      this.fanOut(id, event);
    };
    const running = start({ inbox, signal: abort.signal, onEvent });
    const done = running.then(
      (result) => result,
      () => undefined,
    );
    const live: Live = { inbox, abort, done };
    this.live.set(id, live);
    void done.finally(() => {
      if (this.live.get(id) === live) this.live.delete(id);
      this.approvals.denyAll(id, "the run ended");
    });
    // Whichever comes first: the session is on record, or it failed before it could be.
    const failed = running.then(
      () => undefined,
      (error: unknown) => error,
    );
    const first = await Promise.race([started.then(() => undefined), failed]);
    if (first instanceof ConfigError || first instanceof SessionNotFound) throw badRequest(first.message);
    if (first instanceof SessionBusy) throw new ProtocolError(409, "conflict", first.message);
    if (first) throw new ProtocolError(500, "internal", (first as Error).message ?? String(first));
  }

  private async launchTeam(start: (handles: TeamHandles) => Promise<Team>, after?: (sessionId: string) => void): Promise<string> {
    const abort = new AbortController();
    let team: Team;
    try {
      team = await start({ signal: abort.signal, onEvent: (event) => this.fanOut(event.sessionId, event) });
    } catch (error) {
      if (error instanceof ConfigError || error instanceof SessionNotFound) throw badRequest(error.message);
      if (error instanceof SessionBusy) throw new ProtocolError(409, "conflict", error.message);
      throw new ProtocolError(500, "internal", (error as Error).message ?? String(error));
    }
    const id = team.sessionId;
    const done = team.run().then(
      () => after?.(id),
      () => undefined,
    );
    const live: Live = { team, abort, done };
    this.live.set(id, live);
    void done.finally(() => {
      if (this.live.get(id) === live) this.live.delete(id);
      this.approvals.denyAll(id, "the run ended");
    });
    return id;
  }

  /**
   * A session that another process runs (a worker, over a shared store) reaches this one only
   * through the store: each announced event is read from it. Durable events only; a session
   * running here is streamed by fanOut instead.
   */
  private watchOtherProcesses(id: string, lastSeq: () => number, deliver: Listener): () => void {
    if (!this.store.watchAppends || !this.store.eventsAfter) return () => {};
    return this.store.watchAppends((sessionId, seq) => {
      if ((sessionId !== undefined && sessionId !== id) || this.live.has(id)) return;
      if (sessionId !== undefined && seq <= lastSeq()) return;
      for (const event of this.store.eventsAfter?.(id, lastSeq()) ?? []) deliver(event);
    });
  }

  private fanOut(id: string, event: AgentEvent): void {
    for (const listener of this.subscribers.get(id) ?? []) listener(event);
  }

  private isTeam(id: string): boolean {
    return sessionKind(this.store, id) !== "solo";
  }


  private workspace(cwd: string): string {
    const resolved = path.resolve(cwd);
    if (!path.isAbsolute(cwd)) throw badRequest(`cwd must be an absolute path, got "${cwd}"`);
    if (!existsSync(resolved)) throw badRequest(`the workspace ${resolved} does not exist`);
    const real = realpathSync(resolved);
    const inside = this.roots.some((root) => real === root || real.startsWith(`${root}${path.sep}`));
    if (!inside) throw new ProtocolError(403, "forbidden", `the workspace ${real} is outside the server's roots (${this.roots.join(", ")})`);
    return real;
  }

  private row(id: string): SessionRow {
    const row = this.store.findSession(id);
    if (!row) throw notFound(`no session "${id}"`);
    return row;
  }

  private summary(row: SessionRow): SessionSummary {
    const live = this.live.has(row.id);
    // Not running here and its process gone (a crash, a kill -9): stopped, as `sessions` says.
    return { ...row, status: live ? row.status : displayStatus(row), live };
  }
}

const isEphemeralEvent = (event: AgentEvent) => isEphemeral(event.type);
