import { randomUUID, timingSafeEqual } from "node:crypto";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import { isInitializeRequest } from "@modelcontextprotocol/sdk/types.js";
import { Hono } from "hono";

export interface McpHttpOptions {
  /** Makes the MCP server of one connection (each MCP session gets its own, over the shared session service). */
  createServer: () => McpServer;
  token: string;
  /** Default 127.0.0.1. */
  host?: string;
  /** 0 picks a free port. */
  port?: number;
}

export interface RunningMcpHttp {
  /** The endpoint, e.g. http://127.0.0.1:4318/mcp */
  url: string;
  close(): Promise<void>;
}

const jsonError = (status: number, code: number, message: string) =>
  new Response(JSON.stringify({ jsonrpc: "2.0", error: { code, message }, id: null }), { status, headers: { "content-type": "application/json" } });

function sameToken(given: string, token: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * `colleague mcp --http`: MCP's streamable HTTP transport at /mcp, one stateful MCP session per
 * client (the `mcp-session-id` header), every request guarded by the bearer token.
 */
export async function startMcpHttp(options: McpHttpOptions): Promise<RunningMcpHttp> {
  const transports = new Map<string, { transport: WebStandardStreamableHTTPServerTransport; server: McpServer }>();
  const app = new Hono();

  app.use("*", async (c, next) => {
    const header = c.req.header("authorization") ?? "";
    const given = /^Bearer\s+(.+)$/i.exec(header)?.[1]?.trim() ?? "";
    if (!given || !sameToken(given, options.token)) {
      return new Response(JSON.stringify({ error: { code: "unauthorized", message: "a valid bearer token is required (see the colleague home's server-token)" } }), {
        status: 401,
        headers: { "content-type": "application/json", "www-authenticate": "Bearer" },
      });
    }
    return next();
  });

  app.all("/mcp", async (c) => {
    const sessionId = c.req.header("mcp-session-id");
    if (sessionId) {
      const known = transports.get(sessionId);
      if (!known) return jsonError(404, -32001, `no MCP session "${sessionId}"`);
      return known.transport.handleRequest(c.req.raw);
    }
    if (c.req.method !== "POST") return jsonError(400, -32000, "no MCP session: initialize first");
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      return jsonError(400, -32700, "the body is not JSON");
    }
    if (!isInitializeRequest(body)) return jsonError(400, -32000, "no MCP session: initialize first");
    const server = options.createServer();
    const transport: WebStandardStreamableHTTPServerTransport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => {
        transports.set(id, { transport, server });
      },
      onsessionclosed: (id) => {
        transports.delete(id);
      },
    });
    transport.onclose = () => {
      if (transport.sessionId) transports.delete(transport.sessionId);
    };
    await server.connect(transport);
    return transport.handleRequest(c.req.raw, { parsedBody: body });
  });

  app.notFound(() => new Response(JSON.stringify({ error: { code: "not_found", message: "the MCP endpoint is /mcp" } }), { status: 404, headers: { "content-type": "application/json" } }));

  const hostname = options.host ?? "127.0.0.1";
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, hostname, port: options.port ?? 0 }, () => resolve(s));
    s.once("error", reject);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${hostname.includes(":") ? `[${hostname}]` : hostname}:${port}/mcp`,
    close: async () => {
      for (const { server: mcp } of transports.values()) await mcp.close().catch(() => {});
      transports.clear();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      });
    },
  };
}
