import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { type HttpRequest, idleLimited, openHttp, readText, responseBody } from "../../src/model/http-request.js";
import { ProviderStallError } from "../../src/model/stall.js";

let servers: http.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  servers = [];
});

async function serve(handler: http.RequestListener): Promise<string> {
  const server = http.createServer(handler);
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  server.on("connection", (s) => server.once("close", () => s.destroy()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A request as the adapters send one; the answer's status, headers and body as a stream of text. */
async function send(url: string, request: Partial<HttpRequest> = {}, idleMs?: number) {
  const res = await openHttp(new URL(url), { method: "GET", headers: {}, ...request });
  const body = await responseBody(res, request.signal);
  const chunks = idleLimited(body, idleMs);
  return { status: res.statusCode, headers: res.headers, chunks, text: () => readText(body, idleMs) };
}
const next = async (chunks: AsyncGenerator<Buffer>) => (await chunks.next()).value?.toString("utf8");

describe("provider requests over node:http", () => {
  it("sends method, headers and body, and streams the response with its status and headers", async () => {
    const url = await serve((req, res) => {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        res.writeHead(201, { "content-type": "text/event-stream", "x-echo": String(req.headers["x-api-key"]) });
        res.write(`data: ${req.method} ${body} ${req.headers["content-length"]}\n\n`);
        setTimeout(() => res.end("data: done\n\n"), 5);
      });
    });
    const res = await send(`${url}/v1/messages`, { method: "post", headers: { "x-api-key": "k" }, body: '{"a":"é"}' });
    expect(res.status).toBe(201);
    expect(res.headers["x-echo"]).toBe("k");
    expect(await res.text()).toBe('data: POST {"a":"é"} 10\n\ndata: done\n\n');
  });

  it("follows a 307 redirect with the same method and body", async () => {
    const url = await serve((req, res) => {
      if (req.url === "/old") {
        res.writeHead(307, { location: "/new" }).end();
        return;
      }
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => res.end(`${req.method} ${req.url} ${body}`));
    });
    const res = await send(`${url}/old`, { method: "POST", body: "x" });
    expect(await res.text()).toBe("POST /new x");
  });

  it("fails like fetch when nothing listens: TypeError with the system code in its cause", async () => {
    const url = await serve(() => {});
    await new Promise((r) => servers.pop()!.close(r));
    const error = (await send(url).catch((e: unknown) => e)) as TypeError & { cause: { code: string } };
    expect(error).toBeInstanceOf(TypeError);
    expect(error.cause.code).toBe("ECONNREFUSED");
  });

  it("rejects with an AbortError when aborted before the answer, and errors the body when aborted mid-stream", async () => {
    const url = await serve((req, res) => {
      if (req.url === "/slow") return; // never answers
      res.writeHead(200);
      res.write("data: first\n\n"); // then stalls
    });
    const early = new AbortController();
    const pending = send(`${url}/slow`, { signal: early.signal });
    setTimeout(() => early.abort(), 10);
    await expect(pending).rejects.toMatchObject({ name: "AbortError" });

    const late = new AbortController();
    const res = await send(`${url}/stream`, { signal: late.signal });
    expect(await next(res.chunks)).toBe("data: first\n\n");
    late.abort();
    await expect(res.chunks.next()).rejects.toMatchObject({ name: "AbortError" });
  });

  it("errors the body with a connection code when the server cuts the stream", async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200, { "content-length": "100" });
      res.write("partial");
      setTimeout(() => res.socket?.destroy(), 5);
    });
    const res = await send(url);
    const error = (await res.text().catch((e: unknown) => e)) as { code?: string };
    expect(error.code).toBe("ECONNRESET");
  });
});

describe("decoding", () => {
  it("decodes a gzip-compressed body, as fetch does", async () => {
    const { gzipSync } = await import("node:zlib");
    const url = await serve((_req, res) => {
      res.writeHead(200, { "content-encoding": "gzip" });
      res.end(gzipSync("data: compressed\n\n"));
    });
    expect(await (await send(url)).text()).toBe("data: compressed\n\n");
  });
});

describe("stall limits", () => {
  it("rejects like a failed connection, with a ProviderStallError cause, when no headers come in time", async () => {
    const url = await serve(() => {}); // accepts and never answers
    const error = (await send(url, { headersMs: 100 }).catch((e: unknown) => e)) as TypeError & { cause: unknown };
    expect(error).toBeInstanceOf(TypeError);
    expect(error.cause).toBeInstanceOf(ProviderStallError);
    expect(error.cause).toMatchObject({ phase: "headers", limitMs: 100, message: "no response headers within 100 ms" });
  });

  it("errors the body when the server sends nothing for the idle limit while it is read", async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write("data: first\n\n"); // then stalls, connection open
    });
    const res = await send(url, { headersMs: 10_000 }, 150);
    expect(await next(res.chunks)).toBe("data: first\n\n");
    await expect(res.chunks.next()).rejects.toMatchObject({ name: "ProviderStallError", phase: "idle", message: "no data for 150 ms" });
  });

  it("does not count a slow reader as a stalled server", async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write("data: one\n\n");
      setTimeout(() => res.end("data: two\n\n"), 200); // two idle limits later, while the reader is busy
    });
    const res = await send(url, { headersMs: 10_000 }, 100);
    let text = (await next(res.chunks)) ?? "";
    await new Promise((r) => setTimeout(r, 300)); // the reader is busy for three idle limits
    for await (const chunk of res.chunks) text += chunk.toString("utf8");
    expect(text).toBe("data: one\n\ndata: two\n\n");
  });
});
