import { chmodSync, mkdtempSync, realpathSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { AgentEvent } from "../../src/agent/events.js";
import { trustProject } from "../../src/config/trust.js";
import { Host, type HostOptions, type RunHandles, type SessionRequest } from "../../src/host/host.js";
import type { Message, Model } from "../../src/model/types.js";
import { createScriptedModel } from "../../src/model/scripted.js";
import type { ScenarioStep } from "../../src/model/scenario.js";
import { tempRepo } from "../helpers.js";

export const newHome = () => realpathSync(mkdtempSync(path.join(os.tmpdir(), "colleague-hooks-home-")));

/** A project (a git root) with the given files; scripts under .claude/hooks/ are made executable. */
export function project(files: Record<string, string>): string {
  const root = realpathSync(tempRepo({ ".git/HEAD": "", ...files }));
  for (const file of Object.keys(files)) if (file.startsWith(".claude/hooks/")) chmodSync(path.join(root, file), 0o755);
  return root;
}

/** `.claude/settings.json` with one event's hooks, exactly as a Claude Code user writes it. */
export function claudeSettings(hooks: Record<string, Array<{ matcher?: string; hooks: Array<{ type: "command"; command: string; timeout?: number }> }>>): string {
  return JSON.stringify({ permissions: { allow: [] }, hooks }, null, 2);
}

/** The scripted model, remembering every request's messages (what the model was shown). */
export function recordingModel(steps: ScenarioStep[]): { model: Model; requests: Message[][] } {
  const scripted = createScriptedModel({ steps });
  const requests: Message[][] = [];
  const model: Model = {
    ...scripted,
    stream(request) {
      requests.push(structuredClone(request.messages));
      return scripted.stream(request);
    },
  };
  return { model, requests };
}

/** All text the model was shown in one request. */
export const requestText = (messages: Message[]): string =>
  messages
    .flatMap((m): Array<{ type: string; text?: string }> => m.content)
    .map((p) => p.text ?? "")
    .join("\n");

export interface HookRun {
  /** The session's stored log (hook events recorded after the run ended, SessionEnd's, included). */
  events: AgentEvent[];
  /** What the face heard while the session ran. */
  live: AgentEvent[];
  result: Awaited<ReturnType<Host["startSession"]>>;
  notices: string[];
}

/** Runs a session through the host (so the guard composes hooks as every face gets them); the project is trusted unless told. */
export async function runWithHooks(
  root: string,
  request: Omit<SessionRequest, "cwd" | "task"> & { task?: string },
  options: { trust?: boolean; home?: string; host?: Partial<HostOptions>; handles?: Omit<RunHandles, "onEvent"> } = {},
): Promise<HookRun> {
  const home = options.home ?? newHome();
  if (options.trust !== false) trustProject(home, root);
  const notices: string[] = [];
  const host = new Host({ home, store: ":memory:", env: { ...process.env, COLLEAGUE_HOME: home }, onNotice: (n) => notices.push(n), ...options.host });
  const live: AgentEvent[] = [];
  try {
    const result = await host.startSession(
      { task: "do the task", sandbox: "off", permissionMode: "full-auto", ...request, cwd: root },
      { ...options.handles, onEvent: (e) => live.push(e) },
    );
    return { events: host.store.events(result.sessionId), live, result, notices };
  } finally {
    host.close();
  }
}

export const hookEvents = (events: AgentEvent[]) => events.filter((e): e is Extract<AgentEvent, { type: "hook" }> => e.type === "hook");

export function writeScript(dir: string, name: string, body: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, body, { mode: 0o755 });
  return file;
}
