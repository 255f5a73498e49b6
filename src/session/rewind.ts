import type { AgentEvent, EventOf } from "../agent/events.js";
import type { Restored } from "../checkpoints/shadow-repo.js";
import type { SessionStore } from "../store/store.js";
import { forkSession } from "./fork.js";
import { displayStatus, lookupSession, oneLine } from "./lookup.js";

/**
 * Rewind: the workspace back to a checkpoint, the conversation back to the same step, or both.
 * The conversation is rewound by forking the session before that step (the original log stays
 * whole and append-only); the code by restoring the shadow repository's snapshot taken before
 * the step's first change.
 */

/** A step that changed (or may have changed) the workspace, with the snapshot taken before it. */
export interface StepCheckpoint {
  step: number;
  commit: string;
  /** The first call of the step that may change files, e.g. `edit_file src/a.ts`. */
  summary: string;
  time: string;
}

export interface RewindRequest {
  /** The step to go back to (the state before it ran); default: the newest step with a checkpoint. */
  to?: number;
  /** Restore the workspace files (default true). */
  code?: boolean;
  /** Fork the conversation before the step (default true). */
  conversation?: boolean;
}

export interface RewindResult {
  step: number;
  /** The checkpoint restored, when the code was rewound. */
  commit?: string;
  restored: string[];
  removed: string[];
  /** A snapshot of the workspace as it was just before the rewind (rewinding to it undoes the rewind). */
  undo?: string;
  /** The session that continues from the rewound conversation. */
  sessionId?: string;
}

/** Restores a workspace to a checkpoint; undefined where checkpoints are off or git is missing. */
export type RestorerFor = (cwd: string) => { restore(commit: string): Promise<Restored> } | undefined;

/** A rewind that cannot be done (no checkpoint, a running session, a pruned snapshot): one readable line. */
export class RewindError extends Error {
  override name = "RewindError";
}

/** The steps of a session that have a checkpoint, oldest first (one per step: the first snapshot). */
export function stepCheckpoints(events: Iterable<AgentEvent>): StepCheckpoint[] {
  const started = new Map<string, EventOf<"tool_started">>();
  const steps: StepCheckpoint[] = [];
  for (const event of events) {
    if (event.type === "tool_started") started.set(event.callId, event);
    if (event.type !== "checkpoint" || !event.commit || steps.at(-1)?.step === event.step) continue;
    steps.push({ step: event.step, commit: event.commit, summary: callSummary(event.tool, started.get(event.callId)?.args), time: event.time });
  }
  return steps;
}

function callSummary(tool: string, args: unknown): string {
  const a = (args ?? {}) as Record<string, unknown>;
  const target = typeof a.command === "string" ? a.command : typeof a.path === "string" ? a.path : "";
  return oneLine(target ? `${tool} ${target}` : tool, 80);
}

export async function rewindSession(store: SessionStore, restorerFor: RestorerFor, ref: string, request: RewindRequest = {}): Promise<RewindResult> {
  const row = lookupSession(store, ref);
  const code = request.code ?? true;
  const conversation = request.conversation ?? true;
  if (!code && !conversation) throw new RewindError("nothing to rewind: choose the code, the conversation or both");
  const events = store.events(row.id);
  if (events[0]?.type === "team_started") throw new RewindError(`session ${row.id} is a team session; rewind works on solo sessions`);
  const checkpoints = stepCheckpoints(events);
  const lastStep = Math.max(0, ...events.flatMap((e) => (e.type === "step_started" ? [e.step] : [])));
  const to = request.to ?? checkpoints.at(-1)?.step;
  if (to === undefined) throw new RewindError(`session ${row.id} has no checkpoint: it changed no files${code ? "" : "; give --to STEP"}`);
  if (!Number.isInteger(to) || to < 1 || to > lastStep) throw new RewindError(`step ${to} is not a step of session ${row.id} (it has steps 1-${lastStep})`);
  if (code && displayStatus(row) === "running") {
    throw new RewindError(`session ${row.id} is running; stop it before rewinding its files`);
  }

  const result: RewindResult = { step: to, restored: [], removed: [] };
  if (code) {
    // A step that changed nothing has no snapshot of its own: the next one shows the same files.
    const target = checkpoints.find((c) => c.step >= to);
    if (target) {
      const repo = restorerFor(row.cwd);
      if (!repo) throw new RewindError("checkpoints are off here (git is missing or checkpoints.enabled is false), so files cannot be rewound");
      try {
        const restored = await repo.restore(target.commit);
        Object.assign(result, { commit: target.commit, restored: restored.restored, removed: restored.removed, undo: restored.before });
      } catch (error) {
        throw new RewindError((error as Error).message);
      }
    }
  }
  if (conversation) {
    const stepStart = events.find((e) => e.type === "step_started" && e.step === to)!;
    result.sessionId = forkSession(store, row.id, stepStart.seq - 1);
  }
  return result;
}
