import type { Readable } from "node:stream";
import { openHttp, readText, responseBody } from "./http-request.js";
import { gateKey, requestGate } from "./request-gate.js";
import { parseRetryAfter } from "./retry.js";
import type { StallLimits } from "./stall.js";

/**
 * One JSON POST to a provider, as the adapters that speak their API themselves (Anthropic's,
 * OpenAI's Responses) send it: through the process's request gate when one is installed (a 429
 * with retry-after makes everyone sharing the limit wait), over http-request.ts.
 */

/** The request never got a response: refused, reset, DNS, TLS, or no headers in time (a ProviderStallError cause). */
export class ProviderConnectionError extends Error {
  override name = "ProviderConnectionError";
}

export interface ProviderResponse {
  status: number;
  headers: Record<string, string | undefined>;
  /** Decompressed; errors with AbortError on abort and ECONNRESET when cut. */
  body: Readable;
}

/** Lower-cases header names; of two spellings of one name the later wins; undefined values are left out. */
export const lowerCased = (headers: Record<string, string | undefined>): Record<string, string> =>
  Object.fromEntries(Object.entries(headers).flatMap(([k, v]) => (v === undefined ? [] : [[k.toLowerCase(), v]])));

export async function postJson(url: URL, headers: Record<string, string>, params: object, signal: AbortSignal | undefined, limits?: StallLimits): Promise<ProviderResponse> {
  const gate = requestGate();
  const key = gate ? gateKey(url, { get: (name) => headers[name.toLowerCase()] }) : "";
  if (gate) await gate.acquire(key, signal);
  let res: Awaited<ReturnType<typeof openHttp>>;
  try {
    res = await openHttp(url, { method: "POST", headers, body: JSON.stringify(params), signal, ...(limits ? { headersMs: limits.headersMs } : {}) });
  } catch (error) {
    if (error instanceof DOMException && error.name === "AbortError") throw error;
    throw new ProviderConnectionError(`cannot reach ${url.origin}`, { cause: error instanceof TypeError && error.cause ? error.cause : error });
  }
  const response = { status: res.statusCode ?? 500, headers: res.headers as Record<string, string | undefined>, body: await responseBody(res, signal) };
  if (gate && response.status === 429) {
    const wait = parseRetryAfter(response.headers);
    if (wait !== undefined) gate.backOff(key, wait);
  }
  return response;
}

/** An error response's body: its JSON when it is JSON, else its text on one line. */
export async function errorBody(response: ProviderResponse, idleMs?: number): Promise<{ json: unknown; text: string }> {
  const text = await readText(response.body, idleMs).catch(() => "");
  try {
    return { json: JSON.parse(text), text };
  } catch {
    return { json: undefined, text: text.replace(/\s+/g, " ").trim().slice(0, 500) };
  }
}
