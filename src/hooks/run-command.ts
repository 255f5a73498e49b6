import type { ProcessRunner } from "../tools/io.js";
import { defaultEnv } from "../tools/local-io.js";

/**
 * Runs one hook command the way Claude Code does — the event's JSON on stdin, stdout and stderr
 * apart, the exit code — through a session's ProcessRunner, so hooks run in the same sandbox as
 * the agent's commands. The runner takes a command line and gives one interleaved output, so the
 * command is wrapped: the JSON comes from a variable as a here-string, and each stderr line
 * comes back behind a marker byte.
 */
export interface HookRun {
  /** null when the hook was killed (timeout, abort) */
  exitCode: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  durationMs: number;
}

export interface HookProcess {
  command: string;
  input: unknown;
  cwd: string;
  timeoutS: number;
  /** Extra variables (CLAUDE_PROJECT_DIR, COLLEAGUE_PROJECT_DIR). */
  env: Record<string, string>;
  signal?: AbortSignal;
}

const STDERR_MARK = "\x1f";
const INPUT_VAR = "COLLEAGUE_HOOK_INPUT";
/** A single environment string may not pass 128 KiB (Linux MAX_ARG_STRLEN); long fields are cut to fit. */
const MAX_INPUT_CHARS = 96 * 1024;
const MAX_OUTPUT_BYTES = 1024 * 1024;

export function wrapHookCommand(command: string): string {
  // pipefail: the hook's exit code survives the marking of its stderr (sed itself exits 0).
  return `set -o pipefail\n{ ( ${command}\n) <<<"$${INPUT_VAR}" 2>&1 1>&3 3>&- | sed 's/^/${STDERR_MARK}/'; } 3>&1`;
}

/** Splits the runner's interleaved output back into stdout and stderr. */
export function splitHookOutput(output: string): { stdout: string; stderr: string } {
  const out: string[] = [];
  const err: string[] = [];
  for (const line of output.split("\n")) {
    const [head = "", ...marked] = line.split(STDERR_MARK);
    if (!marked.length) out.push(head);
    else {
      // stdout written without a newline before a stderr line shares its line.
      if (head) out.push(head);
      err.push(...marked);
    }
  }
  return { stdout: out.join("\n"), stderr: err.join("\n") };
}

export async function runHookCommand(runner: ProcessRunner, hook: HookProcess): Promise<HookRun> {
  const input = fitInput(hook.input);
  const result = await runner.run(wrapHookCommand(hook.command), {
    cwd: hook.cwd,
    timeoutMs: Math.round(hook.timeoutS * 1000),
    maxOutputBytes: MAX_OUTPUT_BYTES,
    env: { ...defaultEnv(), ...hook.env, [INPUT_VAR]: input },
    ...(hook.signal ? { signal: hook.signal } : {}),
  });
  const { stdout, stderr } = splitHookOutput(result.output);
  return {
    exitCode: result.timedOut || result.aborted ? null : result.exitCode,
    stdout: stdout.trim() ? stdout : "",
    stderr: stderr.trim(),
    timedOut: result.timedOut,
    durationMs: result.durationMs,
  };
}

/** The payload as JSON, its longest strings shortened until it fits in one environment variable. */
export function fitInput(input: unknown): string {
  let json = JSON.stringify(input);
  for (let limit = 32 * 1024; json.length > MAX_INPUT_CHARS && limit >= 256; limit = Math.floor(limit / 2)) {
    json = JSON.stringify(input, (_key, value) =>
      typeof value === "string" && value.length > limit ? `${value.slice(0, limit)}… [${value.length - limit} characters cut]` : value,
    );
  }
  return json;
}
