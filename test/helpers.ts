import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { AgentEvent } from "../src/agent/events.js";
import { createScriptedModel } from "../src/model/scripted.js";
import type { Scenario } from "../src/model/scenario.js";
import { type SessionOptions, startSession } from "../src/session/session.js";
import { SqliteStore } from "../src/store/sqlite.js";

/** A temp folder holding the given files (path → content). */
export function tempRepo(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "colleague-test-"));
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), content);
  }
  return dir;
}

/** Runs a scripted scenario as a session in an in-memory store; returns the result and every event. */
export async function runScenario(
  scenario: Scenario,
  options: Partial<SessionOptions> & { task?: string; cwd?: string } = {},
) {
  const store = options.store ?? new SqliteStore(":memory:");
  const events: AgentEvent[] = [];
  const result = await startSession(options.task ?? "do the task", {
    store,
    model: options.model ?? createScriptedModel(scenario),
    cwd: options.cwd ?? tempRepo(),
    onEvent: (e) => events.push(e),
    ...options,
  });
  return { result, events, store };
}

export const ofType = <T extends AgentEvent["type"]>(events: AgentEvent[], type: T) =>
  events.filter((e): e is Extract<AgentEvent, { type: T }> => e.type === type);

/**
 * A one-line notice that this machine lacks an optional part (Chromium; Xvfb, xdotool and
 * ImageMagick; LibreOffice and pdftoppm). Which of them appear depends on the machine, not on the
 * code under test, so tests that expect a quiet run read stderr and notices without them.
 */
const PART_NOTICE = /^(colleague: )?(the desktop \(computer tool\) is off|the browser tools are off|office_render is not offered): /;
export const isPartNotice = (line: string): boolean => PART_NOTICE.test(line);

/** Stderr without the lines that are machine-part notices. */
export function withoutPartNotices(stderr: string): string {
  return stderr
    .split("\n")
    .filter((line) => !isPartNotice(line))
    .join("\n");
}
