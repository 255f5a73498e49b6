import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { AgentEvent } from "../../src/agent/events.js";
import { ColleagueClient } from "../../src/protocol/client.js";
import { type RunningServer, startServer } from "../../src/server/serve.js";
import { cleanEnv } from "../cli/cli-helpers.js";
import { tempRepo } from "../helpers.js";

export const TOKEN = "test-token-0123456789";

export interface TestServer {
  server: RunningServer;
  client: ColleagueClient;
  root: string;
  /** A workspace under the server's root with these files. */
  workspace(files?: Record<string, string>): string;
  /** A scripted model id for this scenario (written under the root). */
  scripted(scenario: unknown): string;
  close(): Promise<void>;
}

export async function testServer(options: { approvalTimeoutMs?: number; maxBodyBytes?: number; webDir?: string | false; env?: Record<string, string> } = {}): Promise<TestServer> {
  const root = tempRepo();
  const { env: extraEnv, ...rest } = options;
  const env = { ...cleanEnv(), ...extraEnv };
  delete env.COLLEAGUE_PERMISSION_MODE; // each test says which mode it wants
  const server = await startServer({
    token: TOKEN,
    env,
    store: path.join(root, "sessions.db"),
    roots: [root],
    ...rest,
  });
  const client = new ColleagueClient({ url: server.url, token: TOKEN });
  let n = 0;
  return {
    server,
    client,
    root,
    workspace(files = {}) {
      const dir = mkdtempSync(path.join(root, "ws-"));
      for (const [file, content] of Object.entries(files)) writeFileSync(path.join(dir, file), content);
      return dir;
    },
    scripted(scenario) {
      const file = path.join(root, `scenario-${++n}.json`);
      writeFileSync(file, JSON.stringify(scenario));
      return `scripted:${file}`;
    },
    close: () => server.close(),
  };
}

/** Collects a session's events through the client until it finishes. */
export async function follow(client: ColleagueClient, id: string, onEvent?: (e: AgentEvent) => void, since = 0): Promise<AgentEvent[]> {
  const events: AgentEvent[] = [];
  for await (const event of client.events(id, { since })) {
    events.push(event);
    onEvent?.(event);
  }
  return events;
}

export const durable = (events: AgentEvent[]) => events.filter((e) => !["text_delta", "thinking_delta", "tool_call_delta", "tool_output"].includes(e.type));

export { os };
