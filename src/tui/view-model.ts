import type { StepCheckpoint } from "../session/rewind.js";
import type { AgentEvent, EventOf } from "../agent/events.js";
import { totalTokens } from "../model/types.js";
import { hookLine } from "../hooks/event-line.js";
import { callSummary, toolGist, toolOutputText } from "../cli/tool-summary.js";
import type { ApprovalRequest } from "../policy/approver.js";

/**
 * What the TUI shows, rebuilt from the event stream by a pure reducer (so it is tested
 * without a terminal). Finished items only ever get appended: the app prints them once with
 * Ink's <Static>, and only the live part (streaming text, running tools, input) is redrawn.
 */
export type Item =
  | { id: number; kind: "user"; text: string; mode: "task" | "steer" | "queue" | "continue" | "hook" }
  | { id: number; kind: "assistant"; text: string; interrupted?: boolean }
  | { id: number; kind: "thinking"; text: string }
  | {
      id: number;
      kind: "tool";
      callId: string;
      name: string;
      summary: string;
      ok: boolean;
      gist: string;
      /** The whole output, for the key that expands it (only the gist is printed at first). */
      output: string;
      durationMs: number;
      skipped: boolean;
    }
  | { id: number; kind: "note"; text: string; tone: "dim" | "warn" | "error" | "ok" }
  /** A tool's whole output, printed when the person asks for it (ctrl-o). */
  | { id: number; kind: "output"; title: string; text: string; diff?: boolean };

export type NewItem = Item extends infer I ? (I extends Item ? Omit<I, "id"> : never) : never;

export interface RunningTool {
  callId: string;
  name: string;
  summary: string;
  startedAt: number;
  lastOutput: string;
}

export interface ViewState {
  items: Item[];
  nextId: number;
  liveText: string;
  liveThinking: string;
  running: RunningTool[];
  /** Steer / queue messages sent but not yet delivered to the model. */
  pending: { mode: "steer" | "queue"; text: string }[];
  sessionId?: string;
  model: string;
  /** What the person asked for (low … max, auto) and what the newest request used. */
  effortSetting: string;
  effort: string;
  tokens: number;
  costUsd: number;
  /** Input tokens of the newest request: how full the context window is. */
  contextTokens: number;
  contextWindow: number;
  busy: boolean;
  /** How the session is guarded: the permission mode and the sandbox backend (from session_started). */
  permissionMode?: string;
  sandbox?: string;
  /** Bumped when the screen is cleared (/clear): the transcript is printed anew from there. */
  screen: number;
  /** The approval request on screen, if any (the card replaces the input box until it is answered). */
  approval?: ApprovalRequest;
  /** The `/rewind` picker on screen: the steps with a checkpoint, newest first. */
  rewindMenu?: { steps: StepCheckpoint[] };
}

export function initialView(model: string, effort: string, contextWindow: number): ViewState {
  return {
    items: [],
    nextId: 1,
    liveText: "",
    liveThinking: "",
    running: [],
    pending: [],
    model,
    effortSetting: effort,
    effort,
    tokens: 0,
    costUsd: 0,
    contextTokens: 0,
    contextWindow,
    busy: false,
    screen: 0,
  };
}

/** A new session (/new, /clear): the transcript stays, the session's counters start again. */
export function resetSession(state: ViewState): ViewState {
  const { sessionId: _id, ...rest } = state;
  return { ...rest, tokens: 0, costUsd: 0, contextTokens: 0 };
}

export function addItems(state: ViewState, ...items: NewItem[]): ViewState {
  if (!items.length) return state;
  let id = state.nextId;
  const added = items.map((item) => ({ ...item, id: id++ }) as Item);
  return { ...state, items: [...state.items, ...added], nextId: id };
}

/** One event in, the next view out. `now` is injected so the reducer stays pure. */
export function reduce(state: ViewState, event: AgentEvent, now: number): ViewState {
  switch (event.type) {
    case "session_started":
      return {
        ...state,
        sessionId: event.sessionId,
        model: event.model,
        ...(event.effort ? { effort: event.effort, effortSetting: event.effort } : {}),
        ...(event.permissionMode ? { permissionMode: event.permissionMode } : {}),
        ...(event.sandbox ? { sandbox: event.sandbox } : {}),
      };
    case "permission_decision":
      // Denials are worth a line (what was refused and why); allowances show as the tool running.
      if (event.decision === "allow") return state;
      return addItems(state, { kind: "note", text: `⊘ ${event.name} denied: ${event.reason}`, tone: "warn" });
    case "hook": {
      const line = hookLine(event);
      return line ? addItems(state, { kind: "note", text: line, tone: event.decision === "error" ? "dim" : "warn" }) : state;
    }
    case "session_resumed":
      return addItems({ ...state, sessionId: event.sessionId }, { kind: "note", text: `resumed session ${event.sessionId}`, tone: "dim" });
    case "user_message": {
      const pending = [...state.pending];
      const at = pending.findIndex((p) => p.text === event.text);
      if (at >= 0) pending.splice(at, 1);
      return addItems({ ...state, pending }, { kind: "user", text: event.text, mode: event.kind });
    }
    case "step_started":
      return { ...state, liveText: "", liveThinking: "", ...(event.effort ? { effort: event.effort } : {}) };
    case "text_delta":
      return { ...state, liveText: state.liveText + event.delta };
    case "thinking_delta":
      return { ...state, liveThinking: state.liveThinking + event.delta };
    case "model_retry":
      return addItems(
        { ...state, liveText: "", liveThinking: "" },
        { kind: "note", text: `↻ ${event.error.message}; retrying`, tone: "warn" },
      );
    case "assistant_message": {
      const items: NewItem[] = [];
      for (const part of event.message.content) {
        if (part.type === "thinking" && part.text) items.push({ kind: "thinking", text: part.text });
        if (part.type === "text" && part.text.trim()) items.push({ kind: "assistant", text: part.text });
      }
      const u = event.message.usage;
      return addItems({ ...state, liveText: "", liveThinking: "", contextTokens: u.input + u.cacheRead + u.cacheWrite }, ...items);
    }
    case "tool_started":
      return {
        ...state,
        running: [...state.running, { callId: event.callId, name: event.name, summary: callSummary(event.name, event.args), startedAt: now, lastOutput: "" }],
      };
    case "tool_output": {
      const line = event.chunk.split("\n").filter((l) => l.trim()).at(-1);
      if (!line) return state;
      return { ...state, running: state.running.map((t) => (t.callId === event.callId ? { ...t, lastOutput: line } : t)) };
    }
    case "tool_finished":
      return toolFinished(state, event);
    case "step_finished":
      return { ...state, tokens: totalTokens(event.usage), costUsd: event.costUsd };
    case "interrupted": {
      const items: NewItem[] = [];
      if (event.partialThinking) items.push({ kind: "thinking", text: event.partialThinking });
      if (event.partialText) items.push({ kind: "assistant", text: event.partialText, interrupted: true });
      const text = event.reason === "interrupt" ? "■ interrupted — type the next message" : "↯ stream cut for an urgent steer";
      items.push({ kind: "note", text, tone: "warn" });
      return addItems({ ...state, liveText: "", liveThinking: "" }, ...items);
    }
    case "effort_changed":
      return addItems(
        { ...state, effort: event.effort, effortSetting: event.effort },
        { kind: "note", text: `effort → ${event.effort}`, tone: "dim" },
      );
    case "model_changed":
      return addItems({ ...state, model: event.to }, { kind: "note", text: `model → ${event.to}`, tone: "dim" });
    case "model_error":
      return addItems(state, { kind: "note", text: `✗ ${event.error.message}`, tone: "error" });
    case "session_finished": {
      const ok = event.status === "completed";
      const facts = `${event.steps} steps · ${formatCount(totalTokens(event.usage))} tokens · $${event.costUsd.toFixed(4)}`;
      // Stopped by a hang-up, SIGTERM or closed output: nothing went wrong, and resume continues it.
      const stopped = event.status === "stopped";
      const text = ok
        ? `✓ done · ${facts}`
        : stopped
          ? `■ stopped — resume with colleague resume ${event.sessionId} · ${facts}`
          : `■ ${event.status}${event.error ? `: ${event.error}` : ""} · ${facts}`;
      return addItems(
        { ...state, busy: false, running: [], liveText: "", liveThinking: "", pending: [] },
        { kind: "note", text, tone: ok ? "ok" : stopped ? "dim" : event.status === "interrupted" ? "warn" : "error" },
      );
    }
    default:
      return state;
  }
}

function toolFinished(state: ViewState, event: EventOf<"tool_finished">): ViewState {
  const running = state.running.find((t) => t.callId === event.callId);
  return addItems(
    { ...state, running: state.running.filter((t) => t.callId !== event.callId) },
    {
      kind: "tool",
      callId: event.callId,
      name: event.name,
      summary: running?.summary ?? "",
      ok: !event.isError,
      gist: toolGist(event, 70),
      output: toolOutputText(event.content),
      durationMs: event.durationMs,
      skipped: event.details?.skipped === true,
    },
  );
}

export function formatCount(n: number): string {
  if (n < 1000) return String(n);
  if (n < 1_000_000) return `${(n / 1000).toFixed(1)}k`;
  return `${(n / 1_000_000).toFixed(2)}M`;
}

/**
 * The status line, at most `width` columns: model · effort · tokens · cost · context used ·
 * guard · state. The model id is never cut while anything else can go: parts are dropped,
 * then shortened, in a fixed order until the line fits.
 */
export function statusLine(state: ViewState, width = 80): string {
  const context = state.contextWindow ? `ctx ${Math.round((state.contextTokens / state.contextWindow) * 100)}%` : "";
  const effort = state.effortSetting === "auto" && state.effort !== "auto" ? `auto→${state.effort}` : state.effort;
  const guard = state.permissionMode ? `${state.permissionMode}/${SANDBOX_LABELS[state.sandbox ?? ""] ?? state.sandbox ?? "?"}` : "";
  // Parts with the order they are dropped in when the line is too wide (0: never).
  const parts: [string, number][] = [
    [shortModel(state.model), 0],
    [`effort ${effort}`, 0],
    [`${formatCount(state.tokens)} tok`, 3],
    [`$${state.costUsd.toFixed(4)}`, 2],
    [context, 1],
    [guard, 0],
    [state.busy ? "working" : "idle", 0],
  ];
  let shown = parts.filter(([text]) => text);
  const line = () => shown.map(([t]) => t).join(" · ");
  for (let drop = 1; drop <= 3 && line().length > width; drop++) shown = shown.filter(([, order]) => order !== drop);
  // Still too wide: only a model id longer than the room left is cut, in the middle (both
  // ends identify it), and never below 24 characters; then the labels go.
  const [model, ...rest] = shown;
  const room = Math.max(24, width - rest.map(([t]) => ` · ${t}`).join("").length);
  if (model && line().length > width && model[0].length > room) {
    const half = Math.floor((room - 1) / 2);
    shown = [[`${model[0].slice(0, half)}…${model[0].slice(-(room - 1 - half))}`, 0], ...rest];
  }
  if (line().length > width) shown = shown.map(([t, o]) => [t.replace(/^effort /, ""), o]);
  if (line().length > width) shown = shown.filter(([t]) => t !== "idle");
  const text = line();
  return text.length > width ? `${text.slice(0, width - 1)}…` : text;
}

/** A local endpoint's model id without its scheme and API path: compatible:qwen3@127.0.0.1:11434. */
function shortModel(id: string): string {
  return id.replace(/@https?:\/\//, "@").replace(/\/v1\/?$/, "");
}

/** Short names for the status line. */
const SANDBOX_LABELS: Record<string, string> = { bubblewrap: "bwrap", unshare: "userns", none: "no sandbox", off: "unsandboxed" };
