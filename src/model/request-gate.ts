import { createHash } from "node:crypto";

/**
 * Where provider requests wait their turn when many processes share one provider account: the
 * worker of a scaled-out colleague installs a gate backed by Redis (src/queue/rate-limit.ts),
 * so ten workers do not send a storm of requests and then of 429s. Without a gate (one process,
 * the default) requests go at once. A gate must never throw: a broken gate lets requests through.
 */
export interface RequestGate {
  /** Resolves when a request under `key` may go; early (and without sending) once `signal` aborts. */
  acquire(key: string, signal?: AbortSignal): Promise<void>;
  /** The provider asked everyone to wait (a 429 with retry-after): every holder of the gate waits `ms`. */
  backOff(key: string, ms: number): void;
}

let installed: RequestGate | undefined;

/** Installs (or, with undefined, removes) the process's gate. */
export function setRequestGate(gate: RequestGate | undefined): void {
  installed = gate;
}

export const requestGate = (): RequestGate | undefined => installed;

/**
 * The limit a request counts against: the provider's host and a digest of the API key it sends
 * (never the key itself), so two accounts on one provider have limits of their own.
 */
export function gateKey(url: URL, headers: { get(name: string): string | null | undefined }): string {
  // The same key counts once however it is sent (x-api-key, Authorization: Bearer, api-key).
  const secret = (headers.get("x-api-key") ?? headers.get("authorization") ?? headers.get("api-key") ?? "").replace(/^Bearer\s+/i, "");
  const digest = secret ? createHash("sha256").update(secret).digest("hex").slice(0, 12) : "anonymous";
  return `${url.host}:${digest}`;
}
