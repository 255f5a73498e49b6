import { afterEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import type { AgentEvent, EventOf } from "../../src/agent/events.js";
import { follow, TOKEN, type TestServer, testServer } from "./server-helpers.js";

let t: TestServer | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const of = <T extends AgentEvent["type"]>(events: AgentEvent[], type: T) => events.filter((e): e is EventOf<T> => e.type === type);

describe("POST /sessions/:id/model", () => {
  it("switches a running session's model at the next step; the event is in the stream", async () => {
    t = await testServer();
    const cwd = t.workspace();
    const a = t.scripted({ steps: [{ delayMs: 1500, thinking: "look first", toolCalls: [{ name: "list", args: {} }] }, { text: "A answered" }] });
    const b = t.scripted({ steps: [{ text: "unused" }, { text: "B answered" }] });
    const session = await t.client.createSession({ task: "look around", cwd, model: a });
    for await (const event of t.client.events(session.id, { until: (e) => e.type === "step_started" })) void event;
    expect(await t.client.setModel(session.id, b)).toEqual({ running: true });
    const events = await follow(t.client, session.id);
    expect(of(events, "model_changed")).toMatchObject([{ from: a, to: b }]);
    expect(events.at(-1)).toMatchObject({ type: "session_finished", status: "completed", answer: "B answered" });
    await t.server.service.settled(session.id);
    expect((await t.client.getSession(session.id)).session.model).toBe(b);
  });

  it("an id the host cannot run is a one-line 400 and changes nothing", async () => {
    t = await testServer();
    const a = t.scripted({ steps: [{ text: "done" }] });
    const session = await t.client.createSession({ task: "hi", cwd: t.workspace(), model: a });
    await follow(t.client, session.id);
    await t.server.service.settled(session.id);
    const post = (model: unknown) =>
      fetch(`${t!.server.url}/sessions/${session.id}/model`, {
        method: "POST",
        headers: { authorization: "Bearer test-token-0123456789", "content-type": "application/json" },
        body: JSON.stringify({ model }),
      });
    for (const bad of ["nope:model", 42]) {
      const response = await post(bad);
      expect(response.status).toBe(400);
      const body = (await response.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe("bad_request");
      expect(body.error.message).not.toContain("\n");
    }
    await expect(t.client.setModel(session.id, "nope:model")).rejects.toMatchObject({ status: 400 });
    expect((await t.client.getSession(session.id)).session.model).toBe(a);
    expect(of(t.server.service.store.events(session.id), "model_changed")).toEqual([]);
  });

  it("a stopped session continues with the chosen model at its next message", async () => {
    t = await testServer();
    const a = t.scripted({ steps: [{ text: "A's answer" }] });
    const b = t.scripted({ steps: [{ text: "unused" }, { expect: { lastMessageIncludes: ["more"] }, text: "B's answer" }] });
    const session = await t.client.createSession({ task: "hi", cwd: t.workspace(), model: a });
    const first = await follow(t.client, session.id);
    await t.server.service.settled(session.id);
    expect(await t.client.setModel(session.id, b)).toEqual({ running: false });
    await t.client.send(session.id, { text: "more" });
    const events = await follow(t.client, session.id, undefined, first.at(-1)!.seq);
    expect(of(events, "model_changed")).toMatchObject([{ from: a, to: b }]);
    expect(events.at(-1)).toMatchObject({ type: "session_finished", status: "completed", answer: "B's answer" });
  });

  it("the websocket command `model` switches too; a bad id answers an error frame", async () => {
    t = await testServer();
    const a = t.scripted({ steps: [{ delayMs: 1500, toolCalls: [{ name: "list", args: {} }] }, { text: "A answered" }] });
    const b = t.scripted({ steps: [{ text: "unused" }, { text: "B answered" }] });
    const session = await t.client.createSession({ task: "look around", cwd: t.workspace(), model: a });
    const ws = new WebSocket(`${t.server.url.replace(/^http/, "ws")}/ws?token=${TOKEN}`);
    await new Promise((resolve, reject) => ws.once("open", resolve).once("error", reject));
    const frames: { type: string; id?: string; error?: { code: string } }[] = [];
    const answered = new Promise<void>((resolve) =>
      ws.on("message", (data) => {
        frames.push(JSON.parse(String(data)));
        if (frames.filter((f) => f.id).length === 2) resolve();
      }),
    );
    ws.send(JSON.stringify({ type: "model", id: "bad", sessionId: session.id, model: "nope:model" }));
    ws.send(JSON.stringify({ type: "model", id: "good", sessionId: session.id, model: b }));
    await answered;
    ws.close();
    expect(frames.find((f) => f.id === "bad")).toMatchObject({ type: "error", error: { code: "bad_request" } });
    expect(frames.find((f) => f.id === "good")).toMatchObject({ type: "result", ok: true });
    const events = await follow(t.client, session.id);
    expect(of(events, "model_changed")).toMatchObject([{ from: a, to: b }]);
    expect(events.at(-1)).toMatchObject({ type: "session_finished", answer: "B answered" });
  });

  it("GET /models lists the catalog for a client to offer", async () => {
    t = await testServer();
    const models = await t.client.models();
    expect(models).toContainEqual(expect.objectContaining({ id: "anthropic:claude-opus-4-6", source: "catalog" }));
    expect(models.every((m) => m.contextWindow > 0)).toBe(true);
  });
});
