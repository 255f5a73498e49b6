import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { AgentEvent } from "../../src/agent/events.js";
import { Host, type SessionRequest } from "../../src/host/host.js";
import { createScriptedModel } from "../../src/model/scripted.js";
import type { ScenarioStep } from "../../src/model/scenario.js";
import { isPartNotice, ofType, tempRepo } from "../helpers.js";

export const FAKE_SERVER_SCRIPT = path.join(import.meta.dirname, "../fakes/mcp-server.mjs");

/** A stdio entry that runs the fake MCP server (test/fakes/mcp-server.mjs). */
export function fakeStdioServer(env: Record<string, string> = {}, extra: Record<string, unknown> = {}) {
  return { command: process.execPath, args: [FAKE_SERVER_SCRIPT], env, ...extra };
}

/** A colleague home whose user config is `config`. */
export function homeWith(config: Record<string, unknown>): string {
  const home = mkdtempSync(path.join(os.tmpdir(), "colleague-mcp-home-"));
  writeFileSync(path.join(home, "config.json"), JSON.stringify(config));
  return home;
}

export interface McpRun {
  host: Host;
  events: AgentEvent[];
  notices: string[];
  result: Awaited<ReturnType<Host["startSession"]>>;
}

/** Runs a scripted session through a host whose user config is `config`; the caller closes the host. */
export async function runWithConfig(config: Record<string, unknown>, steps: ScenarioStep[], request: Partial<SessionRequest> = {}): Promise<McpRun> {
  const notices: string[] = [];
  // The sandbox-off notice of every such run is not what these tests look at.
  const host = new Host({ home: homeWith(config), store: ":memory:", onNotice: (l) => !l.includes("WITHOUT the sandbox") && !isPartNotice(l) && notices.push(l) });
  const events: AgentEvent[] = [];
  const result = await host.startSession(
    { task: "use the tools", cwd: request.cwd ?? tempRepo(), model: createScriptedModel({ steps }), sandbox: "off", permissionMode: "auto-edit", ...request },
    { onEvent: (e) => events.push(e) },
  );
  return { host, events, notices, result };
}

/** The text of each finished tool call, in order. */
export function toolTexts(events: AgentEvent[]): Array<{ name: string; text: string; isError: boolean }> {
  return ofType(events, "tool_finished").map((e) => ({
    name: e.name,
    text: e.content.map((p) => (p.type === "text" ? p.text : `[${p.type}]`)).join(""),
    isError: e.isError,
  }));
}

/** Whether the process runs (a zombie waiting for whoever adopted it to reap it does not). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.[0] !== "Z";
  } catch {
    return true;
  }
}
