import http from "node:http";
import type https from "node:https";
import type { Readable } from "node:stream";
import type tls from "node:tls";
import { proxyFor, tunnelHttpAgent, tunnelHttpsAgent } from "./proxy.js";
import { ProviderStallError } from "./stall.js";

/**
 * Provider requests over node:http: the transport under every adapter (provider-post.ts sends
 * their JSON requests through it).
 *
 * Why not Node's built-in fetch (undici): on Node 20 undici parses HTTP with a WebAssembly build
 * of llhttp whose optimising compile holds the process 150–300 ms at exit, and loading undici at
 * all (any `Headers`, `Response` or `fetch`) costs ~40 ms of a CLI start. node:http uses the
 * native llhttp. HTTPS_PROXY / HTTP_PROXY / NO_PROXY are honoured (proxy.ts), which the built-in
 * fetch of Node 20 does not do.
 *
 * Failures look like the built-in fetch's: a connection that fails rejects with
 * TypeError("fetch failed") whose `cause` carries the system code (ECONNREFUSED…), or a
 * ProviderStallError when no headers came in time; an abort rejects (or errors the body) with a
 * DOMException named AbortError; a body cut mid-stream errors with code ECONNRESET.
 */

export interface HttpRequest {
  method: string;
  /** Lower-case names. */
  headers: Record<string, string>;
  body?: string | Uint8Array | null;
  signal?: AbortSignal | null;
  /** From sending to the response headers (connect included), ms. */
  headersMs?: number;
  /** "manual": a redirect is returned as it came, not followed. */
  redirect?: "follow" | "manual";
}

// Idle keep-alive sockets are unref'd by the agent, so they never keep the process alive.
const httpAgent = new http.Agent({ keepAlive: true });
let httpsTransport: Promise<{ https: typeof https; tls: typeof tls; agent: https.Agent }> | undefined;
/** Agents that tunnel through a proxy (HTTPS_PROXY / HTTP_PROXY; see proxy.ts), one per proxy and scheme. */
const proxyAgents = new Map<string, http.Agent>();

/** node:https (TLS) loads only for https URLs: a local model server skips its ~10 ms. */
async function transportFor(url: URL): Promise<{ request: typeof http.request; agent: http.Agent } | undefined> {
  if (url.protocol !== "http:" && url.protocol !== "https:") return undefined;
  const proxy = proxyFor(url);
  if (url.protocol === "http:") {
    if (!proxy) return { request: http.request, agent: httpAgent };
    const key = `http ${proxy.href}`;
    if (!proxyAgents.has(key)) proxyAgents.set(key, tunnelHttpAgent(proxy));
    return { request: http.request, agent: proxyAgents.get(key)! };
  }
  httpsTransport ??= Promise.all([import("node:https"), import("node:tls")]).then(([h, t]) => ({
    https: h.default,
    tls: t.default,
    agent: new h.default.Agent({ keepAlive: true }),
  }));
  const { https, tls, agent } = await httpsTransport;
  if (!proxy) return { request: https.request as typeof http.request, agent };
  const key = `https ${proxy.href}`;
  if (!proxyAgents.has(key)) proxyAgents.set(key, tunnelHttpsAgent(proxy, https, tls));
  return { request: https.request as typeof http.request, agent: proxyAgents.get(key)! };
}

const MAX_REDIRECTS = 5;
const isRedirect = (status = 0) => [301, 302, 303, 307, 308].includes(status);

/** Sends the request, following redirects as fetch does; resolves with the response once its headers are in. */
export async function openHttp(url: URL, request: HttpRequest): Promise<http.IncomingMessage> {
  let method = request.method.toUpperCase();
  let body = request.body;
  for (let redirects = 0; ; redirects++) {
    const res = await send(url, method, request, body);
    const location = res.headers.location;
    if (!location || !isRedirect(res.statusCode) || redirects >= MAX_REDIRECTS || request.redirect === "manual") return res;
    res.resume();
    url = new URL(location, url);
    if (res.statusCode === 303 || ((res.statusCode === 301 || res.statusCode === 302) && method === "POST")) {
      method = "GET";
      body = undefined;
    }
  }
}

async function send(url: URL, method: string, request: HttpRequest, body: HttpRequest["body"]): Promise<http.IncomingMessage> {
  const signal = request.signal ?? undefined;
  const headers = { ...request.headers };
  if (body !== undefined && body !== null && headers["content-length"] === undefined) {
    headers["content-length"] = String(typeof body === "string" ? Buffer.byteLength(body) : body.byteLength);
  }
  const transport = await transportFor(url);
  if (!transport) throw new TypeError("fetch failed", { cause: new Error(`unsupported protocol ${url.protocol}`) });
  const headersMs = request.headersMs;
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError(signal));
    const req = transport.request(url, { method, headers, agent: transport.agent });
    const onAbort = () => req.destroy(abortError(signal!));
    signal?.addEventListener("abort", onAbort, { once: true });
    // Connect, send and wait for the headers: all of it counts, since any of them can hang.
    const stalled = headersMs ? setTimeout(() => req.destroy(new ProviderStallError("headers", headersMs)), headersMs) : undefined;
    req.on("response", (res) => {
      clearTimeout(stalled);
      signal?.removeEventListener("abort", onAbort);
      resolve(res);
    });
    req.on("error", (error) => {
      clearTimeout(stalled);
      signal?.removeEventListener("abort", onAbort);
      reject(signal?.aborted ? abortError(signal) : new TypeError("fetch failed", { cause: error }));
    });
    req.end(body ?? undefined);
  });
}

/**
 * The response's body, decompressed when a proxy compressed it anyway (the requests ask for no
 * compression), erroring with an AbortError when `signal` fires and with ECONNRESET when the
 * connection is cut mid-body.
 */
export async function responseBody(res: http.IncomingMessage, signal?: AbortSignal | null): Promise<Readable> {
  if (signal) {
    const onAbort = () => res.destroy(abortError(signal));
    signal.addEventListener("abort", onAbort, { once: true });
    res.once("close", () => signal.removeEventListener("abort", onAbort));
  }
  res.once("aborted", () => res.destroy(Object.assign(new Error("terminated"), { code: "ECONNRESET" })));
  const encoding = res.headers["content-encoding"]?.trim().toLowerCase();
  return encoding && ["gzip", "x-gzip", "deflate", "br"].includes(encoding) ? decompress(res, encoding) : res;
}

async function decompress(res: http.IncomingMessage, encoding: string): Promise<Readable> {
  const zlib = await import("node:zlib");
  const decoder =
    encoding === "br" ? zlib.createBrotliDecompress() : encoding === "deflate" ? zlib.createInflate() : zlib.createGunzip();
  // Errors of the source (a cut, an abort) reach the reader through the decoder.
  res.on("error", (error) => decoder.destroy(error));
  return res.pipe(decoder);
}

/**
 * The body's chunks, erroring with a ProviderStallError when one is awaited longer than `idleMs`.
 * The clock runs only while the reader waits, so a slow consumer never counts as a stalled server.
 */
export async function* idleLimited(body: Readable, idleMs: number | undefined): AsyncGenerator<Buffer> {
  const chunks = body[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  try {
    for (;;) {
      let timer: NodeJS.Timeout | undefined;
      const stall = idleMs
        ? new Promise<"stalled">((resolve) => {
            timer = setTimeout(() => resolve("stalled"), idleMs);
          })
        : undefined;
      const next = await (stall ? Promise.race([chunks.next(), stall]) : chunks.next()).finally(() => clearTimeout(timer));
      if (next === "stalled") {
        const error = new ProviderStallError("idle", idleMs!);
        body.destroy(error); // the socket goes too: a stalled connection is not reused
        throw error;
      }
      if (next.done) return;
      yield next.value;
    }
  } finally {
    if (!body.destroyed && !body.readableEnded) body.destroy();
  }
}

/** The whole body as text (an error's JSON), within the idle limit. */
export async function readText(body: Readable, idleMs?: number): Promise<string> {
  const parts: Buffer[] = [];
  for await (const chunk of idleLimited(body, idleMs)) parts.push(chunk);
  return Buffer.concat(parts).toString("utf8");
}

export function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof DOMException && reason.name === "AbortError" ? reason : new DOMException("This operation was aborted", "AbortError");
}
