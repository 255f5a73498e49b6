import type { Host, RunHandles } from "../host/host.js";
import { createScriptedModel } from "../model/scripted.js";
import { Scenario } from "../model/scenario.js";
import type { Model } from "../model/types.js";
import type { PermissionMode } from "../policy/config.js";
import type { SessionResult } from "../session/session.js";
import { type CheckResult, type PreparedTask, solutionText, TaskError } from "./task.js";

export interface TaskRun {
  session: SessionResult;
  check: CheckResult;
  /** The task's wall-clock limit cut the session short. */
  timedOut: boolean;
}

export interface TaskRunOptions {
  /** A model id or Model (default: the task's own scripted solution). */
  model?: string | Model;
  /** Default full-auto: the task runs in its own throwaway workspace, still sandboxed and monitored. */
  permissionMode?: PermissionMode;
  handles?: RunHandles;
  /** The session's id (default: a new one). */
  sessionId?: string;
  /** Continue the session `sessionId` from its log instead of starting one (its worker died). */
  resume?: boolean;
}

/** Runs one prepared task through the host (so it is guarded like any session) and checks the result. */
export async function runTask(host: Host, prepared: PreparedTask, options: TaskRunOptions = {}): Promise<TaskRun> {
  return runTaskThen(host, prepared, options, async () => {});
}

/**
 * Like runTask, with `beforeCheck` called between the session's end and the checker (the
 * evaluation runner takes the workspace's diff there, before a checker adds its own files).
 */
export async function runTaskThen(host: Host, prepared: PreparedTask, options: TaskRunOptions, beforeCheck: (session: SessionResult) => Promise<void>): Promise<TaskRun> {
  const model = options.model ?? scriptedSolution(prepared);
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), prepared.task.spec.timeoutSec * 1000);
  try {
    const permissionMode = options.permissionMode ?? "full-auto";
    const maxSteps = prepared.task.spec.maxSteps ? { maxSteps: prepared.task.spec.maxSteps } : {};
    const handles = { ...options.handles, signal: options.handles?.signal ? AbortSignal.any([options.handles.signal, controller.signal]) : controller.signal };
    const ended = options.resume && options.sessionId ? endedSession(host, options.sessionId) : undefined;
    const session =
      ended ??
      (options.resume && options.sessionId
        ? await host.resumeSession(options.sessionId, { model, permissionMode, ...maxSteps }, handles)
        : await host.startSession(
            { task: prepared.instruction, cwd: prepared.workspace, model, permissionMode, ...maxSteps, ...(options.sessionId ? { sessionId: options.sessionId } : {}) },
            handles,
          ));
    await beforeCheck(session);
    const timedOut = controller.signal.aborted && !options.handles?.signal?.aborted;
    return { session, check: await prepared.check(), timedOut };
  } finally {
    clearTimeout(timer);
  }
}

/** The task's scripted solution as a model. */
export function scriptedSolution(prepared: PreparedTask): Model {
  const text = solutionText(prepared);
  if (!text) throw new TaskError(`${prepared.task.id} has no solution.json`);
  const parsed = Scenario.safeParse(JSON.parse(text));
  if (!parsed.success) throw new TaskError(`${prepared.task.id}/solution.json: ${parsed.error.issues[0]?.message}`);
  return createScriptedModel(parsed.data, `scripted:${prepared.task.id}`);
}

/** Statuses a session does not leave without a follow-up. */
const ENDED = new Set(["completed", "max_steps", "budget", "refused"]);

/** The result of a session that already ended (its worker died after the session, before the check), from its log. */
function endedSession(host: Host, sessionId: string): SessionResult | undefined {
  const row = host.store.getSession(sessionId);
  if (!row || !ENDED.has(row.status)) return undefined;
  const finished = host.store.events(sessionId).findLast((e) => e.type === "session_finished");
  const answer = finished?.type === "session_finished" ? finished.answer : undefined;
  return { sessionId, status: row.status, steps: row.steps, usage: row.usage, costUsd: row.costUsd, durationMs: 0, ...(answer !== undefined ? { answer } : {}) };
}
