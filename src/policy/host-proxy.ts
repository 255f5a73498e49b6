import { writeFileSync } from "node:fs";
import { connect, createServer, type Socket } from "node:net";
import path from "node:path";

/**
 * Network for the sandbox by host: commands have no network of their own (a fresh network
 * namespace), but an HTTP proxy outside the sandbox, reached through a unix socket bound into
 * it, connects to the allowed hosts only. Inside, a tiny bridge listens on 127.0.0.1 and
 * HTTP_PROXY / HTTPS_PROXY point at it, so proxy-aware tools (curl, npm, pip, git over https)
 * reach the allowed hosts; anything else has no route out at all.
 */

export const PROXY_PORT = 3128;

/** `registry.npmjs.org`, `*.github.com` (also matches github.com itself). */
export function hostAllowed(host: string, patterns: readonly string[]): boolean {
  const h = host.toLowerCase().replace(/\.$/, "");
  return patterns.some((p) => {
    const pattern = p.toLowerCase();
    if (pattern.startsWith("*.")) return h === pattern.slice(2) || h.endsWith(pattern.slice(1));
    return h === pattern;
  });
}

export interface HostProxy {
  socketPath: string;
  close(): void;
}

/** Starts the filtering proxy on a unix socket; `onRequest` hears every decision. */
export function startHostProxy(
  socketPath: string,
  allowedHosts: readonly string[],
  onRequest?: (host: string, allowed: boolean) => void,
): Promise<HostProxy> {
  const server = createServer((client) => {
    let head = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf("\r\n\r\n");
      if (end < 0) {
        if (head.length > 64 * 1024) client.destroy();
        return;
      }
      client.off("data", onData);
      const [method = "", target = ""] = head.subarray(0, head.indexOf("\r\n")).toString("latin1").split(" ");
      const connectTo = method === "CONNECT" ? parseAuthority(target, 443) : parseUrl(target);
      if (!connectTo || !hostAllowed(connectTo.host, allowedHosts)) {
        onRequest?.(connectTo?.host ?? target, false);
        client.end(`HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\n\r\ncolleague sandbox: ${connectTo?.host ?? target} is not an allowed host\n`);
        return;
      }
      onRequest?.(connectTo.host, true);
      const upstream = connect(connectTo.port, connectTo.host);
      pipeBoth(client, upstream);
      upstream.on("connect", () => {
        if (method === "CONNECT") {
          client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
          const rest = head.subarray(end + 4);
          if (rest.length) upstream.write(rest);
        } else upstream.write(head);
        client.pipe(upstream);
        upstream.pipe(client);
      });
    };
    client.on("data", onData);
    client.on("error", () => client.destroy());
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(socketPath, () => {
      server.unref();
      resolve({ socketPath, close: () => server.close() });
    });
  });
}

function pipeBoth(a: Socket, b: Socket): void {
  a.on("error", () => b.destroy());
  b.on("error", () => {
    if (!a.destroyed) a.end("HTTP/1.1 502 Bad Gateway\r\n\r\n");
  });
  a.on("close", () => b.destroy());
  b.on("close", () => a.destroy());
}

function parseAuthority(authority: string, defaultPort: number): { host: string; port: number } | undefined {
  const match = /^\[?([^\]]+?)\]?(?::(\d+))?$/.exec(authority);
  if (!match) return undefined;
  return { host: match[1]!, port: match[2] ? Number(match[2]) : defaultPort };
}

function parseUrl(target: string): { host: string; port: number } | undefined {
  try {
    const url = new URL(target);
    return { host: url.hostname.replace(/^\[|\]$/g, ""), port: url.port ? Number(url.port) : url.protocol === "https:" ? 443 : 80 };
  } catch {
    return undefined;
  }
}

/** The in-sandbox bridge: 127.0.0.1:PORT → the proxy's unix socket. Written beside the socket. */
export function writeBridge(dir: string): string {
  const file = path.join(dir, ".colleague-bridge.cjs");
  writeFileSync(
    file,
    `const net = require("net");
const [sock, port] = process.argv.slice(2);
net.createServer((c) => { const u = net.connect(sock); c.pipe(u); u.pipe(c);
  c.on("error", () => u.destroy()); u.on("error", () => c.destroy()); }).listen(Number(port), "127.0.0.1");
`,
  );
  return file;
}
