import http from "node:http";
import type { AddressInfo } from "node:net";

/** One request as the fake server received it. */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  /** Parsed JSON body (undefined if none or not JSON). */
  body: unknown;
  rawBody: string;
}

export interface FakeServer {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export type FakeHandler = (req: RecordedRequest, res: http.ServerResponse) => void | Promise<void>;

/** Starts an HTTP server on 127.0.0.1 with a random port that records every request. */
export async function startFakeServer(handler: FakeHandler): Promise<FakeServer> {
  const requests: RecordedRequest[] = [];
  const sockets = new Set<import("node:net").Socket>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const rawBody = Buffer.concat(chunks).toString("utf8");
      let body: unknown;
      try {
        body = rawBody ? JSON.parse(rawBody) : undefined;
      } catch {
        body = undefined;
      }
      const recorded: RecordedRequest = {
        method: req.method ?? "GET",
        path: (req.url ?? "/").split("?")[0]!,
        headers: req.headers,
        body,
        rawBody,
      };
      requests.push(recorded);
      Promise.resolve(handler(recorded, res)).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: String(error) }));
      });
    });
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Writes one SSE frame. `event` omitted gives a data-only frame (Chat Completions style). */
export function sseFrame(data: unknown, event?: string): string {
  const payload = typeof data === "string" ? data : JSON.stringify(data);
  return `${event ? `event: ${event}\n` : ""}data: ${payload}\n\n`;
}

export function writeJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

/** Sends nothing more and keeps the connection open until the client gives up (or the server closes). */
export function hang(res: http.ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    if (res.destroyed || res.socket?.destroyed) return resolve();
    res.once("close", () => resolve());
  });
}

/**
 * Streams SSE frames. `cutAfter` destroys the socket after that many frames, mid-response,
 * the way a dropped connection looks to a client. `stallAfter` sends that many frames (0:
 * headers only) and then nothing, with the connection left open, the way a stalled server does.
 */
export async function streamSse(
  res: http.ServerResponse,
  frames: string[],
  options: { headers?: Record<string, string>; cutAfter?: number; stallAfter?: number; delayMs?: number } = {},
): Promise<void> {
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive", ...options.headers });
  res.flushHeaders();
  for (let i = 0; i < frames.length; i++) {
    if (options.stallAfter !== undefined && i >= options.stallAfter) return hang(res);
    if (options.cutAfter !== undefined && i >= options.cutAfter) {
      // Half a frame, then the connection drops.
      res.write(frames[i]!.slice(0, Math.floor(frames[i]!.length / 2)));
      await new Promise((r) => setTimeout(r, 5));
      res.socket?.destroy();
      return;
    }
    res.write(frames[i]);
    if (options.delayMs) await new Promise((r) => setTimeout(r, options.delayMs));
  }
  res.end();
}

/** What a fake answers to one request: a scripted reply or an HTTP error. */
export type FakeTurn =
  | {
      kind: "reply";
      thinking?: string;
      /** Anthropic only: a redacted_thinking block with this opaque data. */
      redactedThinking?: string;
      text?: string;
      toolCalls?: { id?: string; name: string; args?: Record<string, unknown>; rawArgs?: string }[];
      usage?: { input?: number; output?: number; cacheRead?: number; cacheWrite?: number; reasoning?: number };
      /** Drop the connection after this many SSE frames. */
      cutAfter?: number;
      /** Replace frame N with a malformed one (invalid JSON). */
      malformedAt?: number;
      /** Send this many SSE frames (0: the headers only), then nothing, keeping the connection open. */
      stallAfter?: number;
    }
  | { kind: "error"; status: number; headers?: Record<string, string>; body?: unknown }
  /** Accept the request and never answer: no status line, no headers. */
  | { kind: "hang" };

/** Splits text into `n` roughly equal pieces (to stream deltas realistically). */
export function splitInto(text: string, n: number): string[] {
  if (!text) return [];
  const size = Math.max(1, Math.ceil(text.length / n));
  const pieces: string[] = [];
  for (let i = 0; i < text.length; i += size) pieces.push(text.slice(i, i + size));
  return pieces;
}
