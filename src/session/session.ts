import { randomBytes } from "node:crypto";
import type { AgentEvent, SessionStatus } from "../agent/events.js";
import type { EffortSetting } from "../agent/effort.js";
import type { Inbox } from "../agent/inbox.js";
import { type AgentHooks, type LoopState, type Outcome, runLoop } from "../agent/loop.js";
import { type StopCondition, stepLimit, tokenBudget, usdBudget } from "../agent/stop.js";
import { buildSystemPrompt } from "../agent/system-prompt.js";
import { type Checkpointer, checkpointBeforeChanges } from "../checkpoints/hook.js";
import type { HandoffSections } from "../context/compaction.js";
import { type ContextSettings, ContextEngine, DEFAULT_CONTEXT } from "../context/engine.js";
import { repoSummary } from "../context/repo-map.js";
import { findProjectRoot, loadInstructions } from "../context/instructions.js";
import { addUsage, emptyUsage, type Model, type Usage } from "../model/types.js";
import { type AnyTool, toolSpec } from "../tools/define.js";
import { defaultTools } from "../tools/index.js";
import type { FileSystem, ProcessRunner } from "../tools/io.js";
import { localFileSystem, localProcessRunner } from "../tools/local-io.js";
import { Workspace } from "../tools/workspace.js";
import type { SessionRow, SessionStore } from "../store/store.js";
import { SessionNotFound } from "./errors.js";
import { holdSession } from "./lease.js";
import { lookupSession } from "./lookup.js";
import { bridgeModel } from "./model-bridge.js";
import { type EventListener, EventRecorder } from "./recorder.js";
import { replay } from "./replay.js";
import { StopRequest } from "./stop-request.js";
import { monotonicMs } from "../builtins.js";

export interface SessionOptions {
  store: SessionStore;
  model: Model;
  /** The workspace: the agent's tools cannot reach outside it. */
  cwd: string;
  tools?: AnyTool[];
  /** The tools whose schemas the model is sent, when not all of `tools` (MCP tools loaded on demand). */
  offeredTools?: () => readonly AnyTool[];
  effort?: EffortSetting;
  maxSteps?: number;
  budgetUsd?: number;
  budgetTokens?: number;
  hooks?: AgentHooks;
  fs?: FileSystem;
  runner?: ProcessRunner;
  onEvent?: EventListener;
  signal?: AbortSignal;
  /** Folder with the user's own AGENTS.md (~/.colleague). */
  userDir?: string;
  sessionId?: string;
  /** Context engine settings (clearing, compaction; see docs/configuration.md `context`). */
  context?: Partial<ContextSettings>;
  /** Receives the run's context engine, e.g. to compact on request (`agent.compact()`). */
  onContextEngine?: (engine: ContextEngine) => void;
  /** Live steering of this run: steer / queue / interrupt / effort. */
  inbox?: Inbox;
  /** A name for the session (`--name`), shown by `sessions` and accepted by `show` / `resume`. */
  name?: string;
  /** How the host guards this session, recorded in session_started (labels only: the hooks and runner do the work). */
  permissionMode?: string;
  sandbox?: string;
  /** Snapshots of the workspace before each call that may change it (for rewind); none when absent. */
  checkpoints?: Checkpointer;
  /** Sections appended to the system prompt (the skills on offer); fixed for the session like the rest of it. */
  promptSections?: string[];
  /** Replaces the system prompt's opening (a subagent's own prompt); the environment and instructions still follow. */
  basePrompt?: string;
  /** The session and tool call that started this one (a subagent's run), recorded in session_started. */
  parent?: { sessionId: string; callId: string; subagent?: string };
}

export interface SessionResult {
  sessionId: string;
  status: SessionStatus;
  answer?: string;
  error?: string;
  steps: number;
  usage: Usage;
  costUsd: number;
  durationMs: number;
}

/** Time-sortable, short enough to type a prefix of: 8 base-36 time digits + 6 random. */
export function newSessionId(): string {
  return Date.now().toString(36).padStart(8, "0") + randomBytes(4).readUInt32BE().toString(36).padStart(6, "0").slice(-6);
}

/** Starts a new session on `task` and runs it to its end. */
export async function startSession(task: string, options: SessionOptions): Promise<SessionResult> {
  const started = monotonicMs();
  const workspace = new Workspace(options.cwd);
  const tools = options.tools ?? defaultTools();
  const sessionId = options.sessionId ?? newSessionId();
  const root = findProjectRoot(workspace.root);
  const prompt = buildSystemPrompt({
    workspace: workspace.root,
    projectRoot: root,
    instructions: loadInstructions(workspace.root, options.userDir),
    date: new Date().toISOString().slice(0, 10),
    ...(options.basePrompt ? { base: options.basePrompt } : {}),
    ...(options.promptSections ? { sections: options.promptSections } : {}),
  });
  // A large repository's map joins the system prompt (issue 4); it is stored with it, so resume keeps it.
  const repoMap = await repoSummary(workspace.root, options.context?.repoMapAtStart ?? DEFAULT_CONTEXT.repoMapAtStart);
  const system = repoMap ? `${prompt}\n\n${repoMap}` : prompt;
  // Held before the row exists, so a `resume` (or a second start of this id) that sees the row
  // while it has no events yet is refused rather than finding an empty log.
  const hold = holdSession(options.store, sessionId);
  try {
    options.store.createSession({ id: sessionId, task, model: options.model.id, cwd: workspace.root, ...(options.name ? { name: options.name } : {}) });
  } catch (error) {
    hold.release();
    throw error;
  }
  const recorder = new EventRecorder(options.store, sessionId);
  const unsubscribe = options.onEvent ? recorder.subscribe(options.onEvent) : undefined;
  try {
    recorder.emit({
      type: "session_started",
      task,
      model: options.model.id,
      cwd: workspace.root,
      system,
      tools: tools.map((t) => t.name),
      ...limitsOf(options),
      ...(options.permissionMode ? { permissionMode: options.permissionMode } : {}),
      ...(options.sandbox ? { sandbox: options.sandbox } : {}),
      ...(options.parent ? { parent: options.parent } : {}),
    });
    recorder.emit({ type: "user_message", text: task, kind: "task" });
    const state: LoopState = {
      messages: [{ role: "user", content: [{ type: "text", text: task }] }],
      step: 0,
      usage: emptyUsage(),
      costUsd: 0,
    };
    const outcome = await runSafely(state, { ...options, tools, system, workspace }, recorder);
    return finish(recorder, state, stoppedOr(outcome, options.signal), started);
  } finally {
    unsubscribe?.();
    hold.release();
  }
}

type ResumeOptions = Omit<SessionOptions, "cwd" | "sessionId"> & { followUp?: string };

/**
 * Continues a session from its log: the conversation is rebuilt, finished tool calls are not
 * run again, a mutating call that was cut off mid-run is reported to the model as interrupted
 * (it may have partly happened), and calls that never started run now. The session runs in one
 * process at a time: while another holds it, this throws SessionBusy before writing anything.
 */
export async function resumeSession(sessionId: string, options: ResumeOptions): Promise<SessionResult> {
  const started = monotonicMs();
  const row = lookupSession(options.store, sessionId);
  const hold = holdSession(options.store, row.id);
  try {
    return await continueSession(row, options, started);
  } finally {
    hold.release();
  }
}

/** The log is read only once the lease is held, so it is the newest. */
async function continueSession(row: SessionRow, options: ResumeOptions, started: number): Promise<SessionResult> {
  // Streamed where the store can (issue 4: a long session's log is hundreds of MB).
  const events = (options.store.iterateEvents?.(row.id) ?? options.store.events(row.id))[Symbol.iterator]();
  const first = events.next();
  // A team session interleaves several agents: it resumes as a whole (src/team/resume.ts).
  if (!first.done && first.value.type === "team_started") {
    events.return?.();
    throw new SessionNotFound(`session ${row.id} is a team session; resume it with \`colleague resume\` or resumeTeam()`);
  }
  const log = replay(
    (function* () {
      if (!first.done) yield first.value;
      for (let next = events.next(); !next.done; next = events.next()) yield next.value;
    })(),
  );
  if (log.finished?.status === "completed" && !options.followUp) {
    throw new SessionNotFound(`session ${row.id} already completed; give a follow-up message to continue it`);
  }
  const available = options.tools ?? defaultTools();
  const tools = log.started.tools.map((name) => available.find((t) => t.name === name)).filter((t): t is AnyTool => !!t);
  const workspace = new Workspace(log.started.cwd);
  const recorder = new EventRecorder(options.store, row.id, "main", log.lastSeq);
  const unsubscribe = options.onEvent ? recorder.subscribe(options.onEvent) : undefined;
  try {
    const interrupted = log.unfinished.filter((c) => log.startedCalls.has(c.id) && !isReadOnly(c.name, tools));
    recorder.emit({ type: "session_resumed", step: log.step, interruptedCalls: interrupted.map((c) => c.id) });
    // Resumed with another model than it last ran with: recorded, so the log says who answers from here on.
    const lastModel = log.model ?? log.started.model;
    if (options.model.id !== lastModel) recorder.emit({ type: "model_changed", from: lastModel, to: options.model.id });
    const state: LoopState = { messages: log.messages, step: log.step, usage: log.usage, costUsd: log.costUsd };
    for (const call of interrupted) {
      const text =
        `The session stopped while ${call.name} was running (the process was killed), so it may have partly run. ` +
        "Check the current state before running it again.";
      recorder.emit({ type: "tool_finished", callId: call.id, name: call.name, content: [{ type: "text", text }], isError: true, durationMs: 0 });
      state.messages.push({ role: "tool", callId: call.id, name: call.name, content: [{ type: "text", text }], isError: true });
    }
    state.pendingCalls = log.unfinished.filter((c) => !interrupted.includes(c));
    if (options.followUp) {
      recorder.emit({ type: "user_message", text: options.followUp, kind: "task" });
      state.messages.push({ role: "user", content: [{ type: "text", text: options.followUp }] });
    }
    const limits = {
      maxSteps: options.maxSteps ?? (log.started.maxSteps !== undefined ? log.step + log.started.maxSteps : undefined),
      budgetUsd: options.budgetUsd ?? log.started.budgetUsd,
      budgetTokens: options.budgetTokens ?? log.started.budgetTokens,
      // issue 3: the newest effort change in the log wins over the one the session started with.
      effort: options.effort ?? ((log.effort ?? log.started.effort) as EffortSetting | undefined),
    };
    const run = { ...options, ...limits, tools, system: log.started.system, workspace, ...(log.handoff ? { handoff: log.handoff } : {}) };
    const outcome = await runSafely(state, run, recorder);
    return finish(recorder, state, stoppedOr(outcome, options.signal), started);
  } finally {
    unsubscribe?.();
  }
}

const isReadOnly = (name: string, tools: AnyTool[]) => tools.find((t) => t.name === name)?.readOnly === true;

function limitsOf(o: Pick<SessionOptions, "effort" | "maxSteps" | "budgetUsd" | "budgetTokens">) {
  return {
    ...(o.effort ? { effort: o.effort } : {}),
    ...(o.maxSteps ? { maxSteps: o.maxSteps } : {}),
    ...(o.budgetUsd ? { budgetUsd: o.budgetUsd } : {}),
    ...(o.budgetTokens ? { budgetTokens: o.budgetTokens } : {}),
  };
}

type RunConfig = Omit<SessionOptions, "cwd" | "tools"> & {
  tools: AnyTool[];
  system: string;
  workspace: Workspace;
  handoff?: HandoffSections;
};

/** Runs the loop; a bug that escapes it still ends the session with an error event, never silently. */
async function runSafely(state: LoopState, config: RunConfig, recorder: EventRecorder): Promise<Outcome> {
  const stops: StopCondition[] = [];
  if (config.maxSteps) stops.push(stepLimit(config.maxSteps));
  if (config.budgetUsd) stops.push(usdBudget(config.budgetUsd));
  if (config.budgetTokens) stops.push(tokenBudget(config.budgetTokens));
  try {
    // The context engine (issue 4) clears and compacts before each request (through the
    // transformContext hook, ahead of any caller hook) and reports each request's context.
    const engine = new ContextEngine({
      model: config.model,
      emit: recorder.emit,
      system: config.system,
      tools: (config.offeredTools?.() ?? config.tools).map(toolSpec),
      ...(config.context ? { settings: config.context } : {}),
      ...(config.handoff ? { handoff: config.handoff } : {}),
      ...(config.hooks?.beforeCompact ? { beforeCompact: config.hooks.beforeCompact.bind(config.hooks) } : {}),
      charge: (usage, usd) => {
        state.usage = addUsage(state.usage, usage);
        state.costUsd += usd;
      },
    });
    config.onContextEngine?.(engine);
    const given = config.hooks ?? {};
    const hooks = config.checkpoints
      ? checkpointBeforeChanges(given, config.checkpoints, { sessionId: recorder.sessionId, emit: recorder.emit, step: () => state.step })
      : given;
    const userTransform = hooks.transformContext?.bind(hooks);
    return await runLoop(state, {
      model: engine.wrap(bridgeModel(config.model, config.workspace.root)),
      // A model switched to mid-run gets the same history bridge, and the engine its window and prices.
      prepareModel: (next) => {
        const bridged = bridgeModel(next, config.workspace.root);
        engine.useModel(bridged);
        return engine.wrap(bridged);
      },
      tools: config.tools,
      ...(config.offeredTools ? { offeredTools: config.offeredTools } : {}),
      system: config.system,
      toolContext: {
        workspace: config.workspace,
        fs: config.fs ?? localFileSystem,
        runner: config.runner ?? localProcessRunner,
        sessionId: recorder.sessionId,
        charge: (usage, usd) => {
          state.usage = addUsage(state.usage, usage);
          state.costUsd += usd;
        },
      },
      ...(config.effort ? { effort: config.effort } : {}),
      stops,
      hooks: {
        ...hooks,
        transformContext: async (messages, signal) => {
          const managed = await engine.transform(messages, signal);
          return userTransform ? userTransform(managed, signal) : managed;
        },
      },
      emit: recorder.emit,
      signal: config.signal ?? new AbortController().signal,
      ...(config.inbox ? { inbox: config.inbox } : {}),
    });
  } catch (error) {
    return { status: "error", error: `internal error: ${(error as Error).stack ?? String(error)}` };
  }
}

/** An abort whose reason is a StopRequest (hang-up, SIGTERM, closed output) ends the session as "stopped". */
function stoppedOr(outcome: Outcome, signal: AbortSignal | undefined): Outcome {
  if (outcome.status !== "aborted" || !(signal?.reason instanceof StopRequest)) return outcome;
  return { status: "stopped", error: signal.reason.message };
}

function finish(recorder: EventRecorder, state: LoopState, outcome: Outcome, started: number): SessionResult {
  const durationMs = Math.round(monotonicMs() - started);
  const result: SessionResult = {
    sessionId: recorder.sessionId,
    status: outcome.status,
    ...(outcome.answer !== undefined ? { answer: outcome.answer } : {}),
    ...(outcome.error !== undefined ? { error: outcome.error } : {}),
    steps: state.step,
    usage: state.usage,
    costUsd: state.costUsd,
    durationMs,
  };
  const { sessionId: _id, ...summary } = result;
  recorder.emit({ type: "session_finished", ...summary });
  return result;
}

/** Events of a finished or running session, for `colleague show`. */
export function sessionEvents(store: SessionStore, idOrPrefix: string): AgentEvent[] {
  return store.events(lookupSession(store, idOrPrefix).id);
}
