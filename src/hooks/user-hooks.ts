import type { AgentEventBody } from "../agent/events.js";
import type { ProcessRunner } from "../tools/io.js";
import { combineOutcomes, type HookOutcome, readOutcome } from "./outcome.js";
import { runHookCommand } from "./run-command.js";
import type { HookEntry, HookEventName } from "./schema.js";

/**
 * Runs the user's hooks for one agent: picks the entries whose matcher fits, runs them in
 * parallel through the session's (sandboxed) runner, records each run as a `hook` event and
 * answers with their combined outcome. Never throws: a hook that cannot run is an error outcome.
 */
export interface UserHookOptions {
  entries: readonly HookEntry[];
  runner: ProcessRunner;
  /** The agent's workspace: the hooks' working folder. */
  workspace: string;
  /** The project root: CLAUDE_PROJECT_DIR and COLLEAGUE_PROJECT_DIR. */
  projectDir: string;
  permissionMode: string;
}

export interface HookCall {
  event: HookEventName;
  /** What the matcher is tested against: tool names (colleague's and Claude Code's), or a source / trigger / reason. */
  matchOn: readonly string[];
  /** Event-specific fields of the stdin JSON (tool_name, prompt, …). */
  fields: Record<string, unknown>;
  callId?: string;
}

const EXCERPT = 400;

export class UserHooks {
  private emit: (event: AgentEventBody) => void = () => {};
  private sessionId = "";

  constructor(private readonly options: UserHookOptions) {}

  get workspace(): string {
    return this.options.workspace;
  }

  /** Where `hook` events go, and the session the stdin JSON names (known once the run starts). */
  attach(sessionId: string, emit: (event: AgentEventBody) => void): void {
    this.sessionId = sessionId;
    this.emit = emit;
  }

  /** Records a hook event; a sink that fails (a store closed under a late notification) loses the record, never the session. */
  private record(event: AgentEventBody): void {
    try {
      this.emit(event);
    } catch {
      // nothing to do: the hook has run, its answer still counts
    }
  }

  has(event: HookEventName): boolean {
    return this.options.entries.some((e) => e.event === event);
  }

  async run(call: HookCall): Promise<HookOutcome> {
    const chosen = dedupe(this.options.entries.filter((e) => e.event === call.event && matches(e.matcher, call.matchOn)));
    if (!chosen.length) return {};
    const input = {
      session_id: this.sessionId,
      // colleague keeps its transcript in the session store, not in a file.
      transcript_path: "",
      cwd: this.options.workspace,
      permission_mode: this.options.permissionMode,
      hook_event_name: call.event,
      ...call.fields,
    };
    const outcomes = await Promise.all(chosen.map((entry) => this.runOne(entry, input, call)));
    return combineOutcomes(outcomes);
  }

  private async runOne(entry: HookEntry, input: Record<string, unknown>, call: HookCall): Promise<HookOutcome> {
    let outcome: HookOutcome;
    let run: Awaited<ReturnType<typeof runHookCommand>> | undefined;
    try {
      run = await runHookCommand(this.options.runner, {
        command: entry.command,
        input,
        cwd: this.options.workspace,
        timeoutS: entry.timeoutS,
        env: { CLAUDE_PROJECT_DIR: this.options.projectDir, COLLEAGUE_PROJECT_DIR: this.options.projectDir },
      });
      outcome = readOutcome(entry.event, run, entry.timeoutS);
    } catch (error) {
      outcome = { error: `could not run: ${(error as Error).message}` };
    }
    const printed = [run?.stdout.trim(), run?.stderr].filter(Boolean).join("\n");
    this.record({
      type: "hook",
      event: entry.event,
      ...(entry.matcher ? { matcher: entry.matcher } : {}),
      command: entry.command,
      decision: decisionOf(entry.event, outcome),
      ...(reasonOf(outcome) ? { reason: reasonOf(outcome) } : {}),
      exitCode: run?.exitCode ?? null,
      durationMs: Math.round(run?.durationMs ?? 0),
      ...(printed ? { output: printed.length > EXCERPT ? `${printed.slice(0, EXCERPT)}…` : printed } : {}),
      ...(call.callId ? { callId: call.callId } : {}),
      source: entry.source,
    });
    return outcome;
  }
}

/** Claude Code's matcher: absent, "" or "*" match everything; a plain name (or names joined by |) matches exactly; anything else is a regular expression. */
export function matches(matcher: string, names: readonly string[]): boolean {
  if (!matcher || matcher === "*") return true;
  if (/^[\w|-]+$/.test(matcher)) {
    const alternatives = matcher.split("|");
    return names.some((n) => alternatives.includes(n));
  }
  try {
    const pattern = new RegExp(`^(?:${matcher})$`);
    return names.some((n) => pattern.test(n));
  } catch {
    return false;
  }
}

/** The same command configured twice (say, in .claude/settings.json and colleague.json) runs once. */
function dedupe(entries: HookEntry[]): HookEntry[] {
  const seen = new Set<string>();
  return entries.filter((e) => {
    if (seen.has(e.command)) return false;
    seen.add(e.command);
    return true;
  });
}

function decisionOf(event: HookEventName, o: HookOutcome): EventDecision {
  if (o.stop) return "stop";
  if (o.block) return event === "PreToolUse" ? "deny" : "block";
  if (o.permission) return o.permission;
  if (o.error) return "error";
  if (o.context) return "context";
  return "none";
}

function reasonOf(o: HookOutcome): string | undefined {
  return o.stop ?? o.block ?? o.permissionReason ?? o.error ?? o.message;
}

type EventDecision = Extract<AgentEventBody, { type: "hook" }>["decision"];
