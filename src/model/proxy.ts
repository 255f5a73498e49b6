import http from "node:http";
import type https from "node:https";
import net from "node:net";
import type tls from "node:tls";

/**
 * HTTPS_PROXY / HTTP_PROXY / NO_PROXY (either case), read as curl reads them: users behind a
 * corporate proxy set them once for every tool. Requests go through the proxy in a CONNECT
 * tunnel, as undici's ProxyAgent does, so TLS still runs end to end between colleague and the
 * provider. NO_PROXY lists hosts (`example.com` also matches its subdomains, `.example.com`
 * only them), `host:port`, IP addresses, or `*` for none; there is no implicit exception, so
 * a local model server behind a proxy setting needs `NO_PROXY=localhost,127.0.0.1`.
 */
export function proxyFor(url: URL, env: NodeJS.ProcessEnv = process.env): URL | undefined {
  const pick = (...names: string[]) => names.map((n) => env[n]).find((v) => v !== undefined && v.trim() !== "");
  const raw = url.protocol === "https:" ? pick("HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy") : pick("HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy");
  if (!raw || bypassed(url, pick("NO_PROXY", "no_proxy") ?? "")) return undefined;
  try {
    return new URL(raw.includes("://") ? raw : `http://${raw}`);
  } catch {
    return undefined;
  }
}

const defaultPort = (url: URL) => url.port || (url.protocol === "https:" ? "443" : "80");
const bare = (host: string) => host.replace(/^\[|\]$/g, "").toLowerCase();

function bypassed(url: URL, noProxy: string): boolean {
  const host = bare(url.hostname);
  const port = defaultPort(url);
  for (const raw of noProxy.split(/[\s,]+/).filter(Boolean)) {
    if (raw === "*") return true;
    const entry = raw.toLowerCase();
    // "host:port" (not an IPv6 address): the port must match too.
    const portMatch = /^(.*[^:]):(\d+)$/.exec(entry);
    const [name, entryPort] = portMatch && !entry.startsWith("[") ? [portMatch[1]!, portMatch[2]] : [bare(entry), undefined];
    if (entryPort && entryPort !== port) continue;
    const suffix = name.replace(/^\*?\./, "");
    if (host === suffix || host.endsWith(`.${suffix}`)) return true;
  }
  return false;
}

/** Opens a CONNECT tunnel through `proxy` to host:port; resolves with the raw socket. */
function tunnel(proxy: URL, host: string, port: string, timeoutMs = 30_000): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const target = `${host.includes(":") ? `[${host}]` : host}:${port}`;
    const headers: Record<string, string> = { host: target };
    if (proxy.username) {
      const credentials = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
      headers["proxy-authorization"] = `Basic ${Buffer.from(credentials).toString("base64")}`;
    }
    const req = http.request({ host: bare(proxy.hostname), port: defaultPort(proxy), method: "CONNECT", path: target, headers, agent: false });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`proxy ${proxy.host} did not answer CONNECT within ${timeoutMs} ms`)));
    req.once("connect", (res, socket) => {
      req.setTimeout(0);
      if (res.statusCode === 200) return resolve(socket);
      socket.destroy();
      const error = Object.assign(new Error(`proxy ${proxy.host} refused CONNECT ${target}: ${res.statusCode} ${res.statusMessage ?? ""}`.trim()), {
        code: "ECONNREFUSED",
      });
      reject(error);
    });
    req.once("error", reject);
    req.end();
  });
}

type Callback = (error: Error | null, socket?: net.Socket) => void;
interface ConnectOptions extends Omit<tls.ConnectionOptions, "port"> {
  host?: string;
  port?: number | string;
  servername?: string;
}

/** The agent for http:// targets behind a proxy: each socket is a tunnel; keep-alive reuses it. */
export function tunnelHttpAgent(proxy: URL): http.Agent {
  const agent = new http.Agent({ keepAlive: true });
  // Node's Agent accepts a socket handed to the callback later (createConnection may be async).
  (agent as unknown as { createConnection: (o: ConnectOptions, cb: Callback) => undefined }).createConnection = (options, callback) => {
    tunnel(proxy, options.host ?? "localhost", String(options.port ?? 80)).then(
      (socket) => callback(null, socket),
      (error: Error) => callback(error),
    );
    return undefined;
  };
  return agent;
}

/** The agent for https:// targets behind a proxy: TLS to the provider inside the tunnel. */
export function tunnelHttpsAgent(proxy: URL, httpsModule: typeof https, tlsModule: typeof tls): https.Agent {
  const agent = new httpsModule.Agent({ keepAlive: true });
  (agent as unknown as { createConnection: (o: ConnectOptions, cb: Callback) => undefined }).createConnection = (options, callback) => {
    const host = options.host ?? "localhost";
    tunnel(proxy, host, String(options.port ?? 443)).then(
      (socket) => {
        const { port: _port, ...rest } = options;
        const servername = options.servername || (net.isIP(host) ? undefined : host);
        const secure = tlsModule.connect({ ...rest, socket, ...(servername ? { servername } : {}) });
        callback(null, secure);
      },
      (error: Error) => callback(error),
    );
    return undefined;
  };
  return agent;
}
