import { createServer, request as httpRequest, type Server } from "node:http";
import { connect, type Socket } from "node:net";
import type { HostCheck } from "./network.js";

/**
 * The browser's way out to other machines: an HTTP proxy on 127.0.0.1 that asks the same host
 * check as the request routing for every connection. Playwright's routing does not see the
 * targets of redirects (nor WebSockets), so without this a local page could send the browser
 * anywhere; through the proxy nothing leaves unless the rules allow its host. Chromium reaches
 * loopback addresses directly, never through a proxy, which is what the workspace's own app needs.
 */
export interface EgressProxy {
  url: string;
  close(): Promise<void>;
}

export async function startEgressProxy(allows: HostCheck, onBlocked: (host: string) => void): Promise<EgressProxy> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    // Plain http: the request line holds the absolute URL.
    let target: URL;
    try {
      target = new URL(req.url ?? "");
    } catch {
      res.writeHead(400).end();
      return;
    }
    if (!allows(target.hostname)) {
      onBlocked(target.hostname);
      res.writeHead(403, { "content-type": "text/plain" }).end(`colleague: the host ${target.hostname} is not allowed`);
      return;
    }
    const upstream = httpRequest(target, { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on("error", () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.on("error", () => upstream.destroy());
    req.pipe(upstream);
  });
  server.on("connect", (req, client: Socket, head: Buffer) => {
    client.on("error", () => {});
    // https and WebSockets: CONNECT host:port, then bytes both ways.
    const [host = "", port = "443"] = (req.url ?? "").replace(/^\[|\](?=:)/g, "").split(/:(?=\d+$)/);
    if (!allows(host)) {
      onBlocked(host);
      client.end("HTTP/1.1 403 Forbidden\r\n\r\n");
      return;
    }
    const upstream = connect(Number(port), host, () => {
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    const drop = () => {
      upstream.destroy();
      client.destroy();
    };
    upstream.on("error", drop);
    client.on("error", drop);
  });
  server.on("connection", (socket) => {
    // A browser that hangs up mid-transfer is normal: never an error of the session.
    socket.on("error", () => {});
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
