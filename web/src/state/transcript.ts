import type { AgentEvent } from "../../../src/agent/events.js";

/**
 * A session's events folded into what the transcript shows: one item per user message,
 * assistant turn, tool call and notable moment. Pure and incremental (`apply` one event at a
 * time), so a live stream and a 2,000-event replay use the same code, and the UI re-renders
 * from the snapshot rather than rebuilding from deltas.
 */

export type Item =
  | { kind: "user"; key: string; seq: number; text: string; via: string; agentId: string }
  | { kind: "assistant"; key: string; seq: number; text: string; thinking: string; live: boolean; agentId: string }
  | {
      kind: "tool";
      key: string;
      seq: number;
      callId: string;
      name: string;
      args: unknown;
      output: string;
      result: string;
      images: { mediaType: string; data: string }[];
      diff?: string;
      status: "running" | "done" | "error" | "denied";
      decision?: string;
      durationMs?: number;
      agentId: string;
    }
  | { kind: "notice"; key: string; seq: number; tone: "info" | "warn" | "error" | "done"; text: string; agentId: string };

export interface Point {
  step: number;
  costUsd: number;
  tokens: number;
}

export interface SessionView {
  items: Item[];
  status: string;
  task: string;
  model: string;
  cwd: string;
  effort?: string;
  permissionMode?: string;
  sandbox?: string;
  context?: { used: number; window: number; cacheHitRatio: number };
  /** Steps at which the context was compacted. */
  compactions: number[];
  /** Cost and tokens after each step: the plot's series. */
  series: Point[];
  costUsd: number;
  tokens: number;
  step: number;
  lastSeq: number;
  kind: "solo" | "team" | "review";
  /** Counts approval requests and decisions: when it changes, the pending approvals are fetched again. */
  approvalTick: number;
}

export function emptyView(): SessionView {
  return { items: [], status: "running", task: "", model: "", cwd: "", compactions: [], series: [], costUsd: 0, tokens: 0, step: 0, lastSeq: 0, kind: "solo", approvalTick: 0 };
}

const tokensOf = (u: { input: number; output: number; cacheRead: number; cacheWrite: number }) => u.input + u.output + u.cacheRead + u.cacheWrite;

/** Folds one event into the view (mutates and returns it; callers copy the array they render). */
export function apply(view: SessionView, e: AgentEvent): SessionView {
  if (e.seq > view.lastSeq) view.lastSeq = e.seq;
  const items = view.items;
  const key = (suffix: string) => `${e.seq}:${e.agentId}:${suffix}`;
  const liveAssistant = () => {
    for (let i = items.length - 1; i >= 0 && i >= items.length - 4; i--) {
      const item = items[i]!;
      if (item.kind === "assistant" && item.live && item.agentId === e.agentId) return item;
    }
    return undefined;
  };
  const tool = (callId: string) => {
    for (let i = items.length - 1; i >= 0; i--) {
      const item = items[i]!;
      if (item.kind === "tool" && item.callId === callId) return item;
    }
    return undefined;
  };
  switch (e.type) {
    case "session_started":
      // In a team each member starts its own session; the header keeps the team's task.
      if (view.kind !== "solo") break;
      Object.assign(view, { task: e.task, model: e.model, cwd: e.cwd, effort: e.effort, permissionMode: e.permissionMode, sandbox: e.sandbox, status: "running" });
      break;
    case "team_started":
      Object.assign(view, { task: e.task, cwd: e.cwd, model: e.lead ?? e.teammateModels[0] ?? "", kind: e.kind, permissionMode: e.permissionMode, status: "running" });
      break;
    case "session_resumed":
      view.status = "running";
      items.push({ kind: "notice", key: key("resumed"), seq: e.seq, tone: "info", text: `Resumed at step ${e.step}`, agentId: e.agentId });
      break;
    case "user_message":
      items.push({ kind: "user", key: key("user"), seq: e.seq, text: e.text, via: e.kind, agentId: e.agentId });
      break;
    case "text_delta":
    case "thinking_delta": {
      let item = liveAssistant();
      if (!item) {
        item = { kind: "assistant", key: `live:${e.agentId}:${e.seq}:${items.length}`, seq: e.seq, text: "", thinking: "", live: true, agentId: e.agentId };
        items.push(item);
      }
      if (e.type === "text_delta") item.text += e.delta;
      else item.thinking += e.delta;
      break;
    }
    case "assistant_message": {
      const text = e.message.content.flatMap((p) => (p.type === "text" ? [p.text] : [])).join("\n\n");
      const thinking = e.message.content.flatMap((p) => (p.type === "thinking" ? [p.text] : [])).join("\n\n");
      const live = liveAssistant();
      const item = { kind: "assistant" as const, key: key("assistant"), seq: e.seq, text, thinking, live: false, agentId: e.agentId };
      if (live) items[items.indexOf(live)] = item;
      else if (text || thinking) items.push(item);
      // Each call shows from the moment the model asks for it (a call can finish without a tool_started, e.g. when it is refused).
      for (const part of e.message.content) {
        if (part.type === "tool_call" && !tool(part.id)) {
          items.push({ kind: "tool", key: key(part.id), seq: e.seq, callId: part.id, name: part.name, args: part.args, output: "", result: "", images: [], status: "running", agentId: e.agentId });
        }
      }
      break;
    }
    case "tool_started": {
      const item = tool(e.callId);
      if (item?.kind === "tool") item.args = e.args;
      else items.push({ kind: "tool", key: key(e.callId), seq: e.seq, callId: e.callId, name: e.name, args: e.args, output: "", result: "", images: [], status: "running", agentId: e.agentId });
      break;
    }
    case "tool_output": {
      const item = tool(e.callId);
      if (item?.kind === "tool") item.output += e.chunk;
      break;
    }
    case "tool_finished": {
      const item = tool(e.callId);
      if (item?.kind !== "tool") break;
      item.result = e.content.flatMap((p) => (p.type === "text" ? [p.text] : [])).join("\n");
      item.images = e.content.flatMap((p) => (p.type === "image" ? [{ mediaType: p.mediaType, data: p.data }] : []));
      if (typeof e.details?.diff === "string") item.diff = e.details.diff;
      item.durationMs = e.durationMs;
      if (item.status !== "denied") item.status = e.isError ? "error" : "done";
      break;
    }
    case "approval_requested":
      view.approvalTick++;
      break;
    case "permission_decision": {
      view.approvalTick++;
      const item = tool(e.callId);
      const text = e.decision === "allow" ? `allowed (${e.answer ?? e.via})` : `denied: ${e.reason}`;
      if (item?.kind === "tool") {
        item.decision = text;
        if (e.decision === "deny") item.status = "denied";
      } else if (e.decision === "deny") items.push({ kind: "notice", key: key(`deny:${e.callId}`), seq: e.seq, tone: "warn", text: `${e.name} ${text}`, agentId: e.agentId });
      break;
    }
    case "step_started":
      if (e.agentId === "main" || view.kind === "solo") view.step = e.step;
      if (e.effort) view.effort = e.effort;
      break;
    case "step_finished":
      if (view.kind === "solo") {
        view.costUsd = e.costUsd;
        view.tokens = tokensOf(e.usage);
        view.series.push({ step: e.step, costUsd: e.costUsd, tokens: view.tokens });
      }
      break;
    case "context":
      if (view.kind === "solo" || e.agentId === "main") {
        view.context = { used: e.used, window: e.window, cacheHitRatio: e.cacheHitRatio };
        if (e.compacted) view.compactions.push(view.step);
      }
      break;
    case "context_compacted":
      items.push({ kind: "notice", key: key("compacted"), seq: e.seq, tone: "info", text: `Context compacted (${e.reason}): ${e.tokensBefore.toLocaleString()} → ${e.tokensAfter.toLocaleString()} tokens`, agentId: e.agentId });
      if (!view.compactions.includes(view.step)) view.compactions.push(view.step);
      break;
    case "interrupted": {
      const live = liveAssistant();
      if (live) live.live = false;
      items.push({ kind: "notice", key: key("interrupted"), seq: e.seq, tone: "warn", text: e.reason === "interrupt" ? "Interrupted" : "Cut short by an urgent steer", agentId: e.agentId });
      break;
    }
    case "effort_changed":
      view.effort = e.effort;
      items.push({ kind: "notice", key: key("effort"), seq: e.seq, tone: "info", text: `Effort set to ${e.effort}`, agentId: e.agentId });
      break;
    case "model_changed":
      if (e.agentId === "main") view.model = e.to;
      items.push({ kind: "notice", key: key("model"), seq: e.seq, tone: "info", text: `Model switched from ${e.from} to ${e.to}`, agentId: e.agentId });
      break;
    case "model_retry":
      items.push({ kind: "notice", key: key("retry"), seq: e.seq, tone: "warn", text: `Provider error, retry ${e.attempt} in ${Math.round(e.delayMs / 100) / 10} s: ${e.error.message}`, agentId: e.agentId });
      break;
    case "model_error":
      items.push({ kind: "notice", key: key("error"), seq: e.seq, tone: "error", text: `Model error: ${e.error.message}`, agentId: e.agentId });
      break;
    case "session_finished":
      if (e.agentId === "main" || e.agentId === "team") {
        view.status = e.status;
        view.costUsd = e.costUsd;
        view.tokens = tokensOf(e.usage);
        const tone = e.status === "completed" ? "done" : e.status === "error" ? "error" : "warn";
        items.push({ kind: "notice", key: key("finished"), seq: e.seq, tone, text: `Session ${e.status}${e.error ? `: ${e.error}` : ""} · ${e.steps} steps · $${e.costUsd.toFixed(4)}`, agentId: e.agentId });
      }
      break;
    default:
      break;
  }
  return view;
}
