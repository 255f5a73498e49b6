import http from "node:http";
import type https from "node:https";
import { Readable } from "node:stream";
import type tls from "node:tls";
import { proxyFor, tunnelHttpAgent, tunnelHttpsAgent } from "./proxy.js";
import { gateKey, type RequestGate, requestGate } from "./request-gate.js";
import { parseRetryAfter } from "./retry.js";
import { ProviderStallError, type StallLimits } from "./stall.js";

/**
 * A `fetch` for the provider SDKs, built on node:http instead of Node's built-in fetch (undici).
 *
 * Why: on Node 20, undici parses HTTP with a WebAssembly build of llhttp. Its first request
 * starts an optimising (TurboFan) compile of that module on a background thread, and the
 * process cannot exit until that compile ends: 150–300 ms of CPU and of wall time added to
 * every CLI run (measured with `node bench/profile.mjs hello`). node:http uses the native
 * llhttp and costs nothing of the sort. Only what the SDKs use is supported: string or bytes
 * bodies, streamed responses, abort signals, keep-alive, redirects; anything else (a streamed
 * request body) falls back to the built-in fetch.
 *
 * Failures look like the built-in fetch's to the SDKs: connection errors reject with
 * TypeError("fetch failed") whose `cause` carries the system code (ECONNREFUSED…); a body cut
 * mid-stream errors the stream with an error whose `code` is ECONNRESET; an abort rejects
 * (or errors the body) with a DOMException named AbortError.
 *
 * HTTPS_PROXY / HTTP_PROXY / NO_PROXY are honoured (proxy.ts): the built-in fetch of Node 20
 * ignores them, so this is also what lets colleague work behind a corporate proxy.
 *
 * `createProviderFetch(limits)` adds the stall limits (stall.ts): no response headers in time
 * rejects like a failed connection, and a body that sends nothing while it is read errors the
 * stream; both with a ProviderStallError as the cause, which the adapters report and retry.
 */

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

export type FetchFunction = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** The fetch for a provider's SDK client, with its stall limits, through the process's request gate when one is installed. */
export function createProviderFetch(limits: StallLimits): FetchFunction {
  return (input, init) => {
    const gate = requestGate();
    return gate ? fetchThroughGate(gate, input, init, limits) : fetchOverHttp(input, init, limits);
  };
}

/** Waits for the shared limit, and on a 429 that names a wait makes everyone sharing it wait. */
async function fetchThroughGate(gate: RequestGate, input: string | URL | Request, init: RequestInit = {}, limits: StallLimits): Promise<Response> {
  const key = gateKey(new URL(input instanceof Request ? input.url : input), new Headers(input instanceof Request ? input.headers : init.headers));
  await gate.acquire(key, init.signal ?? undefined);
  const response = await fetchOverHttp(input, init, limits);
  if (response.status === 429) {
    const wait = parseRetryAfter(response.headers);
    if (wait !== undefined) gate.backOff(key, wait);
  }
  return response;
}

/** The fetch without stall limits. */
export function httpFetch(input: string | URL | Request, init: RequestInit = {}): Promise<Response> {
  return fetchOverHttp(input, init, undefined);
}

async function fetchOverHttp(input: string | URL | Request, init: RequestInit = {}, limits: StallLimits | undefined): Promise<Response> {
  if (input instanceof Request || !sendable(init.body)) return fetch(input, init);
  let url = new URL(input);
  let method = (init.method ?? "GET").toUpperCase();
  let body = init.body as string | Uint8Array | ArrayBuffer | URLSearchParams | null | undefined;
  for (let redirects = 0; ; redirects++) {
    const res = await send(url, method, init, body, limits?.headersMs);
    const location = res.headers.location;
    if (!location || !isRedirect(res.statusCode) || redirects >= MAX_REDIRECTS || init.redirect === "manual") {
      return await toResponse(res, init.signal, limits?.idleMs);
    }
    res.resume();
    url = new URL(location, url);
    if (res.statusCode === 303 || ((res.statusCode === 301 || res.statusCode === 302) && method === "POST")) {
      method = "GET";
      body = undefined;
    }
  }
}

const isRedirect = (status = 0) => [301, 302, 303, 307, 308].includes(status);

function sendable(body: RequestInit["body"]): boolean {
  return (
    body === undefined ||
    body === null ||
    typeof body === "string" ||
    body instanceof Uint8Array ||
    body instanceof ArrayBuffer ||
    body instanceof URLSearchParams
  );
}

async function send(
  url: URL,
  method: string,
  init: RequestInit,
  body: string | Uint8Array | ArrayBuffer | URLSearchParams | null | undefined,
  headersTimeoutMs: number | undefined,
): Promise<http.IncomingMessage> {
  const signal = init.signal ?? undefined;
  const payload = body instanceof ArrayBuffer ? new Uint8Array(body) : body instanceof URLSearchParams ? body.toString() : body;
  const headers: Record<string, string> = {};
  for (const [k, v] of new Headers(init.headers)) headers[k] = v;
  if (payload !== undefined && payload !== null && headers["content-length"] === undefined) {
    headers["content-length"] = String(typeof payload === "string" ? Buffer.byteLength(payload) : payload.byteLength);
  }
  if (body instanceof URLSearchParams && !headers["content-type"]) headers["content-type"] = "application/x-www-form-urlencoded;charset=UTF-8";
  const transport = await transportFor(url);
  if (!transport) throw new TypeError("fetch failed", { cause: new Error(`unsupported protocol ${url.protocol}`) });
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError(signal));
    const req = transport.request(url, { method, headers, agent: transport.agent });
    const onAbort = () => req.destroy(abortError(signal!));
    signal?.addEventListener("abort", onAbort, { once: true });
    // Connect, send and wait for the headers: all of it counts, since any of them can hang.
    const stalled = headersTimeoutMs ? setTimeout(() => req.destroy(new ProviderStallError("headers", headersTimeoutMs)), headersTimeoutMs) : undefined;
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
    req.end(payload ?? undefined);
  });
}

async function toResponse(res: http.IncomingMessage, signal: AbortSignal | null | undefined, idleTimeoutMs?: number): Promise<Response> {
  const headers = new Headers();
  for (let i = 0; i < res.rawHeaders.length; i += 2) headers.append(res.rawHeaders[i]!, res.rawHeaders[i + 1]!);
  // The SDKs ask for no compression, but a proxy may compress anyway; decode as fetch would.
  const encoding = headers.get("content-encoding")?.trim().toLowerCase();
  const decoded = encoding && ["gzip", "x-gzip", "deflate", "br"].includes(encoding) ? await decompress(res, encoding) : res;
  const status = res.statusCode ?? 500;
  const nullBody = status === 204 || status === 304 || status < 200;
  if (signal) {
    // Abort mid-body: the body stream errors with AbortError, as with the built-in fetch.
    const onAbort = () => res.destroy(abortError(signal));
    signal.addEventListener("abort", onAbort, { once: true });
    res.once("close", () => signal.removeEventListener("abort", onAbort));
  }
  // A connection cut mid-body surfaces as `aborted` / ECONNRESET on the stream.
  res.once("aborted", () => res.destroy(Object.assign(new Error("terminated"), { code: "ECONNRESET" })));
  if (nullBody) res.resume();
  const web = nullBody ? null : (Readable.toWeb(decoded) as ReadableStream<Uint8Array>);
  const body = web && idleTimeoutMs ? withIdleLimit(web, idleTimeoutMs, (error) => res.destroy(error)) : web;
  return new Response(body, { status, statusText: res.statusMessage ?? "", headers });
}

/**
 * Errors the body when a read waits longer than `idleMs` for its chunk. The clock runs only
 * while the reader waits (highWaterMark 0: nothing is pulled ahead), so a slow consumer never
 * counts as a stalled server.
 */
function withIdleLimit(source: ReadableStream<Uint8Array>, idleMs: number, destroy: (error: Error) => void): ReadableStream<Uint8Array> {
  const reader = source.getReader();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        let timer: NodeJS.Timeout | undefined;
        const stall = new Promise<"stalled">((resolve) => {
          timer = setTimeout(() => resolve("stalled"), idleMs);
        });
        const next = await Promise.race([reader.read(), stall]).finally(() => clearTimeout(timer));
        if (next === "stalled") {
          const error = new ProviderStallError("idle", idleMs);
          controller.error(error);
          destroy(error); // the socket goes too: a stalled connection is not reused
          reader.cancel(error).catch(() => undefined);
          return;
        }
        if (next.done) controller.close();
        else controller.enqueue(next.value);
      },
      cancel(reason) {
        return reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
}

async function decompress(res: http.IncomingMessage, encoding: string): Promise<Readable> {
  const zlib = await import("node:zlib");
  const decoder =
    encoding === "br" ? zlib.createBrotliDecompress() : encoding === "deflate" ? zlib.createInflate() : zlib.createGunzip();
  // Errors of the source (a cut, an abort) reach the reader through the decoder.
  res.on("error", (error) => decoder.destroy(error));
  return res.pipe(decoder);
}

function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof DOMException && reason.name === "AbortError" ? reason : new DOMException("This operation was aborted", "AbortError");
}
