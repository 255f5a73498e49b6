import { useState } from "react";
import type { Item } from "../state/transcript.js";
import { duration } from "../format.js";
import { Diff } from "./diff.js";
import { Markdown } from "./markdown.js";

/** One transcript row: a message, an assistant turn (thinking collapsed), a tool call with its live output, or a notice. */
export function TranscriptItem({ item, onFork, showAgent }: { item: Item; onFork?: (seq: number) => void; showAgent?: boolean }) {
  const who = showAgent && item.agentId !== "main" ? <span className="agent">{item.agentId}</span> : null;
  switch (item.kind) {
    case "user":
      return (
        <article className={`msg user ${item.via}`} aria-label={`${item.via === "task" ? "task" : item.via} message`}>
          <div className="msg-head">
            {who}
            <span className="role">{item.via === "task" ? "Task" : item.via === "steer" ? "Steer" : item.via === "queue" ? "Queued" : "You"}</span>
            {onFork ? <ForkButton seq={item.seq} onFork={onFork} /> : null}
          </div>
          <div className="msg-body">
            <Markdown text={item.text} />
          </div>
        </article>
      );
    case "assistant":
      return (
        <article className="msg assistant" aria-label="assistant message" aria-busy={item.live}>
          <div className="msg-head">
            {who}
            <span className="role">Assistant</span>
            {item.live ? <span className="muted small">writing…</span> : null}
            {onFork && !item.live ? <ForkButton seq={item.seq} onFork={onFork} /> : null}
          </div>
          {item.thinking ? (
            <details className="thinking">
              <summary>Thinking</summary>
              <Markdown text={item.thinking} />
            </details>
          ) : null}
          {item.text ? (
            <div className="msg-body">
              <Markdown text={item.text} />
            </div>
          ) : null}
        </article>
      );
    case "tool":
      return <ToolCall item={item} who={who} />;
    case "notice":
      return (
        <div className={`notice ${item.tone}`} role={item.tone === "error" ? "alert" : undefined}>
          {who}
          {item.text}
        </div>
      );
  }
}

function ToolCall({ item, who }: { item: Extract<Item, { kind: "tool" }>; who: React.ReactNode }) {
  const [open, setOpen] = useState(false);
  const summary = argSummary(item.args);
  const body = item.output || item.result;
  return (
    <article className={`tool ${item.status}`} aria-label={`tool call ${item.name}`}>
      <button type="button" className="tool-head" aria-expanded={open || item.status === "running"} onClick={() => setOpen(!open)}>
        {who}
        <span className={`tool-state ${item.status}`}>{item.status === "running" ? "running" : item.status}</span>
        <code className="tool-name">{item.name}</code>
        <span className="tool-args">{summary}</span>
        {item.durationMs !== undefined ? <span className="muted small">{duration(item.durationMs)}</span> : null}
      </button>
      {item.decision ? <div className="muted small decision">{item.decision}</div> : null}
      {item.diff ? <Diff text={item.diff} label={`diff of ${summary}`} /> : null}
      {item.images.map((img, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: images of one finished call never reorder
        <img key={i} className="tool-image" alt={`output of ${item.name} ${summary}`} src={`data:${img.mediaType};base64,${img.data}`} />
      ))}
      {(open || item.status === "running") && body ? <pre className="tool-output">{body.length > 20_000 ? `${body.slice(0, 20_000)}\n… (${body.length - 20_000} more characters)` : body}</pre> : null}
    </article>
  );
}

function ForkButton({ seq, onFork }: { seq: number; onFork: (seq: number) => void }) {
  return (
    <button type="button" className="ghost tiny fork" onClick={() => onFork(seq)} title="Start a new session with the history up to here">
      Fork from here
    </button>
  );
}

function argSummary(args: unknown): string {
  if (!args || typeof args !== "object") return "";
  const a = args as Record<string, unknown>;
  const main = a.command ?? a.path ?? a.pattern ?? a.url ?? a.query ?? a.id ?? a.title;
  if (typeof main === "string") return main.length > 120 ? `${main.slice(0, 120)}…` : main;
  const json = JSON.stringify(args);
  return json === "{}" ? "" : json.length > 120 ? `${json.slice(0, 120)}…` : json;
}
