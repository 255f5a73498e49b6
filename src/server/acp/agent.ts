import {
  type AgentApp,
  type AgentContext,
  agent,
  type AvailableCommand,
  type InitializeResponse,
  methods,
  PROTOCOL_VERSION,
  type PermissionOption,
  RequestError,
  type SessionConfigOption,
  type SessionModeState,
  type SessionUpdate,
  type StopReason,
} from "@agentclientprotocol/sdk";
import { type EffortSetting, isEffortSetting } from "../../agent/effort.js";
import type { AgentEvent } from "../../agent/events.js";
import { Inbox } from "../../agent/inbox.js";
import { Host } from "../../host/host.js";
import { parsePermissionMode } from "../../host/guard.js";
import { catalog } from "../../model/catalog.js";
import type { ApprovalReply, ApprovalRequest, Approver } from "../../policy/approver.js";
import { PERMISSION_MODES, type PermissionMode } from "../../policy/config.js";
import { newSessionId, type SessionResult } from "../../session/session.js";
import type { SessionStore } from "../../store/store.js";
import { promptText, toolKind, UpdateMapper } from "./updates.js";

/**
 * `colleague acp`: the Agent Client Protocol face. An editor (Zed, JetBrains, …) or a harness
 * (Harbor) starts `colleague acp` and speaks JSON-RPC over its stdio. Each ACP session is a
 * colleague session run by the host — so it is guarded like every other face — with the ACP
 * client as the person who answers approvals. The first prompt starts the session; later
 * prompts resume it with the prompt as the follow-up, exactly as `colleague resume` does.
 */
export interface AcpOptions {
  env?: NodeJS.ProcessEnv;
  store?: SessionStore | string;
  /** The model of new sessions (default: COLLEAGUE_MODEL, config, the default model). */
  model?: string;
  effort?: EffortSetting;
  /** The permission mode new sessions start in (default: COLLEAGUE_PERMISSION_MODE, config, ask). */
  permissionMode?: PermissionMode;
  sandbox?: "on" | "off";
  maxSteps?: number;
  budgetUsd?: number;
  version: string;
  onNotice?: (line: string) => void;
}

interface Turn {
  inbox: Inbox;
  abort: AbortController;
  cancelled: boolean;
}

interface AcpSession {
  id: string;
  cwd: string;
  /** On record in the store: the next prompt resumes it rather than starting it. */
  started: boolean;
  mode: PermissionMode;
  model: string;
  /** A model chosen by the client; a resumed session otherwise keeps the one it has. */
  modelChosen: boolean;
  effort?: EffortSetting;
  turn?: Turn;
  /** Updates go out in order: each waits for the one before. */
  outbox: Promise<void>;
  asks: Set<AbortController>;
  mapper: UpdateMapper;
}

const MODE_NAMES: Record<PermissionMode, [string, string]> = {
  "read-only": ["Read only", "reads and searches; every change or command is refused"],
  ask: ["Ask", "asks before edits and commands that are not allowed by a rule"],
  "auto-edit": ["Auto edit", "edits files in the workspace without asking; asks before commands"],
  "full-auto": ["Full auto", "runs without asking (the sandbox still applies)"],
};

const COMMANDS: AvailableCommand[] = [
  { name: "compact", description: "compact the conversation now (summarise the history so far)" },
  { name: "effort", description: "set the reasoning effort for the next turns", input: { hint: "low | medium | high | max | auto" } },
];

export class AcpAgent implements Approver {
  readonly host: Host;
  private readonly sessions = new Map<string, AcpSession>();
  private client: AgentContext | undefined;

  constructor(private readonly options: AcpOptions) {
    this.host = new Host({
      ...(options.env ? { env: options.env } : {}),
      ...(options.store !== undefined ? { store: options.store } : {}),
      approver: this,
      interactive: true,
      ...(options.onNotice ? { onNotice: options.onNotice } : {}),
    });
  }

  /** The ACP app: register it on a stream with `app().connect(stream)`. */
  app(): AgentApp {
    return agent({ name: "colleague" })
      .onConnect((connection) => {
        this.client = connection.client;
      })
      .onRequest(methods.agent.initialize, () => this.initialize())
      .onRequest(methods.agent.authenticate, () => ({}))
      .onRequest(methods.agent.session.new, ({ params }) => this.newSession(params.cwd))
      .onRequest(methods.agent.session.load, ({ params }) => this.loadSession(params.sessionId))
      .onRequest(methods.agent.session.setMode, ({ params }) => {
        this.setMode(params.sessionId, params.modeId);
        return {};
      })
      .onRequest(methods.agent.session.setConfigOption, ({ params }) => this.setConfigOption(params.sessionId, params.configId, params.value))
      .onRequest(methods.agent.session.prompt, ({ params, signal }) => this.prompt(params.sessionId, promptText(params.prompt), signal))
      .onNotification(methods.agent.session.cancel, ({ params }) => this.cancel(params.sessionId));
  }

  initialize(): InitializeResponse {
    return {
      protocolVersion: PROTOCOL_VERSION,
      agentCapabilities: {
        loadSession: true,
        promptCapabilities: { image: false, audio: false, embeddedContext: true },
      },
      authMethods: [],
      agentInfo: { name: "colleague", title: "colleague", version: this.options.version },
    };
  }

  newSession(cwd: string) {
    const place = this.host.workplace(cwd);
    const mode = this.host.permissionModeFor(place, this.options.permissionMode);
    const model = this.options.model ?? this.host.defaultModelId(place);
    const session = this.add({ id: newSessionId(), cwd: place.cwd, started: false, mode, model, modelChosen: this.options.model !== undefined });
    this.announceCommands(session);
    return { sessionId: session.id, modes: this.modes(session), configOptions: this.configOptions(session) };
  }

  /** A stored session: its conversation is replayed as updates before the answer, as ACP asks. */
  async loadSession(id: string) {
    const row = this.host.store.findSession(id);
    if (!row) throw RequestError.sessionNotFound(id);
    const events = this.host.store.events(row.id);
    const started = events.find((e) => e.type === "session_started");
    const stored = started?.type === "session_started" ? parsePermissionMode(started.permissionMode ?? undefined, "the session") : undefined;
    const existing = this.sessions.get(row.id);
    if (existing?.turn) throw RequestError.invalidRequest(undefined, `session ${row.id} is running`);
    const session = this.add({
      id: row.id,
      cwd: row.cwd,
      started: true,
      mode: this.options.permissionMode ?? stored ?? "ask",
      model: this.options.model ?? row.model,
      modelChosen: this.options.model !== undefined,
    });
    const replay = new UpdateMapper(() => session.cwd, "replay");
    for (const event of events) for (const update of replay.map(event)) this.send(session, update);
    this.announceCommands(session);
    await session.outbox;
    return { modes: this.modes(session), configOptions: this.configOptions(session) };
  }

  setMode(id: string, modeId: string): void {
    const session = this.session(id);
    if (!(PERMISSION_MODES as readonly string[]).includes(modeId)) throw RequestError.invalidParams(undefined, `unknown mode "${modeId}"`);
    session.mode = modeId as PermissionMode;
    this.send(session, { sessionUpdate: "current_mode_update", currentModeId: session.mode });
  }

  setConfigOption(id: string, configId: string, value: unknown) {
    const session = this.session(id);
    if (configId !== "model" || typeof value !== "string" || !value) throw RequestError.invalidParams(undefined, `unknown option "${configId}"`);
    session.model = value;
    session.modelChosen = true;
    return { configOptions: this.configOptions(session) };
  }

  /** One prompt turn: runs the session until it ends (or the client cancels), streaming updates. */
  async prompt(id: string, text: string, signal: AbortSignal): Promise<{ stopReason: StopReason }> {
    const session = this.session(id);
    if (session.turn) throw RequestError.invalidRequest(undefined, "a prompt is already running in this session; cancel it first");
    const command = text.trim().match(/^\/(\w+)\s*(.*)$/s);
    if (command?.[1] === "effort") return this.effortCommand(session, command[2]!.trim());
    const turn: Turn = { inbox: new Inbox({ waitAfterInterrupt: false }), abort: new AbortController(), cancelled: false };
    session.turn = turn;
    const onAbort = () => this.cancel(id);
    signal.addEventListener("abort", onAbort, { once: true });
    const onEvent = (event: AgentEvent) => {
      for (const update of session.mapper.map(event)) this.send(session, update);
    };
    const handles = { onEvent, inbox: turn.inbox, signal: turn.abort.signal };
    const guard = { permissionMode: session.mode, ...(this.options.sandbox ? { sandbox: this.options.sandbox } : {}) };
    const limits = {
      ...(session.effort ? { effort: session.effort } : {}),
      ...(this.options.maxSteps ? { maxSteps: this.options.maxSteps } : {}),
      ...(this.options.budgetUsd ? { budgetUsd: this.options.budgetUsd } : {}),
    };
    let result: SessionResult;
    try {
      if (session.started) {
        result = await this.host.resumeSession(session.id, { followUp: text, ...guard, ...limits, ...(session.modelChosen ? { model: session.model } : {}) }, handles);
      } else {
        session.started = true;
        result = await this.host.startSession({ task: text, cwd: session.cwd, sessionId: session.id, model: session.model, ...guard, ...limits }, handles);
      }
    } catch (error) {
      // Bad settings (an unknown model, a missing key) fail before anything is stored.
      if (!this.host.store.findSession(session.id)) session.started = false;
      throw RequestError.internalError(undefined, (error as Error).message);
    } finally {
      signal.removeEventListener("abort", onAbort);
      session.turn = undefined;
      await session.outbox;
    }
    if (turn.cancelled) return { stopReason: "cancelled" };
    return { stopReason: stopReason(result) };
  }

  /** session/cancel: deny what waits for an answer, then interrupt the turn (its prompt answers `cancelled`). */
  cancel(id: string): void {
    const session = this.sessions.get(id);
    const turn = session?.turn;
    if (!session || !turn) return;
    turn.cancelled = true;
    for (const ask of session.asks) ask.abort();
    turn.inbox.interrupt();
  }

  /** The host's approver: the client of the asking session answers through session/request_permission. */
  async ask(request: ApprovalRequest): Promise<ApprovalReply> {
    const session = request.sessionId ? this.sessions.get(request.sessionId) : undefined;
    const client = this.client;
    if (!session || !client) return { answer: "deny", reason: "no client is connected to ask" };
    if (session.turn?.cancelled) return { answer: "deny", reason: "the user cancelled the turn" };
    const options: PermissionOption[] = [
      { optionId: "once", name: "Allow once", kind: "allow_once" },
      ...(request.onceOnly ? [] : [{ optionId: "session", name: "Allow always (this session)", kind: "allow_always" } as const]),
      { optionId: "deny", name: "Reject", kind: "reject_once" },
    ];
    const abort = new AbortController();
    session.asks.add(abort);
    try {
      // The tool call card is on the client before the question about it.
      await session.outbox;
      const response = await client.request(
        methods.client.session.requestPermission,
        {
          sessionId: session.id,
          toolCall: {
            toolCallId: request.callId,
            title: request.summary,
            kind: toolKind(request.tool),
            status: "pending",
            ...(request.preview ? { content: [{ type: "content", content: { type: "text", text: request.preview } }] } : {}),
          },
          options,
        },
        { cancellationSignal: abort.signal, stopWaitingOnCancel: true },
      );
      if (response.outcome.outcome === "cancelled") return { answer: "deny", reason: "the user cancelled the turn" };
      const chosen = response.outcome.optionId;
      if (chosen === "once") return { answer: "once" };
      if (chosen === "session" && !request.onceOnly) return { answer: "session" };
      return { answer: "deny", reason: "the user rejected it" };
    } catch (error) {
      return { answer: "deny", reason: abort.signal.aborted ? "the user cancelled the turn" : `the client did not answer: ${(error as Error).message}` };
    } finally {
      session.asks.delete(abort);
    }
  }

  /** Interrupts running turns and waits for them to record their end. */
  async close(): Promise<void> {
    for (const session of this.sessions.values()) {
      for (const ask of session.asks) ask.abort();
      session.turn?.inbox.interrupt();
      session.turn?.abort.abort();
    }
    const running = [...this.sessions.values()].filter((s) => s.turn);
    await Promise.all(running.map((s) => s.outbox));
    this.host.close();
  }

  private effortCommand(session: AcpSession, value: string): { stopReason: StopReason } {
    const text = isEffortSetting(value) ? `Effort set to ${value} for the next turns.` : `Effort is one of low, medium, high, max, auto (got "${value}").`;
    if (isEffortSetting(value)) session.effort = value;
    this.send(session, { sessionUpdate: "agent_message_chunk", content: { type: "text", text } });
    return { stopReason: "end_turn" };
  }

  private add(fields: Omit<AcpSession, "outbox" | "asks" | "mapper">): AcpSession {
    const effort = fields.effort ?? this.options.effort;
    const session: AcpSession = { ...fields, ...(effort ? { effort } : {}), outbox: Promise.resolve(), asks: new Set(), mapper: undefined as unknown as UpdateMapper };
    session.mapper = new UpdateMapper(() => session.cwd, "live");
    this.sessions.set(session.id, session);
    return session;
  }

  private session(id: string): AcpSession {
    const session = this.sessions.get(id);
    if (!session) throw RequestError.sessionNotFound(id);
    return session;
  }

  private send(session: AcpSession, update: SessionUpdate): void {
    const client = this.client;
    if (!client) return;
    session.outbox = session.outbox
      .then(() => client.notify(methods.client.session.update, { sessionId: session.id, update }))
      .catch((error: unknown) => this.options.onNotice?.(`acp: an update was not delivered: ${(error as Error).message}`));
  }

  /** The built-in commands, then the workspace's custom ones (files; a bad file is a notice, not a failure). */
  private announceCommands(session: AcpSession): void {
    let custom: AvailableCommand[] = [];
    try {
      custom = this.host
        .commands(this.host.workplace(session.cwd))
        .list()
        .filter((c) => !COMMANDS.some((b) => b.name === c.name))
        .map((c) => ({ name: c.name, description: c.description, ...(c.argumentHint ? { input: { hint: c.argumentHint } } : {}) }));
    } catch {
      // A workspace that cannot be read has no custom commands; the session still works.
    }
    this.send(session, { sessionUpdate: "available_commands_update", availableCommands: [...COMMANDS, ...custom] });
  }

  private modes(session: AcpSession): SessionModeState {
    return {
      currentModeId: session.mode,
      availableModes: PERMISSION_MODES.map((id) => ({ id, name: MODE_NAMES[id][0], description: MODE_NAMES[id][1] })),
    };
  }

  private configOptions(session: AcpSession): SessionConfigOption[] {
    const known = catalog.map((info) => `${info.api}:${info.name}`);
    const ids = known.includes(session.model) ? known : [session.model, ...known];
    return [
      {
        id: "model",
        name: "Model",
        category: "model",
        type: "select",
        currentValue: session.model,
        options: ids.map((value) => ({ value, name: value })),
      },
    ];
  }
}

function stopReason(result: SessionResult): StopReason {
  switch (result.status) {
    case "completed":
      return "end_turn";
    case "interrupted":
    case "aborted":
    case "stopped":
      return "cancelled";
    case "max_steps":
      return "max_turn_requests";
    case "budget":
      return "max_tokens";
    case "refused":
      return "refusal";
    default:
      throw RequestError.internalError(undefined, result.error ? `the session ended with an error: ${result.error}` : `the session ended: ${result.status}`);
  }
}
