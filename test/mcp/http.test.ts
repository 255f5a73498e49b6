// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these tests are about ${VAR} expansion in config strings
import http from "node:http";
import type { AddressInfo } from "node:net";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { afterEach, describe, expect, it } from "vitest";
import { McpHub } from "../../src/mcp/hub.js";
import { runTool } from "../../src/tools/define.js";
import { Workspace } from "../../src/tools/workspace.js";
import { localFileSystem, localProcessRunner } from "../../src/tools/local-io.js";
// @ts-expect-error: a plain ESM script shared with the stdio tests
import { buildFakeMcpServer } from "../fakes/mcp-server.mjs";
import { tempRepo } from "../helpers.js";
import { fakeStdioServer } from "./mcp-helpers.js";

/** The fake MCP server over streamable HTTP on 127.0.0.1 (stateless: a server per request), recording each request's headers. */
async function startHttpMcp(): Promise<{ url: string; headers: http.IncomingHttpHeaders[]; close(): Promise<void> }> {
  const headers: http.IncomingHttpHeaders[] = [];
  const server = http.createServer(async (req, res) => {
    headers.push(req.headers);
    if (req.headers.authorization !== "Bearer t0k3n") {
      res.writeHead(401).end();
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString("utf8")) : undefined;
    const mcp = buildFakeMcpServer();
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    res.on("close", () => {
      void transport.close();
      void mcp.close();
    });
    await mcp.connect(transport);
    await transport.handleRequest(req, res, body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    headers,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const ctx = () => ({
  workspace: new Workspace(tempRepo()),
  fs: localFileSystem,
  runner: localProcessRunner,
  signal: new AbortController().signal,
  sessionId: "s",
  callId: "c",
});

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(cleanup.splice(0).map((f) => f()));
});

describe("MCP over streamable HTTP", () => {
  it("connects with headers from config (${VAR} expanded), lists and calls tools", async () => {
    const server = await startHttpMcp();
    const notices: string[] = [];
    const hub = await McpHub.open({
      servers: { web: { type: "http", url: server.url, headers: { Authorization: "Bearer ${MCP_TOKEN}" } } },
      env: { MCP_TOKEN: "t0k3n" },
      cwd: tempRepo(),
      onNotice: (l) => notices.push(l),
    });
    cleanup.push(() => hub.close(), () => server.close());
    expect(notices).toEqual([]);
    expect(hub.statuses).toEqual([{ name: "web", transport: "http", status: "connected", tools: 7, prompts: 1 }]);
    const echo = hub.allTools().find((t) => t.name === "mcp__web__echo")!;
    const result = await runTool(echo, { text: "over http" }, ctx());
    expect(result).toMatchObject({ isError: false, content: [{ type: "text", text: "echo: over http" }] });
    expect(server.headers.every((h) => h.authorization === "Bearer t0k3n")).toBe(true);
  });

  it("a wrong token: the server is left out with one line naming it", async () => {
    const server = await startHttpMcp();
    const notices: string[] = [];
    const hub = await McpHub.open({
      servers: { web: { type: "http", url: server.url, headers: { Authorization: "Bearer nope" } } },
      env: {},
      cwd: tempRepo(),
      onNotice: (l) => notices.push(l),
    });
    cleanup.push(() => hub.close(), () => server.close());
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(/^MCP server web failed while starting: .*; going on without it$/);
    expect(hub.allTools()).toEqual([]);
  });

  it("an unset ${VAR} without a default leaves the server out and names the variable", async () => {
    const notices: string[] = [];
    const hub = await McpHub.open({ servers: { web: { url: "http://127.0.0.1:9/${MCP_HOST_PATH}" } }, env: {}, cwd: tempRepo(), onNotice: (l) => notices.push(l) });
    expect(notices).toEqual(['MCP server "web" needs $MCP_HOST_PATH, which is not set; going on without it']);
    await hub.close();
  });
});

describe("MCP prompts and resources", () => {
  it("prompts become slash commands whose arguments are the words typed; @server:uri attaches a resource", async () => {
    const hub = await McpHub.open({ servers: { fake: fakeStdioServer() }, env: { PATH: process.env.PATH }, cwd: tempRepo() });
    cleanup.push(() => hub.close());
    const [review] = hub.commands();
    expect(review).toMatchObject({ name: "mcp__fake__review", description: "Review a file", argumentHint: "<file> [focus]", source: "mcp:fake" });
    expect(await review!.expand("src/a.ts error handling")).toEqual({ prompt: "Please review src/a.ts for error handling." });
    await expect(review!.expand("")).rejects.toThrow("needs file");
    const prompt = await hub.attachResources("summarise @fake:note://todo and mail me@example.com");
    expect(prompt).toContain('<resource server="fake" uri="note://todo">\nthe note called todo\n</resource>');
    expect(prompt.startsWith("summarise @fake:note://todo and mail me@example.com")).toBe(true);
    expect(await hub.attachResources("no references here")).toBe("no references here");
  });
});
