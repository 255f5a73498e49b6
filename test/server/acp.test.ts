import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { Readable, Writable } from "node:stream";
import {
  type ClientContext,
  client,
  methods,
  ndJsonStream,
  PROTOCOL_VERSION,
  type RequestPermissionRequest,
  type RequestPermissionResponse,
  type SessionNotification,
  type SessionUpdate,
} from "@agentclientprotocol/sdk";
import { afterEach, describe, expect, it } from "vitest";
import { BIN, cleanEnv, scenarioFile } from "../cli/cli-helpers.js";
import { tempRepo } from "../helpers.js";

/**
 * `colleague acp` driven the way an editor drives it: the SDK's client side, connected to the
 * built CLI over its stdio, with a scripted model.
 */

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill("SIGKILL");
});

type Answer = (request: RequestPermissionRequest) => RequestPermissionResponse["outcome"];

interface Editor {
  updates: SessionNotification[];
  permissions: RequestPermissionRequest[];
  stderr: () => string;
  run<T>(op: (ctx: ClientContext) => Promise<T>): Promise<T>;
  /** Resolves once an update matching `test` has arrived. */
  waitFor(test: (update: SessionUpdate) => boolean): Promise<SessionUpdate>;
}

function editor(args: string[], options: { env: NodeJS.ProcessEnv; cwd: string; answer?: Answer }): Editor {
  const child = spawn(process.execPath, [BIN, "acp", ...args], { env: options.env, cwd: options.cwd, stdio: ["pipe", "pipe", "pipe"] });
  children.push(child);
  let stderr = "";
  child.stderr!.on("data", (d: Buffer) => (stderr += d));
  const updates: SessionNotification[] = [];
  const permissions: RequestPermissionRequest[] = [];
  const waiters: Array<{ test: (u: SessionUpdate) => boolean; resolve: (u: SessionUpdate) => void }> = [];
  const app = client({ name: "test-editor" })
    .onNotification(methods.client.session.update, ({ params }) => {
      updates.push(params);
      for (const w of [...waiters]) {
        if (w.test(params.update)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(params.update);
        }
      }
    })
    .onRequest(methods.client.session.requestPermission, ({ params }) => {
      permissions.push(params);
      return { outcome: options.answer ? options.answer(params) : { outcome: "cancelled" } };
    });
  const stream = ndJsonStream(Writable.toWeb(child.stdin!) as WritableStream<Uint8Array>, Readable.toWeb(child.stdout!) as ReadableStream<Uint8Array>);
  return {
    updates,
    permissions,
    stderr: () => stderr,
    run: (op) =>
      app.connectWith(stream, async (ctx) => {
        const init = await ctx.request(methods.agent.initialize, { protocolVersion: PROTOCOL_VERSION, clientCapabilities: {} });
        expect(init.protocolVersion).toBe(PROTOCOL_VERSION);
        expect(init.agentCapabilities?.loadSession).toBe(true);
        expect(init.authMethods).toEqual([]);
        return op(ctx);
      }),
    waitFor: (test) => {
      const seen = updates.find((n) => test(n.update));
      if (seen) return Promise.resolve(seen.update);
      return new Promise((resolve) => waiters.push({ test, resolve }));
    },
  };
}

const text = (sessionUpdate: string, updates: SessionNotification[]) =>
  updates
    .map((n) => n.update)
    .filter((u) => u.sessionUpdate === sessionUpdate)
    .map((u) => {
      const content = "content" in u && u.content && !Array.isArray(u.content) ? u.content : undefined;
      return content?.type === "text" ? content.text : "";
    })
    .join("");

const ofKind = <K extends SessionUpdate["sessionUpdate"]>(kind: K, updates: SessionNotification[]) =>
  updates.map((n) => n.update).filter((u): u is Extract<SessionUpdate, { sessionUpdate: K }> => u.sessionUpdate === kind);

describe("colleague acp", () => {
  it("runs a prompt to completion with streamed chunks, tool calls with diffs and locations, a follow-up, and reloads the session", async () => {
    const ws = tempRepo({ "a.txt": "hello world\n" });
    const env = cleanEnv();
    const scenario = scenarioFile({
      steps: [
        {
          thinking: "The greeting should change.",
          text: "Editing a.txt.",
          toolCalls: [{ id: "edit1", name: "edit_file", args: { path: "a.txt", old_string: "hello", new_string: "goodbye" } }],
        },
        { text: "Done: a.txt now says goodbye." },
        { text: "Still goodbye." },
      ],
    });
    const acp = editor(["--model", `scripted:${scenario}`, "--permission-mode", "full-auto"], { env, cwd: ws });
    const sessionId = await acp.run(async (ctx) => {
      const session = await ctx.request(methods.agent.session.new, { cwd: ws, mcpServers: [] });
      expect(session.modes?.currentModeId).toBe("full-auto");
      expect(session.modes?.availableModes.map((m) => m.id)).toEqual(["read-only", "ask", "auto-edit", "full-auto"]);
      expect(session.configOptions?.[0]).toMatchObject({ id: "model", currentValue: `scripted:${scenario}` });
      const result = await ctx.request(methods.agent.session.prompt, { sessionId: session.sessionId, prompt: [{ type: "text", text: "say goodbye" }] });
      expect(result.stopReason).toBe("end_turn");
      const second = await ctx.request(methods.agent.session.prompt, { sessionId: session.sessionId, prompt: [{ type: "text", text: "and now?" }] });
      expect(second.stopReason).toBe("end_turn");
      return session.sessionId;
    });
    expect(readFileSync(path.join(ws, "a.txt"), "utf8")).toBe("goodbye world\n");
    expect(acp.updates.every((n) => n.sessionId === sessionId)).toBe(true);
    expect(ofKind("available_commands_update", acp.updates)[0]?.availableCommands.map((c) => c.name)).toContain("compact");
    expect(text("agent_thought_chunk", acp.updates)).toContain("The greeting should change.");
    expect(text("agent_message_chunk", acp.updates)).toBe("Editing a.txt.Done: a.txt now says goodbye.Still goodbye.");

    const diff = { type: "diff", path: path.join(ws, "a.txt"), oldText: "hello", newText: "goodbye" };
    const call = ofKind("tool_call", acp.updates)[0]!;
    expect(call).toMatchObject({ toolCallId: "edit1", kind: "edit", title: "Edit a.txt", status: "pending", locations: [{ path: path.join(ws, "a.txt") }] });
    expect(call.content).toEqual([diff]);
    const finished = ofKind("tool_call_update", acp.updates).filter((u) => u.status === "completed");
    expect(finished).toHaveLength(1);
    expect(finished[0]!.content?.[0]).toEqual(diff);
    expect(JSON.stringify(finished[0]!.content?.[1])).toContain("Edited a.txt");

    // A new editor process loads the stored session: the conversation comes back as updates.
    const again = editor(["--model", `scripted:${scenario}`], { env, cwd: ws });
    await again.run(async (ctx) => {
      const loaded = await ctx.request(methods.agent.session.load, { sessionId, cwd: ws, mcpServers: [] });
      expect(loaded?.modes?.currentModeId).toBe("full-auto");
    });
    expect(text("user_message_chunk", again.updates)).toBe("say goodbyeand now?");
    expect(text("agent_message_chunk", again.updates)).toBe("Editing a.txt.Done: a.txt now says goodbye.Still goodbye.");
    expect(ofKind("tool_call", again.updates)[0]?.content).toEqual([diff]);
    expect(ofKind("tool_call_update", again.updates).some((u) => u.status === "completed")).toBe(true);
  });

  it("asks the editor for permission in the mode set by session/set_mode: allow once runs the edit, reject keeps the file and tells the model", async () => {
    const ws = tempRepo({ "a.txt": "one\n", "b.txt": "two\n" });
    const env = cleanEnv();
    const scenario = scenarioFile({
      steps: [
        { toolCalls: [{ id: "ea", name: "edit_file", args: { path: "a.txt", old_string: "one", new_string: "ONE" } }] },
        { toolCalls: [{ id: "eb", name: "edit_file", args: { path: "b.txt", old_string: "two", new_string: "TWO" } }] },
        { text: "a changed, b refused.", expect: { toolResultsOk: false } },
      ],
    });
    const acp = editor(["--model", `scripted:${scenario}`, "--permission-mode", "full-auto"], {
      env,
      cwd: ws,
      answer: (request) => {
        const kinds = request.options.map((o) => o.kind);
        expect(kinds).toEqual(expect.arrayContaining(["allow_once", "reject_once"]));
        const pick = request.toolCall.toolCallId === "ea" ? "allow_once" : "reject_once";
        return { outcome: "selected", optionId: request.options.find((o) => o.kind === pick)!.optionId };
      },
    });
    await acp.run(async (ctx) => {
      const session = await ctx.request(methods.agent.session.new, { cwd: ws, mcpServers: [] });
      expect(session.modes?.currentModeId).toBe("full-auto");
      // The editor's mode picker: the next turn runs in "ask".
      await ctx.request(methods.agent.session.setMode, { sessionId: session.sessionId, modeId: "ask" });
      await acp.waitFor((u) => u.sessionUpdate === "current_mode_update" && u.currentModeId === "ask");
      const result = await ctx.request(methods.agent.session.prompt, { sessionId: session.sessionId, prompt: [{ type: "text", text: "shout" }] });
      expect(result.stopReason).toBe("end_turn");
    });
    expect(acp.permissions.map((p) => p.toolCall.toolCallId)).toEqual(["ea", "eb"]);
    expect(acp.permissions[0]!.toolCall.kind).toBe("edit");
    expect(readFileSync(path.join(ws, "a.txt"), "utf8")).toBe("ONE\n");
    expect(readFileSync(path.join(ws, "b.txt"), "utf8")).toBe("two\n");
    const ends = ofKind("tool_call_update", acp.updates).filter((u) => u.status === "completed" || u.status === "failed");
    expect(ends.map((u) => [u.toolCallId, u.status])).toEqual([
      ["ea", "completed"],
      ["eb", "failed"],
    ]);
    expect(text("agent_message_chunk", acp.updates)).toBe("a changed, b refused.");
  });

  it("cancels a running turn: the prompt ends with stopReason cancelled, and the next prompt continues the session", async () => {
    const ws = tempRepo();
    const env = cleanEnv();
    const scenario = scenarioFile({
      steps: [
        { text: "Waiting.", toolCalls: [{ id: "slow", name: "shell", args: { command: "sleep 60" } }] },
        { text: "Back after the cancel." },
      ],
    });
    const acp = editor(["--model", `scripted:${scenario}`, "--permission-mode", "full-auto", "--sandbox", "off"], { env, cwd: ws });
    await acp.run(async (ctx) => {
      const session = await ctx.request(methods.agent.session.new, { cwd: ws, mcpServers: [] });
      const running = ctx.request(methods.agent.session.prompt, { sessionId: session.sessionId, prompt: [{ type: "text", text: "wait" }] });
      const call = await acp.waitFor((u) => u.sessionUpdate === "tool_call" && u.toolCallId === "slow");
      expect(call).toMatchObject({ kind: "execute", title: "Run sleep 60" });
      await ctx.notify(methods.agent.session.cancel, { sessionId: session.sessionId });
      expect((await running).stopReason).toBe("cancelled");
      const next = await ctx.request(methods.agent.session.prompt, { sessionId: session.sessionId, prompt: [{ type: "text", text: "go on" }] });
      expect(next.stopReason).toBe("end_turn");
    });
    expect(text("agent_message_chunk", acp.updates)).toContain("Back after the cancel.");
  });

  it("writes nothing but protocol messages on stdout", async () => {
    const ws = tempRepo();
    const env = cleanEnv();
    const child = spawn(process.execPath, [BIN, "acp", "--model", "scripted:/nonexistent.json"], { env, cwd: ws, stdio: ["pipe", "pipe", "pipe"] });
    children.push(child);
    let out = "";
    child.stdout!.on("data", (d: Buffer) => (out += d));
    child.stdin!.write(`${JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: PROTOCOL_VERSION } })}\n`);
    child.stdin!.write(`${JSON.stringify({ jsonrpc: "2.0", id: 2, method: "session/new", params: { cwd: ws, mcpServers: [] } })}\n`);
    child.stdin!.end();
    const code = await new Promise((resolve) => child.on("close", resolve));
    expect(code).toBe(0);
    const lines = out.split("\n").filter((l) => l.trim());
    expect(lines.length).toBeGreaterThanOrEqual(2);
    for (const line of lines) expect(JSON.parse(line)).toMatchObject({ jsonrpc: "2.0" });
  });
});

describe("colleague acp with custom slash commands", () => {
  it("lists the workspace's commands in available_commands_update and runs `/name args` as its prompt", async () => {
    const ws = tempRepo({ ".claude/commands/greet.md": "---\ndescription: Greet someone\nargument-hint: [name]\n---\nSay hello to $1 politely.\n" });
    const scenario = scenarioFile({ steps: [{ expect: { lastMessageIncludes: ["Say hello to Ada politely."] }, text: "Hello, Ada." }] });
    const acp = editor(["--model", `scripted:${scenario}`, "--permission-mode", "full-auto"], { env: cleanEnv(), cwd: ws });
    await acp.run(async (ctx) => {
      const session = await ctx.request(methods.agent.session.new, { cwd: ws, mcpServers: [] });
      const result = await ctx.request(methods.agent.session.prompt, { sessionId: session.sessionId, prompt: [{ type: "text", text: "/greet Ada" }] });
      expect(result.stopReason).toBe("end_turn");
    });
    const commands = ofKind("available_commands_update", acp.updates)[0]?.availableCommands ?? [];
    expect(commands.find((c) => c.name === "greet")).toEqual({ name: "greet", description: "Greet someone", input: { hint: "[name]" } });
    expect(text("agent_message_chunk", acp.updates)).toContain("Hello, Ada.");
  });
});
