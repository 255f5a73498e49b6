import type { Effort, Message, ToolCallPart, ToolResultMessage } from "../model/types.js";

/** What a user may ask for: a fixed effort, or `auto` (chosen per step by `chooseEffort`). */
export type EffortSetting = Effort | "auto";

export const EFFORT_SETTINGS: readonly EffortSetting[] = ["low", "medium", "high", "max", "auto"];

export const isEffortSetting = (value: unknown): value is EffortSetting =>
  typeof value === "string" && (EFFORT_SETTINGS as readonly string[]).includes(value);

/** What `chooseEffort` looks at before a model request. */
export interface EffortSituation {
  /** The step about to start (1 = the first request of the session). */
  step: number;
  /** The conversation so far, including what was just appended (tool results, steering). */
  messages: readonly Message[];
  /** A steering message joined the turn just before this request. */
  steered: boolean;
}

export interface EffortChoice {
  effort: Effort;
  reason: string;
}

/** Tools that only look: a step made only of these is gathering context, not deciding. */
const LOOKING_TOOLS = new Set(["read_file", "list", "glob", "grep"]);
const EDITING_TOOLS = new Set(["edit_file", "write_file", "apply_patch"]);
const FAILING_TESTS = /\b(\d+ (failed|failing)|FAIL(ED)?\b|AssertionError|Tests?:\s+\d+ failed|not ok \d+)/;
const AMBIGUOUS = /\b(why|design|architect\w*|refactor\w*|investigate|plan|migrate|redesign|figure out|explore|improve|optimi[sz]e)\b/i;

/**
 * `auto` effort: a small pure policy. Think hard where a mistake is expensive (planning,
 * recovering from failures, a correction from the user, a file edited again and again) and
 * lightly where the step is routine (reading what was just listed, a small concrete task).
 * Rules are checked in order; the first that applies wins.
 */
export function chooseEffort(situation: EffortSituation): EffortChoice {
  const { messages } = situation;
  if (situation.steered) return { effort: "high", reason: "steering correction just received" };

  const calls = recentCalls(messages, 6);
  const edits = calls.filter((c) => EDITING_TOOLS.has(c.name)).map((c) => pathOf(c.args)).filter((p): p is string => !!p);
  const hotFile = mostCommon(edits);
  if (hotFile && hotFile.count >= 3) return { effort: "max", reason: `repeated edits to ${hotFile.value}: rethink the approach` };

  const failures = failingSteps(messages);
  if (failures >= 2) return { effort: "max", reason: `${failures} steps in a row with failing tools or tests` };
  if (failures === 1) {
    const last = lastResults(messages);
    const tests = last.some((r) => FAILING_TESTS.test(textOfResult(r)));
    return { effort: "high", reason: tests ? "tests are failing" : "a tool call just failed" };
  }

  if (situation.step <= 1) {
    const task = firstUserText(messages);
    if (task.length > 400 || AMBIGUOUS.test(task)) return { effort: "high", reason: "first step of a large or open-ended task: planning" };
    return { effort: "medium", reason: "first step of a small, concrete task" };
  }

  const last = lastResults(messages);
  if (last.length > 0 && last.every((r) => LOOKING_TOOLS.has(r.name) && !r.isError)) {
    return { effort: "low", reason: "previous step only read or listed: routine follow-up" };
  }
  return { effort: "medium", reason: "routine step" };
}

/** Tool results after the newest assistant message. */
function lastResults(messages: readonly Message[]): ToolResultMessage[] {
  const results: ToolResultMessage[] = [];
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i]!;
    if (m.role === "assistant") break;
    if (m.role === "tool") results.unshift(m);
  }
  return results;
}

/** How many of the newest steps in a row ended with a failed tool call or failing tests. */
function failingSteps(messages: readonly Message[]): number {
  let count = 0;
  let stepFailed = false;
  let inStep = false;
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i]!;
    if (m.role === "tool") {
      inStep = true;
      if (m.isError || FAILING_TESTS.test(textOfResult(m))) stepFailed = true;
    } else if (m.role === "assistant") {
      if (!inStep) break;
      if (!stepFailed) break;
      count += 1;
      stepFailed = false;
      inStep = false;
    } else if (inStep) {
      break;
    }
  }
  return count;
}

function recentCalls(messages: readonly Message[], limit: number): ToolCallPart[] {
  const calls: ToolCallPart[] = [];
  for (let i = messages.length - 1; i >= 0 && calls.length < limit; i--) {
    const m = messages[i]!;
    if (m.role !== "assistant") continue;
    for (const p of m.content) if (p.type === "tool_call") calls.push(p);
  }
  return calls.slice(0, limit);
}

function pathOf(args: unknown): string | undefined {
  if (typeof args !== "object" || args === null) return undefined;
  const a = args as Record<string, unknown>;
  if (typeof a.path === "string") return a.path;
  if (typeof a.patch === "string") return /^\*\*\* (?:Update|Add) File: (.+)$/m.exec(a.patch)?.[1];
  return undefined;
}

function mostCommon(values: string[]): { value: string; count: number } | undefined {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: { value: string; count: number } | undefined;
  for (const [value, count] of counts) if (!best || count > best.count) best = { value, count };
  return best;
}

const textOfResult = (r: ToolResultMessage): string => r.content.map((p) => (p.type === "text" ? p.text : "")).join("\n");

function firstUserText(messages: readonly Message[]): string {
  const first = messages.find((m) => m.role === "user");
  return first ? first.content.map((p) => (p.type === "text" ? p.text : "")).join("") : "";
}

/** The effort for one request: the fixed setting, or `auto`'s choice with its reason. */
export function resolveEffort(setting: EffortSetting | undefined, situation: EffortSituation): Partial<EffortChoice> {
  if (setting === undefined) return {};
  if (setting !== "auto") return { effort: setting };
  return chooseEffort(situation);
}
