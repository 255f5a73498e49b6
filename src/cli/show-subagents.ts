import type { AgentEvent } from "../agent/events.js";
import type { SessionStore } from "../store/store.js";
import { Renderer, type Style } from "./render.js";

/**
 * The session a `task` call ran (a subagent's), when `event` is that call's result: its id is in
 * the result's details, and its log is a session of its own in the same store.
 */
export function subagentSessionOf(event: AgentEvent): string | undefined {
  if (event.type !== "tool_finished" || event.name !== "task") return undefined;
  const id = event.details?.sessionId;
  return typeof id === "string" && id ? id : undefined;
}

/** Replays a subagent's session inside its parent's, each line indented under a `│`. */
export function showSubagentSession(store: SessionStore, sessionId: string, out: NodeJS.WritableStream, style: Style, showThinking: boolean): void {
  const indented = indentedStream(out, style.dim("    │ "));
  const renderer = new Renderer(indented, style, { replay: true, showThinking, live: false });
  for (const event of store.iterateEvents?.(sessionId) ?? store.events(sessionId)) renderer.render(event);
}

function indentedStream(out: NodeJS.WritableStream, prefix: string): NodeJS.WritableStream {
  let atLineStart = true;
  const write = (chunk: string | Uint8Array): boolean => {
    const text = typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
    let result = "";
    for (const ch of text) {
      if (atLineStart && ch !== "\n") result += prefix;
      result += ch;
      atLineStart = ch === "\n";
    }
    return out.write(result);
  };
  // The renderer only writes, and asks whether it is a terminal (it is not: no live region).
  return { write, isTTY: false } as unknown as NodeJS.WritableStream;
}
