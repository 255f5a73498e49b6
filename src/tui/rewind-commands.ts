import type { Host } from "../host/host.js";
import { RewindError, type RewindResult, stepCheckpoints } from "../session/rewind.js";

/**
 * `/undo` and `/rewind` in the terminal UI: both rewind the files and the conversation (the
 * conversation continues in a fork, so the original log stays whole). `/rewind` alone lists the
 * steps that have a checkpoint, newest first, to pick one with `/rewind N`.
 */

export type RewindOutcome = { ok: true; lines: string[]; result: RewindResult } | { ok: false; lines: string[] };

export function checkpointMenu(host: Host, sessionId: string | undefined): string[] {
  if (!sessionId) return ["no session yet: nothing to rewind"];
  const steps = stepCheckpoints(host.store.events(sessionId));
  if (steps.length === 0) return ["this session has changed no files yet: nothing to rewind"];
  return [
    "steps with a checkpoint (/rewind N puts files and conversation back to before step N; /undo: the newest):",
    ...steps
      .slice(-15)
      .reverse()
      .map((s) => `  ${String(s.step).padStart(4)}  ${s.time.slice(11, 19)}  ${s.summary}`),
  ];
}

export async function rewindFromTui(host: Host, sessionId: string | undefined, to?: number): Promise<RewindOutcome> {
  if (!sessionId) return { ok: false, lines: ["no session yet: nothing to rewind"] };
  try {
    const result = await host.rewind(sessionId, to === undefined ? {} : { to });
    const files = result.restored.length + result.removed.length;
    return {
      ok: true,
      result,
      lines: [
        `rewound to before step ${result.step}: ${files === 0 ? "no files to restore" : `${result.restored.length} file(s) restored, ${result.removed.length} removed`}`,
        `the conversation continues as session ${result.sessionId} (the original ${sessionId} is kept)`,
      ],
    };
  } catch (error) {
    if (error instanceof RewindError) return { ok: false, lines: [error.message] };
    throw error;
  }
}
