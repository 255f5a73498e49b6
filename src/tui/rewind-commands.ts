import type { Host } from "../host/host.js";
import { RewindError, type RewindResult, type StepCheckpoint, stepCheckpoints } from "../session/rewind.js";

/**
 * `/undo` and `/rewind` in the terminal UI. `/undo` rewinds the files and the conversation to
 * before the newest step that changed files (the conversation continues in a fork, so the
 * original log stays whole). `/rewind` alone opens a picker of the steps that have a checkpoint;
 * `/rewind N [code|conversation]` goes straight to step N.
 */

/** What to put back: the files, the conversation, or both. */
export type RewindMode = "both" | "code" | "conversation";

export type RewindOutcome = { ok: true; lines: string[]; result: RewindResult } | { ok: false; lines: string[] };

/** The steps the picker offers, newest first; a line saying why there are none otherwise. */
export function rewindChoices(host: Host, sessionId: string | undefined): { steps: StepCheckpoint[] } | { none: string } {
  if (!sessionId) return { none: "no session yet: nothing to rewind" };
  const steps = stepCheckpoints(host.store.events(sessionId));
  if (steps.length === 0) return { none: "this session has changed no files yet: nothing to rewind" };
  return { steps: steps.reverse() };
}

/** `/rewind` arguments: `N`, `N code`, `N conversation` (or `--code`, `--conversation`). */
export function parseRewindArgs(arg: string): { to: number; mode: RewindMode } | undefined {
  const [step, mode = "both", ...rest] = arg.trim().split(/\s+/);
  const to = Number(step);
  const modes: Record<string, RewindMode> = { both: "both", code: "code", "--code": "code", conversation: "conversation", "--conversation": "conversation" };
  if (rest.length || !Number.isInteger(to) || to <= 0 || !modes[mode]) return undefined;
  return { to, mode: modes[mode]! };
}

export async function rewindFromTui(host: Host, sessionId: string | undefined, to?: number, mode: RewindMode = "both"): Promise<RewindOutcome> {
  if (!sessionId) return { ok: false, lines: ["no session yet: nothing to rewind"] };
  try {
    const result = await host.rewind(sessionId, { ...(to === undefined ? {} : { to }), code: mode !== "conversation", conversation: mode !== "code" });
    const files = result.restored.length + result.removed.length;
    const code =
      mode === "conversation"
        ? `the conversation is back to before step ${result.step}; files are as they are`
        : `rewound ${mode === "code" ? "the files " : ""}to before step ${result.step}: ${files === 0 ? "no files to restore" : `${result.restored.length} file(s) restored, ${result.removed.length} removed`}`;
    return {
      ok: true,
      result,
      lines: [code, ...(result.sessionId ? [`the conversation continues as session ${result.sessionId} (the original ${sessionId} is kept)`] : [])],
    };
  } catch (error) {
    if (error instanceof RewindError) return { ok: false, lines: [error.message] };
    throw error;
  }
}
