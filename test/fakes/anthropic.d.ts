import { type Scenario } from "../../src/model/scenario.js";
import { type FakeServer, type FakeTurn, type RecordedRequest } from "./http.js";
/**
 * A protocol-faithful fake of POST /v1/messages (Anthropic Messages API, streaming).
 * It requires an API key (x-api-key or Authorization: Bearer) and an anthropic-version header.
 * Frames follow the documented order: message_start, ping, per block content_block_start /
 * content_block_delta… / content_block_stop, message_delta, message_stop. Errors use the
 * real body shape {type: "error", error: {type, message}} and a request-id header.
 * FakeTurn's `cutAfter` / `malformedAt` count frames: 0 is message_start, 1 the ping, 2 the
 * first content_block_start, and so on.
 */
/** A FakeTurn plus timing, so a step can be slow (steering, abort and crash tests). */
export type AnthropicFakeTurn = FakeTurn & {
    /** Wait this long before answering, ms. */
    delayMs?: number;
    /** Pause between SSE frames, ms. */
    chunkDelayMs?: number;
};
export type AnthropicFakeScript = AnthropicFakeTurn[] | ((req: RecordedRequest, index: number) => AnthropicFakeTurn);
export interface AnthropicFakeOptions {
    /** Default pause between SSE frames, ms (a turn's chunkDelayMs wins). */
    chunkDelayMs?: number;
    /** The model name echoed in message_start when the request names none. */
    model?: string;
}
type ReplyTurn = Extract<FakeTurn, {
    kind: "reply";
}>;
/** The error body the API sends for `status`. */
export declare function anthropicErrorBody(status: number, message: string): {
    type: "error";
    error: {
        type: string;
        message: string;
    };
};
export declare function startAnthropicFake(script: AnthropicFakeScript, opts?: AnthropicFakeOptions): Promise<FakeServer>;
/** The API key a request carries, from `x-api-key` or `authorization: Bearer`. */
export declare function apiKeyOf(req: RecordedRequest): string | undefined;
export type WireEvent = {
    type: string;
} & Record<string, unknown>;
/** The SSE events (as JSON objects) the API would send for `turn`, in order. */
export declare function anthropicReplyEvents(turn: ReplyTurn, ctx: {
    model: string;
    index: number;
    inputTokens?: number;
}): WireEvent[];
/**
 * A script that plays `scenario`: step N answers the request that already holds N assistant
 * messages, so retries and resumed sessions get the same answer. Use it as
 * `startAnthropicFake(anthropicFakeFromScenario(scenario))`.
 */
export declare function anthropicFakeFromScenario(scenario: Scenario): (req: RecordedRequest) => AnthropicFakeTurn;
export {};
