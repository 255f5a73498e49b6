import type { HookRun } from "./run-command.js";
import type { HookEventName } from "./schema.js";

/**
 * What one hook's answer means, read the way Claude Code reads it: exit 0 (stdout may be JSON),
 * exit 2 blocks with stderr as the reason, any other exit is an error the user sees and nothing
 * is blocked. Pure, so each rule is tested on its own.
 */
export interface HookOutcome {
  /** deny / block: the call, the prompt or the stop is refused with this reason. */
  block?: string;
  /** PreToolUse's permissionDecision (deny is carried by `block`). */
  permission?: "allow" | "ask";
  permissionReason?: string;
  /** PreToolUse: new tool input (Claude Code's shape). */
  updatedInput?: Record<string, unknown>;
  /** PostToolUse on an MCP tool: the output the model gets instead. */
  updatedToolOutput?: unknown;
  /** Context for the model (additionalContext, or plain stdout of UserPromptSubmit / SessionStart). */
  context?: string;
  /** `continue: false`: the session stops, with this reason for the user. */
  stop?: string;
  /** For the user (systemMessage). */
  message?: string;
  /** A non-blocking failure (a timeout, an exit code other than 0 and 2, unreadable JSON). */
  error?: string;
  suppressOutput?: boolean;
}

/** Events whose plain stdout (exit 0, not JSON) is context for the model. */
const STDOUT_IS_CONTEXT: ReadonlySet<HookEventName> = new Set(["UserPromptSubmit", "SessionStart"]);

interface HookJson {
  continue?: unknown;
  stopReason?: unknown;
  suppressOutput?: unknown;
  systemMessage?: unknown;
  decision?: unknown;
  reason?: unknown;
  hookSpecificOutput?: {
    permissionDecision?: unknown;
    permissionDecisionReason?: unknown;
    updatedInput?: unknown;
    additionalContext?: unknown;
    updatedMCPToolOutput?: unknown;
  };
}

const str = (v: unknown): string | undefined => (typeof v === "string" && v.trim() ? v : undefined);

export function readOutcome(event: HookEventName, run: HookRun, timeoutS: number): HookOutcome {
  if (run.timedOut) return { error: `timed out after ${timeoutS}s` };
  if (run.exitCode === null) return { error: "was killed" };
  if (run.exitCode === 2) {
    const reason = run.stderr || `a ${event} hook exited with code 2`;
    // For these events exit 2 has nothing to refuse: stderr goes to the user only.
    if (event === "Notification" || event === "SessionStart" || event === "SessionEnd" || event === "PreCompact") return { error: reason };
    return { block: reason };
  }
  if (run.exitCode !== 0) return { error: `exited with code ${run.exitCode}${run.stderr ? `: ${run.stderr}` : ""}` };
  const text = run.stdout.trim();
  if (!text) return {};
  if (text.startsWith("{")) {
    try {
      return fromJson(event, JSON.parse(text) as HookJson);
    } catch {
      // Not JSON after all: plain output.
    }
  }
  return STDOUT_IS_CONTEXT.has(event) ? { context: text } : {};
}

function fromJson(event: HookEventName, json: HookJson): HookOutcome {
  const out: HookOutcome = {};
  if (json.continue === false) out.stop = str(json.stopReason) ?? `a ${event} hook stopped the session`;
  if (json.suppressOutput === true) out.suppressOutput = true;
  const message = str(json.systemMessage);
  if (message) out.message = message;
  const reason = str(json.reason);
  const specific = json.hookSpecificOutput ?? {};
  if (json.decision === "block") out.block = reason ?? `blocked by a ${event} hook`;
  // The older PreToolUse answer: "approve" lets the call pass the permission prompt.
  if (json.decision === "approve" && event === "PreToolUse") {
    out.permission = "allow";
    if (reason) out.permissionReason = reason;
  }
  if (event === "PreToolUse") {
    const decision = specific.permissionDecision;
    const why = str(specific.permissionDecisionReason);
    if (decision === "deny") out.block = why ?? reason ?? "denied by a PreToolUse hook";
    else if (decision === "allow" || decision === "ask") {
      out.permission = decision;
      if (why) out.permissionReason = why;
    }
    const updated = specific.updatedInput;
    if (updated && typeof updated === "object" && !Array.isArray(updated)) out.updatedInput = updated as Record<string, unknown>;
  }
  const context = str(specific.additionalContext);
  if (context) out.context = context;
  if (event === "PostToolUse" && specific.updatedMCPToolOutput !== undefined) out.updatedToolOutput = specific.updatedMCPToolOutput;
  return out;
}

/**
 * Several hooks answered the same event (they run in parallel): a deny or block wins over
 * everything, ask over allow; reasons, context and messages are joined in configuration order.
 */
export function combineOutcomes(outcomes: readonly HookOutcome[]): HookOutcome {
  const all: HookOutcome = {};
  const join = (key: "block" | "context" | "stop" | "message" | "error") => {
    const parts = outcomes.map((o) => o[key]).filter((v): v is string => !!v);
    if (parts.length) all[key] = parts.join("\n");
  };
  join("block");
  join("context");
  join("stop");
  join("message");
  join("error");
  const ask = outcomes.find((o) => o.permission === "ask");
  const allow = outcomes.find((o) => o.permission === "allow");
  const permission = ask ?? allow;
  if (permission?.permission) {
    all.permission = permission.permission;
    if (permission.permissionReason) all.permissionReason = permission.permissionReason;
  }
  // Several rewrites of one input cannot all apply: the last configured one does, as in Claude Code.
  const updated = outcomes.filter((o) => o.updatedInput).at(-1)?.updatedInput;
  if (updated) all.updatedInput = updated;
  const output = outcomes.filter((o) => o.updatedToolOutput !== undefined).at(-1);
  if (output) all.updatedToolOutput = output.updatedToolOutput;
  return all;
}
