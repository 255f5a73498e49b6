import type { AgentEvent } from "../src/agent/events.js";
import type { Scenario } from "../src/model/scenario.js";
import { type SessionOptions } from "../src/session/session.js";
/** A temp folder holding the given files (path → content). */
export declare function tempRepo(files?: Record<string, string>): string;
/** Runs a scripted scenario as a session in an in-memory store; returns the result and every event. */
export declare function runScenario(scenario: Scenario, options?: Partial<SessionOptions> & {
    task?: string;
    cwd?: string;
}): Promise<{
    result: import("../src/session/session.js").SessionResult;
    events: AgentEvent[];
    store: import("../src/index.js").SessionStore;
}>;
export declare const ofType: <T extends AgentEvent["type"]>(events: AgentEvent[], type: T) => (Extract<{
    seq: number;
    sessionId: string;
    agentId: string;
    time: string;
} & {
    type: "session_started";
    task: string;
    model: string;
    cwd: string;
    system: string;
    tools: string[];
    effort?: string | undefined;
    maxSteps?: number | undefined;
    budgetUsd?: number | undefined;
    budgetTokens?: number | undefined;
}, {
    type: T;
}> | Extract<{
    seq: number;
    sessionId: string;
    agentId: string;
    time: string;
} & {
    type: "session_resumed";
    step: number;
    interruptedCalls: string[];
}, {
    type: T;
}> | Extract<{
    seq: number;
    sessionId: string;
    agentId: string;
    time: string;
} & {
    type: "user_message";
    text: string;
    kind: "continue" | "task" | "steer" | "queue";
}, {
    type: T;
}> | Extract<{
    seq: number;
    sessionId: string;
    agentId: string;
    time: string;
} & {
    type: "step_started";
    step: number;
    effort?: string | undefined;
}, {
    type: T;
}> | Extract<{
    seq: number;
    sessionId: string;
    agentId: string;
    time: string;
} & {
    type: "text_delta";
    delta: string;
}, {
    type: T;
}> | Extract<{
    seq: number;
    sessionId: string;
    agentId: string;
    time: string;
} & {
    type: "thinking_delta";
    delta: string;
}, {
    type: T;
}> | Extract<{
    seq: number;
    sessionId: string;
    agentId: string;
    time: string;
} & {
    type: "tool_call_delta";
    callId: string;
    delta: string;
    name?: string | undefined;
}, {
    type: T;
}> | Extract<{
    seq: number;
    sessionId: string;
    agentId: string;
    time: string;
} & {
    type: "model_retry";
    attempt: number;
    delayMs: number;
    error: {
        kind: string;
        message: string;
        status?: number | undefined;
    };
}, {
    type: T;
}> | Extract<{
    seq: number;
    sessionId: string;
    agentId: string;
    time: string;
} & {
    type: "assistant_message";
    message: import("../src/index.js").AssistantMessage;
    costUsd: number;
}, {
    type: T;
}> | Extract<{
    seq: number;
    sessionId: string;
    agentId: string;
    time: string;
} & {
    type: "tool_started";
    callId: string;
    name: string;
    args: unknown;
}, {
    type: T;
}> | Extract<{
    seq: number;
    sessionId: string;
    agentId: string;
    time: string;
} & {
    type: "tool_output";
    callId: string;
    chunk: string;
}, {
    type: T;
}> | Extract<{
    seq: number;
    sessionId: string;
    agentId: string;
    time: string;
} & {
    type: "tool_finished";
    callId: string;
    name: string;
    content: import("../src/index.js").UserPart[];
    isError: boolean;
    durationMs: number;
    details?: Record<string, unknown> | undefined;
}, {
    type: T;
}> | Extract<{
    seq: number;
    sessionId: string;
    agentId: string;
    time: string;
} & {
    type: "step_finished";
    step: number;
    usage: {
        input: number;
        output: number;
        cacheRead: number;
        cacheWrite: number;
        reasoning: number;
    };
    costUsd: number;
}, {
    type: T;
}> | Extract<{
    seq: number;
    sessionId: string;
    agentId: string;
    time: string;
} & {
    type: "model_error";
    error: {
        kind: string;
        message: string;
        status?: number | undefined;
    };
}, {
    type: T;
}> | Extract<{
    seq: number;
    sessionId: string;
    agentId: string;
    time: string;
} & {
    type: "session_finished";
    status: "error" | "aborted" | "budget" | "running" | "completed" | "max_steps" | "refused";
    steps: number;
    usage: {
        input: number;
        output: number;
        cacheRead: number;
        cacheWrite: number;
        reasoning: number;
    };
    costUsd: number;
    durationMs: number;
    answer?: string | undefined;
    error?: string | undefined;
}, {
    type: T;
}>)[];
