import type { AgentEvent, EventOf } from "../agent/events.js";
import { totalTokens } from "../model/types.js";
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

/**
 * Human-readable, streaming rendering of the event stream: text as it arrives, thinking dimmed,
 * each tool call with its outcome and duration, and a closing summary line.
 */
export class Renderer {
  private midLine = false;
  private mode: "text" | "thinking" | undefined;
  private readonly calls = new Map<string, string>();

  constructor(
    private readonly out: NodeJS.WritableStream,
    private readonly style: Style,
    private readonly options: { showThinking?: boolean } = {},
  ) {}

  private write(s: string) {
    this.out.write(s);
    if (s.length) this.midLine = !s.endsWith("\n");
  }

  private line(s: string) {
    if (this.midLine) this.write("\n");
    this.mode = undefined;
    this.write(`${s}\n`);
  }

  render = (event: AgentEvent): void => {
    const s = this.style;
    switch (event.type) {
      case "session_started":
        this.line(s.dim(`colleague · ${event.model} · session ${event.sessionId} · ${event.cwd}`));
        break;
      case "session_resumed":
        this.line(s.dim(`resuming session ${event.sessionId} after step ${event.step}`));
        break;
      case "user_message":
        this.line(`${s.bold(event.kind === "task" ? "›" : `› [${event.kind}]`)} ${event.text}`);
        break;
      case "thinking_delta":
        if (this.options.showThinking === false) break;
        if (this.mode !== "thinking") {
          if (this.midLine) this.write("\n");
          this.write(s.dim("✻ "));
          this.mode = "thinking";
        }
        this.write(s.dim(event.delta));
        break;
      case "text_delta":
        if (this.mode !== "text" && this.midLine) this.write("\n");
        this.mode = "text";
        this.write(event.delta);
        break;
      case "tool_started":
        this.calls.set(event.callId, event.name);
        this.line(`${s.cyan("⏺")} ${s.bold(event.name)} ${callSummary(event.name, event.args)}`);
        break;
      case "tool_finished": {
        const mark = event.isError ? s.red("  ✗") : s.green("  ✓");
        this.line(`${mark} ${toolGist(event)} ${s.dim(`(${formatDuration(event.durationMs)})`)}`);
        break;
      }
      case "model_retry":
        this.line(s.yellow(`  ↻ ${event.error.message}; retry ${event.attempt} in ${formatDuration(event.delayMs)}`));
        break;
      case "model_error":
        this.line(s.red(`✗ ${event.error.message}`));
        break;
      case "interrupted":
        this.line(s.yellow(event.reason === "interrupt" ? "■ interrupted" : "↯ stream cut for an urgent steer"));
        break;
      case "effort_changed":
        this.line(s.dim(`effort → ${event.effort}`));
        break;
      case "session_finished":
        this.line(this.summary(event));
        break;
      // The context engine (issue 4): a compaction is worth a line; clearing and the per-request `context` are not.
      case "context_compacted":
        this.line(s.dim(`⟳ context compacted (${event.reason}): ${formatTokens(event.tokensBefore)} → ${formatTokens(event.tokensAfter)} tokens`));
        break;
      default:
        break;
    }
  };

  private summary(event: EventOf<"session_finished">): string {
    const s = this.style;
    const u = event.usage;
    const tokens = `${formatTokens(totalTokens(u))} tokens (in ${formatTokens(u.input + u.cacheRead + u.cacheWrite)}, out ${formatTokens(u.output)})`;
    const facts = `${event.steps} steps · ${tokens} · ${formatUsd(event.costUsd)} · ${formatDuration(event.durationMs)}`;
    if (event.status === "completed") return `${s.green("✓ completed")} · ${facts}`;
    const label = event.status === "max_steps" || event.status === "budget" ? s.yellow(`■ ${event.status}`) : s.red(`✗ ${event.status}`);
    return `${label}: ${event.error ?? ""} · ${facts}`;
  }
}
