import { hookLine } from "../hooks/event-line.js";
import type { AgentEvent, EventOf } from "../agent/events.js";
import { totalTokens } from "../model/types.js";
import { approvalPreview } from "../policy/preview.js";
import { clipToWidth, LiveRegion, SPINNER, terminalPrompt, wrap } from "./live-region.js";
import { callSummary, toolGist } from "./tool-summary.js";

// Callers of the renderer's helpers still find the call summary here.
export { callSummary };

export interface Style {
  dim(s: string): string;
  bold(s: string): string;
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  cyan(s: string): string;
}

const ansi = (open: number, close: number) => (s: string) => `\x1b[${open}m${s}\x1b[${close}m`;
const plain = (s: string) => s;

export function styleFor(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv = process.env): Style {
  const color = stream.isTTY === true && !env.NO_COLOR && env.TERM !== "dumb";
  if (!color) return { dim: plain, bold: plain, red: plain, green: plain, yellow: plain, cyan: plain };
  return { dim: ansi(2, 22), bold: ansi(1, 22), red: ansi(31, 39), green: ansi(32, 39), yellow: ansi(33, 39), cyan: ansi(36, 39) };
}


export function formatTokens(n: number): string {
  if (n < 1000) return String(n);
  if (n < 1_000_000) return `${(n / 1000).toFixed(1)}k`;
  return `${(n / 1_000_000).toFixed(2)}M`;
}

export const formatUsd = (usd: number): string => `$${usd < 1 ? usd.toFixed(4) : usd.toFixed(2)}`;

export function formatDuration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}


/** Diff lines shown per edit; the rest is counted. */
const MAX_DIFF_LINES = 40;
/** Lines of a running command's output kept on screen. */
const LIVE_LINES = 5;

interface RunningCall {
  name: string;
  started: number;
  output: string;
  /** write_file: the diff, computed before the file changes. */
  preview?: string;
}

export interface RendererOptions {
  showThinking?: boolean;
  /** Replaying a stored log (`show`): assistant text comes from assistant_message, not deltas. */
  replay?: boolean;
  /** Spinner and live command output (default: when the stream is a terminal). */
  live?: boolean;
}

/**
 * Human-readable, streaming rendering of the event stream: text as it arrives, thinking dimmed,
 * each tool call with its outcome, the diff of each edit and its duration, retries, and a
 * closing summary line. On a terminal it also shows signs of life: a spinner with the elapsed
 * time while the model works, and the last lines of a running command (collapsed when it ends).
 */
export class Renderer {
  private midLine = false;
  private mode: "text" | "thinking" | undefined;
  private readonly calls = new Map<string, RunningCall>();
  private readonly region: LiveRegion | undefined;
  private waitingSince: number | undefined;
  /** Whether this step's answer has begun on screen: a retry then starts it over, and says so. */
  private answerShown = false;
  private timer: ReturnType<typeof setInterval> | undefined;
  private frame = 0;
  private cwd: string | undefined;
  private flagged: string[] = [];
  private lastText = "";

  constructor(
    private readonly out: NodeJS.WritableStream & { isTTY?: boolean; columns?: number },
    private readonly style: Style,
    private readonly options: RendererOptions = {},
  ) {
    const live = options.live ?? (out.isTTY === true && !options.replay);
    this.region = live ? new LiveRegion(out) : undefined;
    if (this.region) terminalPrompt.listeners.add(this.hide);
  }

  private readonly hide = () => this.region?.clear();

  private write(s: string) {
    this.region?.clear();
    this.out.write(s);
    if (s.length) this.midLine = !s.endsWith("\n");
  }

  private line(s: string) {
    if (this.midLine) this.write("\n");
    this.mode = undefined;
    this.write(`${s}\n`);
  }

  /** Wraps at the terminal's width with a hanging indent; off a terminal the reader's pager wraps. */
  private wrapped(text: string, indent: string): string {
    const width = this.out.isTTY ? (this.out.columns ?? 80) : 0;
    return width ? wrap(text, width, indent) : text;
  }

  render = (event: AgentEvent): void => {
    this.react(event);
    this.redraw();
  };

  private react(event: AgentEvent): void {
    const s = this.style;
    switch (event.type) {
      case "session_started":
        this.cwd = event.cwd;
        this.line(s.dim(`colleague · ${event.model} · session ${event.sessionId} · ${event.cwd}${guardLabel(event)}`));
        break;
      case "session_resumed":
        this.line(s.dim(`resuming session ${event.sessionId} after step ${event.step}`));
        break;
      case "user_message":
        this.line(`${s.bold(event.kind === "task" ? "›" : `› [${event.kind}]`)} ${event.text}`);
        break;
      case "step_started":
        this.waitingSince = Date.now();
        this.answerShown = false;
        break;
      case "thinking_delta":
        this.waitingSince = undefined;
        if (this.options.showThinking === false) break;
        this.thinking(event.delta);
        break;
      case "text_delta":
        this.waitingSince = undefined;
        this.answerShown = true;
        this.text(event.delta);
        break;
      case "tool_call_delta":
        this.waitingSince = undefined;
        break;
      case "assistant_message":
        this.waitingSince = undefined;
        if (this.options.replay) this.replayMessage(event);
        break;
      case "tool_started":
        this.waitingSince = undefined;
        this.calls.set(event.callId, { name: event.name, started: Date.now(), output: "", ...this.previewOf(event) });
        this.line(`${s.cyan("⏺")} ${s.bold(event.name)} ${callSummary(event.name, event.args)}`);
        break;
      case "tool_output": {
        const call = this.calls.get(event.callId);
        // Only the tail is ever shown: keep a bounded buffer.
        if (call) call.output = (call.output + event.chunk).slice(-8192);
        break;
      }
      case "tool_finished":
        this.finished(event);
        break;
      case "model_retry": {
        const over = this.answerShown ? "; the answer starts over below" : "";
        this.answerShown = false;
        this.line(s.yellow(this.wrapped(`  ↻ ${event.error.message}; retry ${event.attempt} in ${formatDuration(event.delayMs)}${over}`, "    ")));
        break;
      }
      case "model_error":
        this.waitingSince = undefined;
        this.line(s.red(this.wrapped(`✗ ${event.error.message}`, "  ")));
        break;
      case "interrupted":
        this.waitingSince = undefined;
        this.line(s.yellow(event.reason === "interrupt" ? "■ interrupted" : "↯ stream cut for an urgent steer"));
        break;
      case "effort_changed":
        this.line(s.dim(`effort → ${event.effort}`));
        break;
      case "model_changed":
        this.line(s.dim(`model → ${event.to}`));
        break;
      case "hook": {
        // A refusal is worth a line; an error too (Claude Code shows it to the user); a quiet pass is not.
        const line = hookLine(event);
        if (line) this.line(event.decision === "error" ? s.dim(`  ${line}`) : s.yellow(this.wrapped(`  ${line}`, "    ")));
        break;
      }
      case "honesty_check":
        if (event.result === "flagged") this.flagged = event.discrepancies;
        if (event.result === "retry") this.line(s.yellow(this.wrapped(`  ⚠ honesty check: ${event.discrepancies.join("; ")} — asked the model to correct its answer`, "    ")));
        break;
      case "session_finished":
        this.waitingSince = undefined;
        if (this.options.replay && event.answer && event.answer.trim() !== this.lastText.trim()) {
          this.line(`${s.bold("answer:")} ${event.answer}`);
        }
        this.line(this.summary(event));
        this.dispose();
        break;
      // The context engine: a compaction is worth a line; clearing and the per-request `context` are not.
      case "context_compacted":
        this.line(s.dim(`⟳ context compacted (${event.reason}): ${formatTokens(event.tokensBefore)} → ${formatTokens(event.tokensAfter)} tokens`));
        break;
      default:
        break;
    }
  }

  private thinking(delta: string): void {
    if (this.mode !== "thinking") {
      if (this.midLine) this.write("\n");
      this.write(this.style.dim("✻ "));
      this.mode = "thinking";
    }
    this.write(this.style.dim(delta));
  }

  private text(delta: string): void {
    if (this.mode !== "text" && this.midLine) this.write("\n");
    this.mode = "text";
    this.write(delta);
  }

  /** `show`: the stored message stands in for the deltas that were never stored. */
  private replayMessage(event: EventOf<"assistant_message">): void {
    for (const part of event.message.content) {
      if (part.type === "thinking" && this.options.showThinking && part.text) this.thinking(part.text);
      if (part.type === "text" && part.text) {
        this.text(part.text);
        this.lastText = part.text;
      }
    }
    if (this.midLine) this.write("\n");
    this.mode = undefined;
  }

  /** write_file replaces a whole file: its diff is taken now, before the file changes (live runs only). */
  private previewOf(event: EventOf<"tool_started">): { preview?: string } {
    if (event.name !== "write_file" || !this.cwd || this.options.replay) return {};
    const preview = approvalPreview({ type: "tool_call", id: event.callId, name: event.name, args: event.args }, this.cwd);
    return preview ? { preview } : {};
  }

  private finished(event: EventOf<"tool_finished">): void {
    const s = this.style;
    const call = this.calls.get(event.callId);
    this.calls.delete(event.callId);
    const mark = event.isError ? s.red("  ✗") : s.green("  ✓");
    this.line(`${mark} ${this.wrapped(toolGist(event, Number.POSITIVE_INFINITY), "    ")} ${s.dim(`(${formatDuration(event.durationMs)})`)}`);
    if (event.isError) return;
    const diff = event.name === "edit_file" ? event.details?.diff : event.name === "write_file" ? call?.preview : undefined;
    if (typeof diff === "string" && diff && !diff.startsWith("(")) this.diff(diff);
  }

  private diff(diff: string): void {
    const s = this.style;
    const lines = diff.split("\n").filter((l) => !l.startsWith("--- ") && !l.startsWith("+++ "));
    const shown = lines.slice(0, MAX_DIFF_LINES).map((l) => {
      const colour = l.startsWith("+") ? s.green : l.startsWith("-") ? s.red : s.dim;
      return `    ${colour(l)}`;
    });
    if (lines.length > MAX_DIFF_LINES) shown.push(s.dim(`    … ${lines.length - MAX_DIFF_LINES} more diff lines`));
    this.line(shown.join("\n"));
  }

  /** The live region: the tail of each running command, then a spinner with the elapsed time. */
  private redraw(): void {
    if (!this.region || terminalPrompt.active > 0) return;
    const running = [...this.calls.values()];
    const active = this.waitingSince !== undefined || running.length > 0;
    if (!active) {
      this.region.clear();
      this.stopTimer();
      return;
    }
    if (this.midLine) return;
    const s = this.style;
    const spin = SPINNER[this.frame % SPINNER.length]!;
    const lines: string[] = [];
    for (const call of running) {
      const tail = call.output.split("\n").filter((l) => l.trim()).slice(-LIVE_LINES);
      for (const l of tail) lines.push(s.dim(`    │ ${clipToWidth(l.replace(/\s+$/, ""), this.region.width - 8)}`));
    }
    if (this.waitingSince !== undefined) lines.push(s.dim(`${spin} waiting for the model · ${formatElapsed(Date.now() - this.waitingSince)}`));
    else if (running.length) lines.push(s.dim(`${spin} ${running.map((c) => c.name).join(", ")} · ${formatElapsed(Date.now() - running[0]!.started)}`));
    this.region.show(lines);
    if (!this.timer) {
      this.timer = setInterval(() => {
        this.frame++;
        this.redraw();
      }, 100);
      this.timer.unref();
    }
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Stops the spinner and forgets the terminal (the session is over). */
  dispose(): void {
    this.stopTimer();
    this.region?.clear();
    terminalPrompt.listeners.delete(this.hide);
  }

  private summary(event: EventOf<"session_finished">): string {
    const s = this.style;
    const u = event.usage;
    const tokens = `${formatTokens(totalTokens(u))} tokens (in ${formatTokens(u.input + u.cacheRead + u.cacheWrite)}, out ${formatTokens(u.output)})`;
    const facts = `${event.steps} steps · ${tokens} · ${formatUsd(event.costUsd)} · ${formatDuration(event.durationMs)}`;
    if (event.status === "completed" && this.flagged.length) {
      // The answer contradicts the session's evidence: never a plain ✓.
      const list = this.flagged.map((d) => `\n  - ${this.wrapped(d, "    ")}`).join("");
      return `${s.yellow("⚠ completed, but the honesty check flagged the answer")} · ${facts}${list}`;
    }
    if (event.status === "completed") return `${s.green("✓ completed")} · ${facts}`;
    const label = event.status === "max_steps" || event.status === "budget" || event.status === "stopped" ? s.yellow(`■ ${event.status}`) : s.red(`✗ ${event.status}`);
    return `${label}: ${this.wrapped(event.error ?? "", "  ")} · ${facts}`;
  }
}

const formatElapsed = (ms: number): string => (ms < 60_000 ? `${(ms / 1000).toFixed(1)}s` : `${Math.floor(ms / 60_000)}m ${Math.floor((ms % 60_000) / 1000)}s`);

/** How the session is guarded, for the header: the permission mode and the sandbox in use. */
function guardLabel(event: { permissionMode?: string | undefined; sandbox?: string | undefined }): string {
  if (!event.permissionMode) return "";
  const sandbox = event.sandbox === "off" || event.sandbox === "none" ? "no sandbox" : `${event.sandbox} sandbox`;
  return ` · ${event.permissionMode}, ${sandbox}`;
}

