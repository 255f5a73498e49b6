import { afterEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import type { AgentEvent } from "../../src/agent/events.js";
import { durable, follow, TOKEN, type TestServer, testServer } from "./server-helpers.js";

let t: TestServer | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

function open(url: string, headers: Record<string, string> = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once("open", () => resolve(ws));
    ws.once("unexpected-response", (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once("error", reject);
  });
}

describe("colleague serve over one WebSocket", () => {
  it("refuses an upgrade without the token", async () => {
    t = await testServer();
    const ws = t.server.url.replace(/^http/, "ws");
    await expect(open(`${ws}/ws`)).rejects.toThrow("HTTP 401");
    await expect(open(`${ws}/ws?token=wrong-token-xxxxxxxxx`)).rejects.toThrow("HTTP 401");
  });

  it("streams a session's events and takes steering commands on the same socket", async () => {
    t = await testServer();
    const cwd = t.workspace();
    const model = t.scripted({
      steps: [
        { delayMs: 1500, text: "Working.", toolCalls: [{ name: "list", args: {} }] },
        { expect: { lastMessageIncludes: ["use port 8080"] }, text: "Using port 8080." },
      ],
    });
    const session = await t.client.createSession({ task: "set up", cwd, model });
    const ws = await open(`${t.server.url.replace(/^http/, "ws")}/ws?token=${TOKEN}`);
    const frames: { type: string; id?: string; event?: AgentEvent; error?: { code: string } }[] = [];
    const finished = new Promise<void>((resolve) =>
      ws.on("message", (data) => {
        const frame = JSON.parse(String(data));
        frames.push(frame);
        if (frame.type === "event" && frame.event.type === "session_finished") resolve();
      }),
    );
    ws.send(JSON.stringify({ type: "subscribe", sessionId: session.id }));
    ws.send(JSON.stringify({ type: "steer", id: "s1", sessionId: session.id, text: "use port 8080" }));
    ws.send(JSON.stringify({ type: "steer", id: "s2", sessionId: "nosuch", text: "hello" }));
    ws.send("{not json");
    await finished;
    ws.close();
    expect(frames.find((f) => f.id === "s1")).toMatchObject({ type: "result", ok: true });
    expect(frames.find((f) => f.id === "s2")).toMatchObject({ type: "error", error: { code: "not_found" } });
    expect(frames.some((f) => f.type === "error" && f.id === undefined && f.error?.code === "bad_request")).toBe(true);
    const overSocket = frames.filter((f) => f.type === "event").map((f) => f.event!);
    expect(overSocket.at(-1)).toMatchObject({ type: "session_finished", status: "completed", answer: "Using port 8080." });
    // The same durable events as an SSE subscriber sees.
    expect(durable(overSocket)).toEqual(durable(await follow(t.client, session.id)));
  });
});
