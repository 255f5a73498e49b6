import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { AgentEvent } from "../../src/agent/events.js";
import { cleanEnv, jsonEvents, runCli } from "../cli/cli-helpers.js";
import { startCompatibleFake } from "../fakes/compatible.js";
import type { FakeServer, FakeTurn } from "../fakes/http.js";

/**
 * Provider faults through the whole stack (CLI → host → session → loop → adapter): the
 * retried answer is the one the session keeps, once, and limits come from the user's config.
 */

let servers: FakeServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

const ANSWER = "Hello! The folder is empty, so there is nothing to report yet.";

async function runAgainst(turns: FakeTurn[], userConfig: Record<string, unknown> = {}) {
  const server = await startCompatibleFake(turns);
  servers.push(server);
  const env = cleanEnv();
  writeFileSync(path.join(env.COLLEAGUE_HOME!, "config.json"), JSON.stringify(userConfig));
  const cwd = mkdtempSync(path.join(os.tmpdir(), "colleague-faults-"));
  const out = await runCli(["run", "status?", "--model", `compatible:qwen3@${server.url}/v1`, "--json", "--cwd", cwd], { env });
  return { out, events: out.stdout ? jsonEvents(out.stdout) : [], server };
}

const ofType = <T extends AgentEvent["type"]>(events: AgentEvent[], type: T) =>
  events.filter((e): e is Extract<AgentEvent, { type: T }> => e.type === type);

function keptText(events: AgentEvent[]): string[] {
  return ofType(events, "assistant_message").map((e) =>
    e.message.content.flatMap((p) => (p.type === "text" ? [p.text] : [])).join(""),
  );
}

describe("provider faults in a session", () => {
  it("a malformed frame is retried and the session keeps the answer once", async () => {
    const { out, events, server } = await runAgainst([{ kind: "reply", text: ANSWER, malformedAt: 3 }, { kind: "reply", text: ANSWER }]);
    expect(out.code).toBe(0);
    expect(ofType(events, "model_retry")).toEqual([expect.objectContaining({ attempt: 1, error: expect.objectContaining({ kind: "malformed" }) })]);
    expect(keptText(events)).toEqual([ANSWER]);
    expect(events.at(-1)).toMatchObject({ type: "session_finished", status: "completed" });
    expect(server.requests).toHaveLength(2);
  });

  it("a stream that stalls after its headers is retried within the configured idle limit", async () => {
    const { out, events } = await runAgainst([{ kind: "reply", text: ANSWER, stallAfter: 0 }, { kind: "reply", text: ANSWER }], {
      providers: { compatible: { idleTimeoutMs: 300 } },
    });
    expect(out.code).toBe(0);
    const [retry] = ofType(events, "model_retry");
    expect(retry?.error.message).toContain("stalled: no data for 300 ms");
    expect(keptText(events)).toEqual([ANSWER]);
  });
});
