import { type Scenario } from "../../src/model/scenario.js";
import { type FakeServer, type FakeTurn, type RecordedRequest } from "./http.js";
/**
 * A fake OpenAI Responses API (POST /v1/responses) that streams the way OpenAI documents it:
 * `event: <type>` + `data: <json>` frames, each event with `type` and an increasing
 * `sequence_number`, no `[DONE]`, and the full response object in `response.completed`.
 */
/** A reply with pacing, as the scenario fake needs it. */
type PacedReply = Extract<FakeTurn, {
    kind: "reply";
}> & {
    delayMs?: number;
    chunkDelayMs?: number;
};
/** FakeTurn plus the OpenAI-only endings a test may script. */
export type OpenAIFakeTurn = PacedReply | Extract<FakeTurn, {
    kind: "error";
}>
/** Streams `text` (if any), then fails with `response.failed` or an `error` event. */
 | {
    kind: "failed";
    event: "response.failed" | "error";
    code: string;
    message: string;
    text?: string;
}
/** Streams `text`, then `response.incomplete` with this reason. */
 | {
    kind: "incomplete";
    reason: "max_output_tokens" | "content_filter";
    text: string;
}
/** Starts a reply with `text`, then sends nothing more until the client hangs up. */
 | {
    kind: "stall";
    text: string;
};
export type OpenAIScript = OpenAIFakeTurn[] | ((req: RecordedRequest, index: number) => OpenAIFakeTurn);
export interface OpenAIFakeServer extends FakeServer {
    /** The final response object of each streamed reply, as sent (to compare replayed items with). */
    responses: Record<string, unknown>[];
}
export declare function startOpenAIFake(script: OpenAIScript): Promise<OpenAIFakeServer>;
/**
 * Plays a scenario over the OpenAI wire format: step N answers the request whose input holds
 * N assistant turns, so a resumed session gets the same answers. Point OPENAI_BASE_URL at
 * `${url}/v1` to drive the CLI end to end.
 */
export declare function openaiFakeFromScenario(scenario: Scenario): Promise<OpenAIFakeServer>;
/** An assistant turn is a contiguous run of reasoning, assistant message and function_call items. */
export declare function countAssistantTurns(input: Record<string, unknown>[]): number;
export {};
