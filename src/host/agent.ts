import type { EffortSetting } from "../agent/effort.js";
import type { Inbox } from "../agent/inbox.js";
import type { ContextEngine, ContextSettings } from "../context/engine.js";
import type { Model } from "../model/types.js";
import type { Approver } from "../policy/approver.js";
import type { PermissionMode } from "../policy/config.js";
import type { EventListener } from "../session/recorder.js";
import type { SessionResult } from "../session/session.js";
import type { SessionStore } from "../store/store.js";
import type { AnyTool } from "../tools/define.js";
import { Host } from "./host.js";

/**
 * The library's high-level entry. It runs through the host like every other face, so it is
 * guarded by default: permission mode `ask` (with no approver, whatever needs approval is
 * denied and the model is told how to allow it), shell commands in the sandbox, monitors, the
 * honesty check and the audit log. Loosen it explicitly: `permissionMode: "full-auto"`, an
 * `approver` that asks a person, or — only for callers that guard the agent themselves —
 * `dangerouslySkipPolicy: true`.
 */
export interface AgentOptions {
  /** A model id ("anthropic:claude-opus-4-6", "scripted:./s.json", …) or a Model object. */
  model: string | Model;
  /** The workspace (default: process.cwd()). */
  cwd?: string;
  /** A store, a SQLite file path, or ":memory:" (default: ~/.colleague/sessions.db, as the CLI). */
  store?: SessionStore | string;
  env?: NodeJS.ProcessEnv;
  /** The colleague home: user config, AGENTS.md, audit log (default: $COLLEAGUE_HOME or ~/.colleague). */
  userDir?: string;
  tools?: AnyTool[];
  effort?: EffortSetting;
  maxSteps?: number;
  budgetUsd?: number;
  budgetTokens?: number;
  /** Context engine settings (clearing, compaction; see docs/configuration.md `context`). */
  context?: Partial<ContextSettings>;
  /** Default `ask` (or COLLEAGUE_PERMISSION_MODE, or config). */
  permissionMode?: PermissionMode;
  /** "off" runs commands unsandboxed: an explicit choice. */
  sandbox?: "on" | "off";
  /** Who answers approval requests; without one, whatever needs approval is denied. */
  approver?: Approver;
  /** One-line notices (no sandbox here, an unsandboxed run). */
  onNotice?: (line: string) => void;
  /** No permissions, sandbox, monitors, honesty check or audit. Never the default. */
  dangerouslySkipPolicy?: boolean;
}

export interface RunOptions {
  signal?: AbortSignal;
  onEvent?: EventListener;
  /** Steer, queue, interrupt or change effort while the run works. */
  inbox?: Inbox;
}

export interface Agent {
  readonly store: SessionStore;
  /** Runs a task to its end and resolves with the outcome (errors are data: see `status`). */
  run(task: string, options?: RunOptions): Promise<SessionResult>;
  /** Continues a stopped session; a completed one needs a follow-up message. */
  resume(sessionId: string, followUp?: string, options?: RunOptions): Promise<SessionResult>;
  subscribe(listener: EventListener): () => void;
  /**
   * Compacts the running session's history before its next model request (what `/compact`
   * does). Returns false when no run is in progress.
   */
  compact(): boolean;
  close(): void;
}

/** `const agent = await createAgent({ model: "openai:gpt-5.3-codex" })`. Bad settings throw now (ConfigError). */
export async function createAgent(options: AgentOptions): Promise<Agent> {
  const host = new Host({
    ...(options.env ? { env: options.env } : {}),
    ...(options.store !== undefined ? { store: options.store } : {}),
    ...(options.userDir ? { home: options.userDir } : {}),
    ...(options.approver ? { approver: options.approver } : {}),
    ...(options.onNotice ? { onNotice: options.onNotice } : {}),
    ...(options.dangerouslySkipPolicy ? { dangerouslySkipPolicy: true } : {}),
  });
  const place = host.workplace(options.cwd);
  // The model is built once, up front, so a bad id or a missing key fails here and not mid-run.
  const model = await host.model(options.model, place);
  const listeners = new Set<EventListener>();
  const fanOut = (extra?: EventListener): EventListener => (event) => {
    extra?.(event);
    for (const l of listeners) l(event);
  };
  let engine: ContextEngine | undefined;
  const settings = {
    model,
    ...(options.tools ? { tools: options.tools } : {}),
    ...(options.effort ? { effort: options.effort } : {}),
    ...(options.maxSteps ? { maxSteps: options.maxSteps } : {}),
    ...(options.budgetUsd ? { budgetUsd: options.budgetUsd } : {}),
    ...(options.budgetTokens ? { budgetTokens: options.budgetTokens } : {}),
    ...(options.permissionMode ? { permissionMode: options.permissionMode } : {}),
    ...(options.sandbox ? { sandbox: options.sandbox } : {}),
  };
  const handles = (o: RunOptions) => ({
    onEvent: fanOut(o.onEvent),
    onContextEngine: (e: ContextEngine) => {
      engine = e;
    },
    ...(o.signal ? { signal: o.signal } : {}),
    ...(o.inbox ? { inbox: o.inbox } : {}),
  });
  const tracked = async (running: Promise<SessionResult>) => {
    try {
      return await running;
    } finally {
      engine = undefined;
    }
  };
  return {
    store: host.store,
    run: (task, o = {}) =>
      tracked(host.startSession({ ...settings, task, cwd: place.cwd, ...(options.context ? { context: options.context } : {}) }, handles(o))),
    resume: (id, followUp, o = {}) => tracked(host.resumeSession(id, { ...settings, ...(followUp ? { followUp } : {}) }, handles(o))),
    compact: () => {
      engine?.requestCompaction();
      return engine !== undefined;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: () => host.close(),
  };
}

/** One task, start to end: `await run("fix the failing test", { model: "anthropic:claude-opus-4-6" })`. */
export async function run(task: string, options: AgentOptions & RunOptions): Promise<SessionResult> {
  const { signal, onEvent, inbox, ...agentOptions } = options;
  const agent = await createAgent(agentOptions);
  try {
    return await agent.run(task, { ...(signal ? { signal } : {}), ...(onEvent ? { onEvent } : {}), ...(inbox ? { inbox } : {}) });
  } finally {
    agent.close();
  }
}
