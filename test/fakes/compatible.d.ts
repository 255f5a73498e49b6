import { type Scenario } from "../../src/model/scenario.js";
import { type FakeServer, type FakeTurn, type RecordedRequest } from "./http.js";
/**
 * A fake Chat Completions server (POST /v1/chat/completions, SSE), the wire format Ollama,
 * llama.cpp server, vLLM and LM Studio speak. Flavors reproduce what each really sends:
 * - "openai" (also vLLM): role chunk with content "", thinking as `reasoning_content`, tool calls
 *   streamed piecewise by index, usage in its own chunk with empty `choices`;
 * - "ollama": thinking as `reasoning`, each tool call whole in one delta, usage chunk apart;
 * - "llamacpp": role chunk with content null, `reasoning_content`, piecewise tool calls, usage
 *   (and `timings`) on the finish chunk itself.
 * A scripted tool call with `id: ""` is sent without an id (servers that omit it); an absent
 * id gets `call_<request>_<n>`.
 */
export type CompatibleFlavor = "openai" | "ollama" | "llamacpp";
export interface CompatibleFakeOptions {
    flavor?: CompatibleFlavor;
    /** Pause between SSE frames, ms. */
    chunkDelayMs?: number;
}
export type CompatibleScript = FakeTurn[] | ((req: RecordedRequest, index: number) => FakeTurn);
type ReplyTurn = Extract<FakeTurn, {
    kind: "reply";
}>;
export declare function startCompatibleFake(script: CompatibleScript, opts?: CompatibleFakeOptions): Promise<FakeServer>;
/** Plays a Scenario: step N answers the request that already holds N assistant messages. */
export declare function compatibleFakeFromScenario(scenario: Scenario, opts?: Omit<CompatibleFakeOptions, "chunkDelayMs">): Promise<FakeServer>;
/** The whole SSE reply for one turn, `[DONE]` included. */
export declare function replyFrames(turn: ReplyTurn, n: number, flavor: CompatibleFlavor, model: string, includeUsage: boolean): string[];
export declare function errorBody(status: number, message: string): {
    error: {
        message: string;
        type: string;
        code: string | null;
    };
};
export {};
