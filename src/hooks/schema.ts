import { z } from "zod";

/**
 * User hooks in Claude Code's settings shape, so a user's `hooks` block is copied over unchanged:
 * `{ "PreToolUse": [ { "matcher": "Bash|Edit", "hooks": [ { "type": "command", "command": "…", "timeout": 60 } ] } ] }`.
 */
export const HOOK_EVENTS = [
  "SessionStart",
  "UserPromptSubmit",
  "PreToolUse",
  "PostToolUse",
  "Stop",
  "SubagentStop",
  "PreCompact",
  "Notification",
  "SessionEnd",
] as const;
export type HookEventName = (typeof HOOK_EVENTS)[number];

/** Seconds a hook may run before it is killed, when its entry names no timeout (Claude Code's default). */
export const DEFAULT_HOOK_TIMEOUT_S = 60;

// Claude Code adds fields over time (statusMessage, once, …): loose objects let them pass unread.
// Only "command" hooks run here; other types ("prompt", …) are skipped with a notice.
const CommandHook = z.looseObject({
  type: z.string(),
  command: z.string().optional(),
  /** Seconds. */
  timeout: z.number().positive().optional(),
});

const MatcherGroup = z.looseObject({
  /** A regular expression over the tool name (either colleague's or Claude Code's); "" or "*" or absent: all. */
  matcher: z.string().optional(),
  hooks: z.array(CommandHook),
});

export const HooksConfig = z.record(z.string(), z.array(MatcherGroup)).superRefine((value, ctx) => {
  for (const name of Object.keys(value)) {
    if (!(HOOK_EVENTS as readonly string[]).includes(name)) {
      ctx.addIssue({ code: "custom", path: [name], message: `unknown hook event "${name}"; known: ${HOOK_EVENTS.join(", ")}` });
    }
  }
});
export type HooksConfig = z.infer<typeof HooksConfig>;

/** One configured command, with where it came from (for events and notices). */
export interface HookEntry {
  event: HookEventName;
  matcher: string;
  command: string;
  timeoutS: number;
  /** The file that configured it. */
  source: string;
  /** Project hooks come with the repository; they run only once the user trusts the project. */
  scope: "user" | "project";
}
