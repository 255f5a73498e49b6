import type http from "node:http";
import { Readable } from "node:stream";
import { openHttp, responseBody } from "./http-request.js";
import { gateKey, type RequestGate, requestGate } from "./request-gate.js";
import { parseRetryAfter } from "./retry.js";
import { ProviderStallError, type StallLimits } from "./stall.js";

/**
 * A `fetch` for the provider SDKs (OpenAI's), on colleague's node:http transport
 * (http-request.ts: why not undici, proxies, how failures look). Only what the SDKs use is
 * supported: string or bytes bodies, streamed responses, abort signals, keep-alive, redirects;
 * anything else (a streamed request body) falls back to the built-in fetch.
 *
 * `createProviderFetch(limits)` adds the stall limits (stall.ts): no response headers in time
 * rejects like a failed connection, and a body that sends nothing while it is read errors the
 * stream; both with a ProviderStallError as the cause, which the adapters report and retry.
 */

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
  const body = init.body as string | Uint8Array | ArrayBuffer | URLSearchParams | null | undefined;
  const headers: Record<string, string> = {};
  for (const [k, v] of new Headers(init.headers)) headers[k] = v;
  if (body instanceof URLSearchParams && !headers["content-type"]) headers["content-type"] = "application/x-www-form-urlencoded;charset=UTF-8";
  const res = await openHttp(new URL(input), {
    method: init.method ?? "GET",
    headers,
    body: body instanceof ArrayBuffer ? new Uint8Array(body) : body instanceof URLSearchParams ? body.toString() : body,
    signal: init.signal,
    ...(limits ? { headersMs: limits.headersMs } : {}),
    redirect: init.redirect === "manual" ? "manual" : "follow",
  });
  return toResponse(res, init.signal, limits?.idleMs);
}

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

async function toResponse(res: http.IncomingMessage, signal: AbortSignal | null | undefined, idleTimeoutMs?: number): Promise<Response> {
  const headers = new Headers();
  for (let i = 0; i < res.rawHeaders.length; i += 2) headers.append(res.rawHeaders[i]!, res.rawHeaders[i + 1]!);
  const status = res.statusCode ?? 500;
  const nullBody = status === 204 || status === 304 || status < 200;
  const decoded = await responseBody(res, signal);
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
