import { rmSync } from "node:fs";
import os from "node:os";
import type { Host } from "../host/host.js";
import { SessionBusy } from "../session/errors.js";
import type { SessionResult } from "../session/session.js";
import { StoreUnavailable } from "../store/errors.js";
import { type Diagnosis, diagnoseRun, type FailedRun } from "./diagnose.js";
import type { RunRecord } from "./eval-store.js";
import { missingNeeds } from "./needs.js";
import { runTaskThen } from "./run-task.js";
import { type EvalTask, prepareTask } from "./task.js";
import { diffSinceBaseline, recordBaseline } from "./workspace-diff.js";
import { monotonicMs } from "../builtins.js";

/** `scripted` plays each task's own solution.json. */
export const SCRIPTED = "scripted";

/** One attempt of one task by one model. */
export interface RunSpec {
  evalId: string;
  task: EvalTask;
  model: string;
  attempt: number;
}

export type Diagnoser = (run: FailedRun, events: ReturnType<Host["store"]["events"]>, rules: Diagnosis) => Promise<Diagnosis | undefined>;

export interface RunPlace {
  /** Where a fresh workspace folder goes (default: the temp folder). */
  root?: string;
  /** This folder as the workspace: seeded when new, taken as it is when it exists. */
  workspace?: string;
  /** The session's id (default: a new one). */
  sessionId?: string;
  /** Continue the session `sessionId` in `workspace` (a worker before this one died in it). */
  resume?: boolean;
  keepWorkspaces?: boolean;
  signal?: AbortSignal;
  diagnoser?: Diagnoser;
}

/**
 * Runs one attempt through the host (so guarded), in its own workspace, checks it with the
 * task's checker and diagnoses a failure. Undefined when `signal` stopped it while it ran (it is
 * then not a result: the run is done again, or continued, later).
 */
export async function runEvalTask(host: Host, spec: RunSpec, place: RunPlace = {}): Promise<RunRecord | undefined> {
  const base = { evalId: spec.evalId, taskId: spec.task.id, model: spec.model, attempt: spec.attempt };
  const started = monotonicMs();
  const failed = (error: string, status = "error"): RunRecord => {
    const diagnosis = diagnoseRun({ status, reasons: [error], error }, []);
    return { ...base, pass: false, reasons: [error], status, steps: 0, inputTokens: 0, outputTokens: 0, costUsd: 0, durationMs: monotonicMs() - started, ...diagnosis, finishedAt: new Date().toISOString() };
  };
  const missing = missingNeeds(spec.task.spec.needs, host.env);
  if (missing.length) return failed(`this machine lacks what the task needs: ${missing.join(", ")}`, "unavailable");
  // The agent's tools run on this machine; a Terminal-Bench task expects them inside its container.
  if (spec.task.format === "terminal-bench")
    return failed("Terminal-Bench tasks need the agent's tools to run inside the task's container, which this version cannot do yet; the checker (docker compose + run-tests.sh) is ready", "unavailable");
  let prepared: Awaited<ReturnType<typeof prepareTask>> | undefined;
  let stopped = false;
  try {
    prepared = await prepareTask(spec.task, place.root ?? os.tmpdir(), place.workspace);
    // A continued run's baseline was taken by the worker that started it.
    const baseline = place.resume ? undefined : recordBaseline(prepared.workspace);
    let patch: string | undefined;
    const run = await runTaskThen(
      host,
      prepared,
      {
        ...(spec.model === SCRIPTED ? {} : { model: spec.model }),
        ...(place.signal ? { handles: { signal: place.signal } } : {}),
        ...(place.sessionId ? { sessionId: place.sessionId } : {}),
        ...(place.resume ? { resume: true } : {}),
      },
      async () => {
        if (baseline) patch = diffSinceBaseline(prepared!.workspace);
      },
    );
    if (place.signal?.aborted) {
      stopped = true;
      return undefined;
    }
    const s: SessionResult = run.session;
    const record: RunRecord = {
      ...base,
      pass: run.check.pass,
      reasons: run.check.reasons,
      status: s.status,
      steps: s.steps,
      inputTokens: s.usage.input + s.usage.cacheRead + s.usage.cacheWrite,
      outputTokens: s.usage.output,
      costUsd: s.costUsd,
      durationMs: monotonicMs() - started,
      sessionId: s.sessionId,
      ...(patch !== undefined ? { patch } : {}),
      ...(s.answer ? { answer: s.answer } : {}),
      finishedAt: new Date().toISOString(),
    };
    if (!record.pass) {
      const failedRun: FailedRun = { status: s.status, timedOut: run.timedOut, reasons: run.check.reasons, ...(s.error ? { error: s.error } : {}) };
      const events = host.store.events(s.sessionId);
      const rules = diagnoseRun(failedRun, events);
      const diagnosis = (place.diagnoser ? await place.diagnoser(failedRun, events, rules).catch(() => undefined) : undefined) ?? rules;
      record.cause = diagnosis.cause;
      record.evidence = diagnosis.evidence;
    }
    return record;
  } catch (error) {
    // Not the run's failure: the session is held by a worker still alive, or the store is gone.
    if (error instanceof SessionBusy || error instanceof StoreUnavailable) {
      stopped = true;
      throw error;
    }
    if (place.signal?.aborted) {
      stopped = true;
      return undefined;
    }
    return failed((error as Error).message);
  } finally {
    await prepared?.close();
    // A stopped run in a named workspace is continued there later; anything else is done with it.
    const keep = place.keepWorkspaces || (stopped && place.workspace !== undefined);
    if (prepared && !keep) rmSync(prepared.workspace, { recursive: true, force: true });
  }
}
