import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { AgentEvent, EventOf } from "../../src/agent/events.js";
import { ClientError } from "../../src/protocol/client.js";
import { durable, follow, type TestServer, testServer } from "./server-helpers.js";

let t: TestServer | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const of = <T extends AgentEvent["type"]>(events: AgentEvent[], type: T) => events.filter((e): e is EventOf<T> => e.type === type);
const call = (name: string, args: Record<string, unknown>) => ({ name, args });

describe("colleague serve, through the typed client", () => {
  it("creates a session, streams it to the end, and lists it", async () => {
    t = await testServer();
    const cwd = t.workspace({ "a.txt": "hello" });
    const model = t.scripted({ steps: [{ text: "Reading.", toolCalls: [call("read_file", { path: "a.txt" })] }, { expect: { lastMessageIncludes: ["hello"] }, text: "It says hello." }] });
    const session = await t.client.createSession({ task: "read a.txt", cwd, model });
    expect(session).toMatchObject({ task: "read a.txt", cwd, live: true });
    const events = await follow(t.client, session.id);
    expect(of(events, "session_started")[0]).toMatchObject({ permissionMode: "ask", sandbox: expect.any(String) });
    expect(events.at(-1)).toMatchObject({ type: "session_finished", status: "completed", answer: "It says hello." });
    await t.server.service.settled(session.id);
    const listed = await t.client.listSessions();
    expect(listed.map((s) => [s.id, s.status, s.live])).toEqual([[session.id, "completed", false]]);
  });

  it("steers mid-run (the steer is in the next request), queues after the answer, and changes effort", async () => {
    t = await testServer();
    const cwd = t.workspace();
    const model = t.scripted({
      steps: [
        { delayMs: 1500, text: "Thinking about it.", toolCalls: [call("list", {})] },
        { expect: { lastMessageIncludes: ["use port 8080"] }, text: "Using port 8080." },
        { expect: { lastMessageIncludes: ["then update the changelog"] }, text: "Changelog updated." },
      ],
    });
    const session = await t.client.createSession({ task: "set up the server", cwd, model });
    await t.client.setEffort(session.id, "low");
    await t.client.steer(session.id, "use port 8080");
    await t.client.queue(session.id, "then update the changelog");
    const events = await follow(t.client, session.id);
    expect(events.at(-1)).toMatchObject({ type: "session_finished", status: "completed", answer: "Changelog updated." });
    expect(of(events, "user_message").map((e) => [e.kind, e.text])).toEqual([
      ["task", "set up the server"],
      ["steer", "use port 8080"],
      ["queue", "then update the changelog"],
    ]);
    expect(of(events, "effort_changed").map((e) => e.effort)).toEqual(["low"]);
  });

  it("interrupts a running turn; a message afterwards continues the same session", async () => {
    t = await testServer();
    const cwd = t.workspace();
    const model = t.scripted({ steps: [{ toolCalls: [call("shell", { command: "sleep 30" })] }, { expect: { lastMessageIncludes: ["go on"] }, text: "Went on." }] });
    const session = await t.client.createSession({ task: "wait", cwd, model, permissionMode: "full-auto" });
    for await (const event of t.client.events(session.id, { until: (e) => e.type === "tool_started" })) void event;
    await t.client.interrupt(session.id);
    const first = await follow(t.client, session.id);
    expect(first.at(-1)).toMatchObject({ type: "session_finished", status: "interrupted" });
    await t.server.service.settled(session.id);
    expect((await t.client.getSession(session.id)).session.status).toBe("interrupted");
    await t.client.send(session.id, { text: "go on" });
    const events = await follow(t.client, session.id, undefined, first.at(-1)!.seq);
    expect(events[0]).toMatchObject({ type: "session_resumed" });
    expect(events.at(-1)).toMatchObject({ type: "session_finished", status: "completed", answer: "Went on." });
  });

  it("asks a client to approve an edit (with its diff) and honours once; a denial's reason reaches the model", async () => {
    t = await testServer();
    const cwd = t.workspace({ "notes.md": "one\n" });
    const model = t.scripted({
      steps: [
        { toolCalls: [call("write_file", { path: "notes.md", content: "one\ntwo\n" })] },
        { expect: { toolResultsOk: true }, toolCalls: [call("shell", { command: "rm -rf build" })] },
        { expect: { lastMessageIncludes: ["keep the build folder"] }, text: "Left the build folder alone." },
      ],
    });
    const session = await t.client.createSession({ task: "edit notes", cwd, model });
    const seen: AgentEvent[] = [];
    const done = follow(t.client, session.id, async (event) => {
      seen.push(event);
      if (event.type !== "approval_requested") return;
      const [pending] = await t!.client.approvals(session.id);
      expect(pending?.callId).toBe(event.callId);
      if (event.name === "write_file") {
        expect(event.preview).toContain("+two");
        await t!.client.answer(session.id, event.callId, { answer: "once" });
      } else await t!.client.answer(session.id, event.callId, { answer: "deny", reason: "keep the build folder" });
    });
    const events = await done;
    expect(readFileSync(path.join(cwd, "notes.md"), "utf8")).toBe("one\ntwo\n");
    expect(of(events, "permission_decision").map((d) => [d.name, d.decision, d.answer])).toEqual([
      ["write_file", "allow", "once"],
      ["shell", "deny", "deny"],
    ]);
    const denied = of(events, "tool_finished").find((e) => e.name === "shell");
    expect(JSON.stringify(denied?.content)).toContain("keep the build folder");
    expect(events.at(-1)).toMatchObject({ type: "session_finished", status: "completed" });
  });

  it("denies an approval nobody answers within the configured time", async () => {
    t = await testServer({ approvalTimeoutMs: 300 });
    const cwd = t.workspace();
    const model = t.scripted({ steps: [{ toolCalls: [call("shell", { command: "touch made.txt" })] }, { expect: { lastMessageIncludes: ["nobody answered"] }, text: "Nobody answered." }] });
    const session = await t.client.createSession({ task: "make a file", cwd, model });
    const events = await follow(t.client, session.id);
    expect(existsSync(path.join(cwd, "made.txt"))).toBe(false);
    expect(of(events, "permission_decision")[0]).toMatchObject({ decision: "deny", via: "approval" });
    expect(events.at(-1)).toMatchObject({ type: "session_finished", status: "completed" });
  });

  it("forks a session from an event: the fork has the history up to there and continues on its own", async () => {
    t = await testServer();
    const cwd = t.workspace();
    const model = t.scripted({ steps: [{ text: "first answer" }, { expect: { lastMessageIncludes: ["second question"] }, text: "second answer" }] });
    const session = await t.client.createSession({ task: "first question", cwd, model });
    const events = await follow(t.client, session.id);
    const answer = of(events, "assistant_message")[0]!;
    const fork = await t.client.fork(session.id, answer.seq);
    expect(fork.id).not.toBe(session.id);
    expect(fork.status).toBe("interrupted");
    await t.client.send(fork.id, { text: "second question" });
    const forked = await follow(t.client, fork.id, undefined, answer.seq + 1);
    expect(forked.at(-1)).toMatchObject({ type: "session_finished", status: "completed", answer: "second answer" });
    // The original is untouched.
    expect(durable(await follow(t.client, session.id))).toEqual(durable(events));
  });

  it("a subscriber that reconnects with Last-Event-ID ends with the same events as one that stayed", async () => {
    t = await testServer();
    const cwd = t.workspace();
    const steps = Array.from({ length: 12 }, (_, i) => ({ delayMs: 40, text: `step ${i}`, toolCalls: [call("list", {})] }));
    const model = t.scripted({ steps: [...steps, { text: "all done" }] });
    const session = await t.client.createSession({ task: "many steps", cwd, model });
    const stayed = follow(t.client, session.id);
    // A client that drops twice mid-run and resumes from the last id it saw.
    const reconnected: AgentEvent[] = [];
    let last = 0;
    for (let drop = 0; drop < 2; drop++) {
      const controller = new AbortController();
      let count = 0;
      try {
        for await (const frame of t.client.stream(session.id, last, controller.signal)) {
          reconnected.push(frame.event);
          if (frame.id !== undefined) last = frame.id;
          if (++count === 15) controller.abort();
        }
      } catch {
        // aborted on purpose
      }
    }
    for await (const event of t.client.events(session.id, { since: last })) reconnected.push(event);
    const all = await stayed;
    expect(durable(reconnected).map((e) => e.seq)).toEqual(durable(all).map((e) => e.seq));
    expect(durable(reconnected)).toEqual(durable(all));
  });

  it("one failing session does not disturb another", async () => {
    t = await testServer();
    const cwd = t.workspace();
    const failing = await t.client.createSession({ task: "fail", cwd, model: t.scripted({ steps: [{ error: { status: 400, message: "bad request from the provider" } }] }) });
    const fine = await t.client.createSession({ task: "work", cwd, model: t.scripted({ steps: [{ text: "fine" }] }) });
    const [a, b] = await Promise.all([follow(t.client, failing.id), follow(t.client, fine.id)]);
    expect(a.at(-1)).toMatchObject({ type: "session_finished", status: "error" });
    expect(b.at(-1)).toMatchObject({ type: "session_finished", status: "completed", answer: "fine" });
  });
});

describe("colleague serve: bad input gets a JSON error and loses nothing", () => {
  it("401 without the token, 400 for malformed JSON and bad fields, 404 for unknown sessions, 403 outside the roots, 413 for big bodies", async () => {
    t = await testServer({ maxBodyBytes: 10_000 });
    const url = t.server.url;
    const post = (p: string, body: string, token = "test-token-0123456789") =>
      fetch(`${url}${p}`, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body });
    const expectError = async (response: Response, status: number, code: string) => {
      expect(response.status).toBe(status);
      const body = (await response.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe(code);
      expect(body.error.message.length).toBeGreaterThan(5);
      expect(body.error.message).not.toContain("\n");
    };
    await expectError(await fetch(`${url}/sessions`), 401, "unauthorized");
    await expectError(await post("/sessions", "{}", "wrong-token-xxxxxxxxx"), 401, "unauthorized");
    await expectError(await post("/sessions", "{not json"), 400, "bad_request");
    await expectError(await post("/sessions", JSON.stringify({ task: "x" })), 400, "bad_request");
    await expectError(await post("/sessions", JSON.stringify({ task: "x", cwd: "/", model: t.scripted({ steps: [{ text: "hi" }] }) })), 403, "forbidden");
    await expectError(await post("/sessions", JSON.stringify({ task: "x", cwd: t.workspace(), model: "nope:model" })), 400, "bad_request");
    await expectError(await post("/sessions", JSON.stringify({ task: "x".repeat(20_000), cwd: t.workspace() })), 413, "too_large");
    await expectError(await fetch(`${url}/sessions/nosuch`, { headers: { authorization: "Bearer test-token-0123456789" } }), 404, "not_found");
    await expectError(await post("/sessions/nosuch/messages", JSON.stringify({ text: "hi" })), 404, "not_found");
    await expect(t.client.answer("nosuch", "c1", { answer: "once" })).rejects.toBeInstanceOf(ClientError);
    // Still serving: a good session runs to its end.
    const ok = await t.client.createSession({ task: "hi", cwd: t.workspace(), model: t.scripted({ steps: [{ text: "still here" }] }) });
    expect((await follow(t.client, ok.id)).at(-1)).toMatchObject({ status: "completed", answer: "still here" });
    await expect(t.client.listSessions()).resolves.toHaveLength(1);
  });

  it("serves an OpenAPI 3.1 document generated from the protocol's schemas", async () => {
    t = await testServer();
    const doc = (await (await fetch(`${t.server.url}/openapi.json`, { headers: { authorization: "Bearer test-token-0123456789" } })).json()) as {
      openapi: string;
      paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { properties?: Record<string, unknown> } }> } }>>;
    };
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths)).toContain("/sessions/{id}/approvals/{callId}");
    expect(Object.keys(doc.paths["/sessions"]!.post!.requestBody!.content["application/json"]!.schema.properties ?? {})).toEqual(
      expect.arrayContaining(["task", "cwd", "model", "permissionMode"]),
    );
  });
});
