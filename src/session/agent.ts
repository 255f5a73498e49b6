import { colleagueHome, loadConfig, storePath } from "../config/config.js";
import { createConfiguredModel } from "../config/models.js";
import type { Inbox } from "../agent/inbox.js";
import type { ContextEngine } from "../context/engine.js";
import type { Model } from "../model/types.js";
import { SqliteStore } from "../store/sqlite.js";
import type { SessionStore } from "../store/store.js";
import type { EventListener } from "./recorder.js";
import { resumeSession, type SessionOptions, type SessionResult, startSession } from "./session.js";

export interface AgentOptions extends Omit<SessionOptions, "store" | "model" | "cwd" | "onEvent" | "signal"> {
  /** A model id ("anthropic:claude-opus-4-6", "scripted:./s.json", …) or a Model object. */
  model: string | Model;
  /** The workspace (default: process.cwd()). */
  cwd?: string;
  /** A store, a SQLite file path, or ":memory:" (default: ~/.colleague/sessions.db, as the CLI). */
  store?: SessionStore | string;
  env?: NodeJS.ProcessEnv;
}

export interface RunOptions {
  signal?: AbortSignal;
  onEvent?: EventListener;
  /** Steer, queue, interrupt or change effort while the run works (issue 3). */
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

/** The library entry: `const agent = await createAgent({ model: "openai:gpt-5.3-codex" })`. */
export async function createAgent(options: AgentOptions): Promise<Agent> {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const config = loadConfig(cwd, env).config;
  const model = typeof options.model === "string" ? await createConfiguredModel(options.model, config, env) : options.model;
  const store =
    typeof options.store === "object" ? options.store : new SqliteStore(options.store ?? storePath(env));
  const listeners = new Set<EventListener>();
  const fanOut = (extra?: EventListener): EventListener => (event) => {
    extra?.(event);
    for (const l of listeners) l(event);
  };
  const { model: _m, store: _s, env: _e, cwd: _c, ...rest } = options;
  // The running session's context engine, for compact().
  let engine: ContextEngine | undefined;
  const context = options.context ?? config.context;
  const base = {
    ...rest,
    store,
    model,
    userDir: options.userDir ?? colleagueHome(env),
    ...(context ? { context } : {}),
    onContextEngine: (e: ContextEngine) => {
      engine = e;
      options.onContextEngine?.(e);
    },
  };
  const tracked = async (running: Promise<SessionResult>) => {
    try {
      return await running;
    } finally {
      engine = undefined;
    }
  };
  return {
    store,
    run: (task, o = {}) =>
      tracked(
        startSession(task, {
          ...base,
          cwd,
          onEvent: fanOut(o.onEvent),
          ...(o.signal ? { signal: o.signal } : {}),
          ...(o.inbox ? { inbox: o.inbox } : {}),
        }),
      ),
    resume: (id, followUp, o = {}) =>
      tracked(
        resumeSession(id, {
          ...base,
          onEvent: fanOut(o.onEvent),
          ...(followUp ? { followUp } : {}),
          ...(o.signal ? { signal: o.signal } : {}),
          ...(o.inbox ? { inbox: o.inbox } : {}),
        }),
      ),
    compact: () => {
      engine?.requestCompaction();
      return engine !== undefined;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: () => {
      if (typeof options.store !== "object") store.close();
    },
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
