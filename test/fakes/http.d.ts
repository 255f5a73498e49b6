import http from "node:http";
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
export declare function startFakeServer(handler: FakeHandler): Promise<FakeServer>;
/** Writes one SSE frame. `event` omitted gives a data-only frame (Chat Completions style). */
export declare function sseFrame(data: unknown, event?: string): string;
export declare function writeJson(res: http.ServerResponse, status: number, body: unknown, headers?: Record<string, string>): void;
/**
 * Streams SSE frames. `cutAfter` destroys the socket after that many frames, mid-response,
 * the way a dropped connection looks to a client.
 */
export declare function streamSse(res: http.ServerResponse, frames: string[], options?: {
    headers?: Record<string, string>;
    cutAfter?: number;
    delayMs?: number;
}): Promise<void>;
/** What a fake answers to one request: a scripted reply or an HTTP error. */
export type FakeTurn = {
    kind: "reply";
    thinking?: string;
    /** Anthropic only: a redacted_thinking block with this opaque data. */
    redactedThinking?: string;
    text?: string;
    toolCalls?: {
        id?: string;
        name: string;
        args?: Record<string, unknown>;
        rawArgs?: string;
    }[];
    usage?: {
        input?: number;
        output?: number;
        cacheRead?: number;
        cacheWrite?: number;
        reasoning?: number;
    };
    /** Drop the connection after this many SSE frames. */
    cutAfter?: number;
    /** Replace frame N with a malformed one (invalid JSON). */
    malformedAt?: number;
} | {
    kind: "error";
    status: number;
    headers?: Record<string, string>;
    body?: unknown;
};
/** Splits text into `n` roughly equal pieces (to stream deltas realistically). */
export declare function splitInto(text: string, n: number): string[];
