import { readFileSync } from "node:fs";
import http from "node:http";
import https from "node:https";
import { mkdtempSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { proxyFor } from "../../src/model/proxy.js";
import { anthropicFakeFromScenario, startAnthropicFake } from "../fakes/anthropic.js";
import type { FakeServer } from "../fakes/http.js";
import { cleanEnv, runCli } from "./cli-helpers.js";

/** A minimal CONNECT proxy on 127.0.0.1 that records each tunnel it opens (and any auth it saw). */
async function startConnectProxy() {
  const tunnels: { target: string; auth?: string }[] = [];
  const sockets = new Set<net.Socket>();
  const server = http.createServer((_req, res) => res.writeHead(405).end("CONNECT only"));
  server.on("connect", (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    tunnels.push({ target: req.url ?? "", ...(req.headers["proxy-authorization"] ? { auth: req.headers["proxy-authorization"] } : {}) });
    const [host, port] = (req.url ?? "").split(":");
    const upstream = net.connect(Number(port), host, () => {
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on("error", () => s.destroy());
      s.on("close", () => sockets.delete(s));
    }
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    tunnels,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((c) => c()));
});

const workspace = () => mkdtempSync(path.join(os.tmpdir(), "colleague-proxy-"));
const hello = { steps: [{ text: "Hello through the proxy." }] };
const TLS = path.resolve("test/fakes/tls");

describe("HTTPS_PROXY / HTTP_PROXY / NO_PROXY", () => {
  it("sends an http:// provider request through HTTP_PROXY in a CONNECT tunnel", async () => {
    const server: FakeServer = await startAnthropicFake(anthropicFakeFromScenario(hello));
    closers.push(() => server.close());
    const proxy = await startConnectProxy();
    closers.push(proxy.close);
    const env = cleanEnv({ ANTHROPIC_API_KEY: "sk-ant-test", ANTHROPIC_BASE_URL: server.url, HTTP_PROXY: `http://user:p%40ss@127.0.0.1:${proxy.port}` });
    const out = await runCli(["-p", "hi", "--model", "anthropic:claude-opus-4-6", "--cwd", workspace()], { env });
    expect(out.stderr).not.toContain("✗");
    expect(out.stdout).toBe("Hello through the proxy.\n");
    expect(proxy.tunnels[0]).toEqual({ target: new URL(server.url).host, auth: `Basic ${Buffer.from("user:p@ss").toString("base64")}` });
    expect(server.requests).toHaveLength(1);
  });

  it("sends an https:// provider request through HTTPS_PROXY, TLS end to end inside the tunnel", async () => {
    const requests: string[] = [];
    const tlsServer = https.createServer({ key: readFileSync(path.join(TLS, "key.pem")), cert: readFileSync(path.join(TLS, "cert.pem")) });
    // The Anthropic fake's handler, served over TLS: its plain server only listens to hand it over.
    const fake = await startAnthropicFake(anthropicFakeFromScenario(hello));
    closers.push(() => fake.close());
    tlsServer.on("request", (req: http.IncomingMessage, res: http.ServerResponse) => {
      requests.push(`${req.method} ${req.url}`);
      const forward = http.request(`${fake.url}${req.url}`, { method: req.method, headers: req.headers }, (up) => {
        res.writeHead(up.statusCode ?? 500, up.headers);
        up.pipe(res);
      });
      req.pipe(forward);
    });
    await new Promise<void>((r) => tlsServer.listen(0, "127.0.0.1", r));
    closers.push(() => new Promise((r) => tlsServer.close(() => r())));
    tlsServer.on("connection", (s: net.Socket) => closers.push(async () => void s.destroy()));
    const port = (tlsServer.address() as net.AddressInfo).port;
    const proxy = await startConnectProxy();
    closers.push(proxy.close);
    const env = cleanEnv({
      ANTHROPIC_API_KEY: "sk-ant-test",
      ANTHROPIC_BASE_URL: `https://localhost:${port}`,
      HTTPS_PROXY: proxy.url,
      NODE_EXTRA_CA_CERTS: path.join(TLS, "cert.pem"),
    });
    const out = await runCli(["-p", "hi", "--model", "anthropic:claude-opus-4-6", "--cwd", workspace()], { env });
    expect(out.stdout).toBe("Hello through the proxy.\n");
    expect(proxy.tunnels.map((t) => t.target)).toEqual([`localhost:${port}`]);
    expect(requests).toEqual(["POST /v1/messages"]);
  });

  it("goes direct for hosts in NO_PROXY", async () => {
    const server = await startAnthropicFake(anthropicFakeFromScenario(hello));
    closers.push(() => server.close());
    const proxy = await startConnectProxy();
    closers.push(proxy.close);
    const env = cleanEnv({ ANTHROPIC_API_KEY: "sk-ant-test", ANTHROPIC_BASE_URL: server.url, HTTP_PROXY: proxy.url, NO_PROXY: "example.com,127.0.0.1" });
    const out = await runCli(["-p", "hi", "--model", "anthropic:claude-opus-4-6", "--cwd", workspace()], { env });
    expect(out.stdout).toBe("Hello through the proxy.\n");
    expect(proxy.tunnels).toEqual([]);
  });

  it("reads the variables as curl does", () => {
    const api = new URL("https://api.anthropic.com/v1/messages");
    expect(proxyFor(api, {})).toBeUndefined();
    expect(proxyFor(api, { https_proxy: "proxy.corp:3128" })?.href).toBe("http://proxy.corp:3128/");
    expect(proxyFor(api, { HTTP_PROXY: "http://p:1" })).toBeUndefined();
    expect(proxyFor(new URL("http://h/"), { HTTP_PROXY: "http://p:1" })?.host).toBe("p:1");
    for (const noProxy of ["*", "anthropic.com", ".anthropic.com", "api.anthropic.com:443", "x.org, api.anthropic.com"]) {
      expect(proxyFor(api, { HTTPS_PROXY: "http://p:1", NO_PROXY: noProxy }), noProxy).toBeUndefined();
    }
    for (const noProxy of ["api.anthropic.com:8443", "thropic.com", "openai.com"]) {
      expect(proxyFor(api, { HTTPS_PROXY: "http://p:1", no_proxy: noProxy }), noProxy).toBeDefined();
    }
  });
});
