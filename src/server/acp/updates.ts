import path from "node:path";
import type { SessionUpdate, ToolCallContent, ToolCallLocation, ToolKind } from "@agentclientprotocol/sdk";
import type { AgentEvent, EventOf } from "../../agent/events.js";
import type { UserPart } from "../../model/types.js";

/**
 * colleague's events as ACP `session/update`s: deltas become message and thought chunks, a
 * tool call becomes a `tool_call` (kind, title, file locations, the edit as a diff) and its
 * result a `tool_call_update`. Used live during a prompt and, over the stored log, to replay a
 * loaded session. Everything here is derived from the event union; nothing is kept elsewhere.
 */

type Args = Record<string, unknown>;

const KINDS: Record<string, ToolKind> = {
  read_file: "read",
  list: "read",
  repo_map: "read",
  edit_file: "edit",
  write_file: "edit",
  apply_patch: "edit",
  shell: "execute",
  grep: "search",
  glob: "search",
};

export function toolKind(name: string): ToolKind {
  return KINDS[name] ?? (/fetch|web|http/i.test(name) ? "fetch" : "other");
}

const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);
const args = (v: unknown): Args => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Args) : {});
const oneLine = (text: string, max = 80): string => {
  const line = text.split("\n")[0]!.trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
};

/** A short title for the editor's tool-call card. */
export function toolTitle(name: string, input: unknown): string {
  const a = args(input);
  const p = str(a.path);
  switch (name) {
    case "read_file":
      return `Read ${p ?? "file"}`;
    case "edit_file":
      return `Edit ${p ?? "file"}`;
    case "write_file":
      return `Write ${p ?? "file"}`;
    case "apply_patch":
      return "Apply patch";
    case "shell":
      return str(a.command) ? `Run ${oneLine(a.command as string)}` : "Run a command";
    case "grep":
      return `Search for ${str(a.pattern) ?? "a pattern"}${p ? ` in ${p}` : ""}`;
    case "glob":
      return `Find ${str(a.pattern) ?? "files"}${p ? ` in ${p}` : ""}`;
    case "list":
      return `List ${p ?? "the workspace"}`;
    case "repo_map":
      return "Map the repository";
    default:
      return name;
  }
}

/** Files a call reads or changes, as absolute paths. */
export function toolLocations(name: string, input: unknown, cwd: string): ToolCallLocation[] {
  const a = args(input);
  const abs = (p: string) => path.resolve(cwd, p);
  if (name === "apply_patch") {
    const patch = str(a.patch) ?? "";
    const files = [...patch.matchAll(/^\*\*\* (?:Update|Add|Delete) File: (.+)$/gm)].map((m) => m[1]!.trim());
    return [...new Set(files)].map((f) => ({ path: abs(f) }));
  }
  if (name === "shell") {
    const dir = str(a.workdir);
    return dir ? [{ path: abs(dir) }] : [];
  }
  const p = str(a.path);
  if (!p) return [];
  const line = typeof a.offset === "number" ? a.offset : undefined;
  return [{ path: abs(p), ...(line ? { line } : {}) }];
}

/** An edit as ACP shows it: the old and new text of the change, for the file it touches. */
export function toolDiffs(name: string, input: unknown, cwd: string): ToolCallContent[] {
  const a = args(input);
  const p = str(a.path);
  if (!p) return [];
  if (name === "edit_file" && typeof a.new_string === "string") {
    const oldText = typeof a.old_string === "string" && a.old_string !== "" ? a.old_string : null;
    return [{ type: "diff", path: path.resolve(cwd, p), oldText, newText: a.new_string }];
  }
  if (name === "write_file" && typeof a.content === "string") {
    return [{ type: "diff", path: path.resolve(cwd, p), oldText: null, newText: a.content }];
  }
  return [];
}

function textContent(parts: UserPart[]): ToolCallContent[] {
  const text = parts
    .filter((p) => p.type === "text")
    .map((p) => p.text)
    .join("\n");
  return text ? [{ type: "content", content: { type: "text", text } }] : [];
}

export function toolCallStarted(event: EventOf<"tool_started">, cwd: string): SessionUpdate {
  const diffs = toolDiffs(event.name, event.args, cwd);
  return {
    sessionUpdate: "tool_call",
    toolCallId: event.callId,
    title: toolTitle(event.name, event.args),
    name: event.name,
    kind: toolKind(event.name),
    status: "pending",
    locations: toolLocations(event.name, event.args, cwd),
    ...(diffs.length ? { content: diffs } : {}),
    rawInput: event.args,
  };
}

/** The result: for an edit that went through, the diff stays first, then what the tool said. */
export function toolCallFinished(event: EventOf<"tool_finished">, input: unknown, cwd: string): SessionUpdate {
  const diffs = event.isError ? [] : toolDiffs(event.name, input, cwd);
  return {
    sessionUpdate: "tool_call_update",
    toolCallId: event.callId,
    status: event.isError ? "failed" : "completed",
    content: [...diffs, ...textContent(event.content)],
    rawOutput: { isError: event.isError, ...(event.details ? { details: event.details } : {}) },
  };
}

/**
 * Maps a session's events to updates, remembering each call's arguments so a result can show
 * its diff. `live` streams deltas; a replay of the stored log (no deltas there) takes the
 * messages whole instead.
 */
export class UpdateMapper {
  private readonly inputs = new Map<string, unknown>();

  constructor(
    private readonly cwd: () => string,
    private readonly mode: "live" | "replay",
  ) {}

  map(event: AgentEvent): SessionUpdate[] {
    if (event.agentId !== "main") return [];
    switch (event.type) {
      case "text_delta":
        return this.mode === "live" ? [{ sessionUpdate: "agent_message_chunk", content: { type: "text", text: event.delta } }] : [];
      case "thinking_delta":
        return this.mode === "live" ? [{ sessionUpdate: "agent_thought_chunk", content: { type: "text", text: event.delta } }] : [];
      case "user_message":
        // Live, the client has the prompt it sent; a replay tells the whole conversation (the user's words: not nudges or hook context).
        return this.mode === "replay" && event.kind !== "continue" && event.kind !== "hook" ? [{ sessionUpdate: "user_message_chunk", content: { type: "text", text: event.text } }] : [];
      case "assistant_message":
        if (this.mode === "live") return [];
        return event.message.content.flatMap((part): SessionUpdate[] => {
          if (part.type === "text" && part.text) return [{ sessionUpdate: "agent_message_chunk", content: { type: "text", text: part.text } }];
          if (part.type === "thinking" && part.text) return [{ sessionUpdate: "agent_thought_chunk", content: { type: "text", text: part.text } }];
          return [];
        });
      case "tool_started":
        this.inputs.set(event.callId, event.args);
        return [toolCallStarted(event, this.cwd())];
      case "permission_decision":
        return event.decision === "allow" ? [{ sessionUpdate: "tool_call_update", toolCallId: event.callId, status: "in_progress" }] : [];
      case "tool_finished": {
        const input = this.inputs.get(event.callId);
        this.inputs.delete(event.callId);
        return [toolCallFinished(event, input, this.cwd())];
      }
      default:
        return [];
    }
  }
}

/** The text of a prompt: text blocks, embedded resources (with their URI), links to files. */
export function promptText(blocks: ReadonlyArray<{ type: string; [key: string]: unknown }>): string {
  const parts: string[] = [];
  for (const block of blocks) {
    if (block.type === "text" && typeof block.text === "string") parts.push(block.text);
    else if (block.type === "resource_link" && typeof block.uri === "string") parts.push(`@${fileOf(block.uri)}`);
    else if (block.type === "resource") {
      const resource = block.resource as { uri?: string; text?: string } | undefined;
      if (resource && typeof resource.text === "string") {
        parts.push(`<file uri="${resource.uri ?? ""}">\n${resource.text}\n</file>`);
      }
    }
  }
  return parts.join("\n\n");
}

const fileOf = (uri: string): string => (uri.startsWith("file://") ? decodeURIComponent(uri.slice("file://".length)) : uri);
