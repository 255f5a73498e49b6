import { z } from "zod";

/**
 * A scenario is a scripted conversation: what the model "says" at each step. The scripted
 * model plays it, and the fake provider servers in test/fakes/ speak it in each wire format.
 * Step N answers the request that already holds N assistant messages, so a scenario replays
 * deterministically after a resume.
 */
export const ScenarioToolCall = z.object({
  id: z.string().optional(),
  name: z.string(),
  args: z.record(z.string(), z.unknown()).optional(),
  /** Raw argument text sent instead of `args` (to script malformed JSON). */
  rawArgs: z.string().optional(),
});

export const ScenarioExpect = z.object({
  /** Each string must occur in the text of the newest non-assistant message(s) of the request. */
  lastMessageIncludes: z.array(z.string()).optional(),
  /** The newest tool results must all be successes (true) or include a failure (false). */
  toolResultsOk: z.boolean().optional(),
  /** Each string must occur in the system prompt. */
  systemIncludes: z.array(z.string()).optional(),
});

export const ScenarioStep = z.object({
  thinking: z.string().optional(),
  text: z.string().optional(),
  toolCalls: z.array(ScenarioToolCall).optional(),
  expect: ScenarioExpect.optional(),
  /** Fail this step with a provider-like error instead of answering. */
  error: z.object({ status: z.number().int(), message: z.string() }).optional(),
  /** Extra pause before answering, ms (makes a long step for steering and crash tests). */
  delayMs: z.number().nonnegative().optional(),
  usage: z.object({ input: z.number(), output: z.number() }).partial().optional(),
});

export const Scenario = z.object({
  name: z.string().optional(),
  description: z.string().optional(),
  /** Pause between streamed chunks, ms: 0 for tests, ~20 for a demo that looks live. */
  chunkDelayMs: z.number().nonnegative().optional(),
  steps: z.array(ScenarioStep).min(1),
});

export type ScenarioToolCall = z.infer<typeof ScenarioToolCall>;
export type ScenarioStep = z.infer<typeof ScenarioStep>;
export type Scenario = z.infer<typeof Scenario>;

/** Stable tool call id for step `step`, call `index`, unless the scenario names one. */
export function scenarioCallId(call: ScenarioToolCall, step: number, index: number): string {
  return call.id ?? `call_${step}_${index}`;
}

/** The argument text a scripted call sends. */
export function scenarioArgsText(call: ScenarioToolCall): string {
  return call.rawArgs ?? JSON.stringify(call.args ?? {});
}
