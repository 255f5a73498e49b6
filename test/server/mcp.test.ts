import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterEach, describe, expect, it } from "vitest";
import { BIN, cleanEnv } from "../cli/cli-helpers.js";
import { tempRepo } from "../helpers.js";

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface RunResult {
  sessionId: string;
  status: string;
  answer?: string;
  steps: number;
  costUsd: number;
  denied: string[];
}

type ToolResult = { content: Array<{ type: string; text?: string }>; structuredContent?: Record<string, unknown>; isError?: boolean };

const text = (result: ToolResult) => result.content.map((c) => c.text ?? "").join("\n");

/** A root folder with a workspace in it and a scenario file beside it. */
function setup(scenario: unknown) {
  const root = tempRepo();
  const workspace = path.join(root, "ws");
  mkdirSync(workspace);
  const file = path.join(root, "scenario.json");
  writeFileSync(file, JSON.stringify(scenario));
  return { root, workspace, model: `scripted:${file}` };
}

/** The built `colleague mcp` over stdio, driven by the SDK's own client. */
async function stdioClient(root: string, extra: string[] = [], env = cleanEnv()) {
  let stderr = "";
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [BIN, "mcp", "--root", root, ...extra],
    env: env as Record<string, string>,
    stderr: "pipe",
  });
  transport.stderr?.on("data", (d: Buffer) => (stderr += d));
  const client = new Client({ name: "colleague-test", version: "0.0.0" });
  await client.connect(transport);
  cleanups.push(() => client.close());
  return { client, env, stderr: () => stderr };
}

async function call(client: Client, name: string, args: Record<string, unknown>, onprogress?: (p: { progress: number; message?: string }) => void) {
  return (await client.callTool({ name, arguments: args }, undefined, onprogress ? { onprogress } : undefined)) as ToolResult;
}

describe("colleague mcp over stdio", () => {
  it("lists its tools with their input schemas", async () => {
    const { root } = setup({ steps: [{ text: "x" }] });
    const { client } = await stdioClient(root);
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(["run_task", "session_status", "steer"]);
    const run = tools.find((t) => t.name === "run_task")!;
    expect(run.inputSchema.required).toEqual(expect.arrayContaining(["task", "workspace"]));
    expect(Object.keys(run.inputSchema.properties ?? {})).toEqual(expect.arrayContaining(["task", "workspace", "model", "permission_mode"]));
    // The server's mode is the loosest on offer.
    expect((run.inputSchema.properties as Record<string, { enum?: string[] }>).permission_mode?.enum).toEqual(["read-only", "ask", "auto-edit"]);
  });

  it("run_task runs a session to its end and returns the answer and session id; session_status and steer continue it", async () => {
    const { root, workspace, model } = setup({
      steps: [
        { toolCalls: [{ name: "write_file", args: { path: "notes.txt", content: "hello\n" } }] },
        { text: "I wrote notes.txt" },
        { expect: { lastMessageIncludes: ["now say goodbye"] }, text: "goodbye" },
      ],
    });
    const { client } = await stdioClient(root);
    const progress: string[] = [];
    const result = await call(client, "run_task", { task: "write a note", workspace, model }, (p) => progress.push(p.message ?? ""));
    expect(result.isError).toBeFalsy();
    const run = result.structuredContent as unknown as RunResult;
    expect(run).toMatchObject({ status: "completed", answer: "I wrote notes.txt", denied: [] });
    expect(run.sessionId).toMatch(/\S/);
    expect(run.steps).toBeGreaterThan(0);
    expect(text(result)).toContain("I wrote notes.txt");
    expect(text(result)).toContain(run.sessionId);
    expect(readFileSync(path.join(workspace, "notes.txt"), "utf8")).toBe("hello\n"); // auto-edit by default
    expect(progress.length).toBeGreaterThan(0);

    const status = await call(client, "session_status", { session_id: run.sessionId });
    expect(status.structuredContent).toMatchObject({
      sessionId: run.sessionId,
      status: "completed",
      answer: "I wrote notes.txt",
      running: false,
      pendingApprovals: [],
      workspace,
    });

    const steered = await call(client, "steer", { session_id: run.sessionId, text: "now say goodbye" });
    expect(steered.isError).toBeFalsy();
    expect(steered.structuredContent).toMatchObject({ sessionId: run.sessionId, status: "completed", answer: "goodbye" });
    expect((await call(client, "session_status", { session_id: run.sessionId })).structuredContent).toMatchObject({ answer: "goodbye" });
  });

  it("denies what needs approval, with a clear message in the answer, since nobody can be asked", async () => {
    const { root, workspace, model } = setup({
      steps: [
        { toolCalls: [{ name: "write_file", args: { path: "notes.txt", content: "hello\n" } }] },
        { expect: { toolResultsOk: false }, text: "I could not write it" },
        { toolCalls: [{ name: "write_file", args: { path: "notes.txt", content: "again\n" } }] },
        { expect: { toolResultsOk: false }, text: "Still not allowed" },
      ],
    });
    const { client } = await stdioClient(root);
    const result = await call(client, "run_task", { task: "write a note", workspace, model, permission_mode: "ask" });
    const run = result.structuredContent as unknown as RunResult;
    expect(run).toMatchObject({ status: "completed", answer: "I could not write it" });
    expect(run.denied).toHaveLength(1);
    expect(run.denied[0]).toContain("write_file");
    expect(text(result)).toContain("denied for want of a person to approve them");
    expect(existsSync(path.join(workspace, "notes.txt"))).toBe(false);
    // Continued with steer, the session keeps its tighter mode (not the server's auto-edit).
    const steered = await call(client, "steer", { session_id: run.sessionId, text: "try again" });
    expect(steered.structuredContent).toMatchObject({ status: "completed", answer: "Still not allowed" });
    expect(existsSync(path.join(workspace, "notes.txt"))).toBe(false);
  });

  it("refuses a looser mode than the server's, a workspace outside the roots and an unknown session", async () => {
    const { root, workspace, model } = setup({ steps: [{ text: "x" }] });
    const { client } = await stdioClient(root, ["--permission-mode", "ask"]);
    const looser = await call(client, "run_task", { task: "t", workspace, model, permission_mode: "full-auto" });
    expect(looser.isError).toBe(true);
    const outside = await call(client, "run_task", { task: "t", workspace: tempRepo(), model });
    expect(outside.isError).toBe(true);
    expect(text(outside)).toMatch(/outside the server's roots/);
    const relative = await call(client, "run_task", { task: "t", workspace: "ws", model });
    expect(relative.isError).toBe(true);
    const unknown = await call(client, "session_status", { session_id: "no-such-session" });
    expect(unknown.isError).toBe(true);
    expect(text(unknown)).toMatch(/no session/);
  });
});

/** The built `colleague mcp --http` on a free port; resolves with its URL once it prints it. */
function httpServer(root: string, env = cleanEnv()): Promise<{ url: string; token: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [BIN, "mcp", "--http", "--port", "0", "--root", root], { env, stdio: ["ignore", "pipe", "pipe"] });
  cleanups.push(() => {
    child.kill("SIGKILL");
  });
  let out = "";
  return new Promise((resolve, reject) => {
    child.stdout!.on("data", (d: Buffer) => {
      out += d;
      const url = /colleague mcp on (http:\/\/\S+)/.exec(out)?.[1];
      if (url && /bearer token/.test(out)) resolve({ url, token: readFileSync(path.join(env.COLLEAGUE_HOME!, "server-token"), "utf8").trim(), child });
    });
    child.on("exit", (code) => reject(new Error(`mcp --http exited with ${code}: ${out}`)));
  });
}

describe("colleague mcp --http", () => {
  it("serves the tools over streamable HTTP on 127.0.0.1 behind the bearer token", async () => {
    const { root, workspace, model } = setup({ steps: [{ text: "done over http" }, { text: "again over http" }] });
    const { url, token } = await httpServer(root);
    expect(new URL(url).hostname).toBe("127.0.0.1");

    const anonymous = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    expect(anonymous.status).toBe(401);
    const wrong = await fetch(url, { method: "POST", headers: { "content-type": "application/json", authorization: "Bearer nope" }, body: "{}" });
    expect(wrong.status).toBe(401);

    const client = new Client({ name: "colleague-test", version: "0.0.0" });
    await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
    cleanups.push(() => client.close());
    expect((await client.listTools()).tools.map((t) => t.name).sort()).toEqual(["run_task", "session_status", "steer"]);
    const result = await call(client, "run_task", { task: "say done", workspace, model });
    const run = result.structuredContent as unknown as RunResult;
    expect(run).toMatchObject({ status: "completed", answer: "done over http" });
    expect((await call(client, "session_status", { session_id: run.sessionId })).structuredContent).toMatchObject({ answer: "done over http" });
    const steered = await call(client, "steer", { session_id: run.sessionId, text: "once more" });
    expect(steered.structuredContent).toMatchObject({ answer: "again over http" });
  });
});
