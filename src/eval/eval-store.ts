import { mkdirSync } from "node:fs";
import path from "node:path";
import type Database from "better-sqlite3";
import { openSqlite } from "../store/sqlite-binding.js";
import { colleagueHome } from "../config/config.js";
import { storeLocation } from "../host/store-location.js";

/** One finished attempt of one task by one model. */
export interface RunRecord {
  evalId: string;
  taskId: string;
  model: string;
  /** 0-based attempt number (pass@k runs k of them). */
  attempt: number;
  pass: boolean;
  /** The checker's reasons, or why the run could not start. */
  reasons: string[];
  /** The session's final status, or "error" when the run never got a session. */
  status: string;
  steps: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  durationMs: number;
  sessionId?: string;
  /** The workspace's changes as a unified diff (for SWE-bench-style exports and judging). */
  patch?: string;
  /** The session's final answer. */
  answer?: string;
  /** Why a failed run failed (src/eval/diagnose.ts) and the log lines that show it. */
  cause?: string;
  evidence?: string[];
  finishedAt: string;
}

export interface EvalRow {
  id: string;
  suite: string;
  suiteDir: string;
  models: string[];
  k: number;
  createdAt: string;
}

interface RawRun {
  eval_id: string;
  task_id: string;
  model: string;
  attempt: number;
  pass: number;
  reasons: string;
  status: string;
  steps: number;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number;
  duration_ms: number;
  session_id: string | null;
  patch: string | null;
  answer: string | null;
  cause: string | null;
  evidence: string | null;
  finished_at: string;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS evals (
  id TEXT PRIMARY KEY, suite TEXT NOT NULL, suite_dir TEXT NOT NULL, models TEXT NOT NULL, k INTEGER NOT NULL, created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS eval_runs (
  eval_id TEXT NOT NULL REFERENCES evals(id), task_id TEXT NOT NULL, model TEXT NOT NULL, attempt INTEGER NOT NULL,
  pass INTEGER NOT NULL, reasons TEXT NOT NULL, status TEXT NOT NULL, steps INTEGER NOT NULL,
  input_tokens INTEGER NOT NULL, output_tokens INTEGER NOT NULL, cost_usd REAL NOT NULL, duration_ms INTEGER NOT NULL,
  session_id TEXT, patch TEXT, answer TEXT, cause TEXT, evidence TEXT, finished_at TEXT NOT NULL,
  PRIMARY KEY (eval_id, task_id, model, attempt)
);
CREATE TABLE IF NOT EXISTS eval_judgements (
  eval_id TEXT NOT NULL, task_id TEXT NOT NULL, a TEXT NOT NULL, b TEXT NOT NULL, winner TEXT NOT NULL, reason TEXT NOT NULL,
  PRIMARY KEY (eval_id, task_id, a, b)
);
`;

export interface Judgement {
  evalId: string;
  taskId: string;
  a: string;
  b: string;
  winner: string;
  reason: string;
}

/**
 * Evaluations, their runs and judgements. A run is written once it has finished, so an
 * interrupted evaluation resumes by skipping what is here. Embedded: a SQLite file next to the
 * session store; scaled out: tables in the shared PostgreSQL store (eval-store-postgres.ts),
 * where every worker records the runs it finished.
 */
export interface EvalStore {
  createEval(row: EvalRow): void;
  getEval(id: string): EvalRow | undefined;
  /** Newest first. */
  listEvals(): EvalRow[];
  /** Records a finished run; false when that run was already recorded (the first record stands). */
  recordRun(run: RunRecord): boolean;
  runs(evalId: string): RunRecord[];
  /** One run, if it is recorded. */
  findRun(evalId: string, taskId: string, model: string, attempt: number): RunRecord | undefined;
  /** Sets the diagnosis of a run already recorded (a later, model-based diagnosis). */
  setCause(evalId: string, taskId: string, model: string, attempt: number, cause: string, evidence: string[]): void;
  recordJudgement(j: Judgement): void;
  judgements(evalId: string): Omit<Judgement, "evalId">[];
  close(): void;
}

const isPostgres = (location: string) => /^postgres(ql)?:\/\//i.test(location);

/**
 * Where evaluations live: the location given (`--db`); else beside the sessions when those are
 * in PostgreSQL (scaled out, every worker records there); else evals.db in the colleague home.
 */
export function evalStoreLocation(env: NodeJS.ProcessEnv, given: { db?: string | undefined; store?: string | undefined } = {}): string {
  if (given.db) return given.db;
  const sessions = storeLocation(env, given.store);
  return isPostgres(sessions) ? sessions : path.join(colleagueHome(env), "evals.db");
}

/** The evaluation store at `location`: a postgres:// URL, or a SQLite file. */
export async function openEvalStore(location: string): Promise<EvalStore> {
  if (isPostgres(location)) return new (await import("./eval-store-postgres.js")).PostgresEvalStore(location);
  return new SqliteEvalStore(location);
}

/**
 * Evaluations in their own SQLite file next to the session store (the sessions themselves stay
 * in the session store; a run points at its session by id).
 */
export class SqliteEvalStore implements EvalStore {
  private readonly db: Database.Database;

  constructor(file: string) {
    if (file !== ":memory:") mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    this.db = openSqlite(file);
    this.db.pragma("journal_mode = WAL");
    this.db.pragma("busy_timeout = 5000");
    this.db.exec(SCHEMA);
  }

  createEval(row: EvalRow): void {
    this.db
      .prepare("INSERT OR IGNORE INTO evals (id, suite, suite_dir, models, k, created_at) VALUES (?, ?, ?, ?, ?, ?)")
      .run(row.id, row.suite, row.suiteDir, JSON.stringify(row.models), row.k, row.createdAt);
  }

  getEval(id: string): EvalRow | undefined {
    const raw = this.db.prepare("SELECT * FROM evals WHERE id = ?").get(id) as
      | { id: string; suite: string; suite_dir: string; models: string; k: number; created_at: string }
      | undefined;
    return raw ? { id: raw.id, suite: raw.suite, suiteDir: raw.suite_dir, models: JSON.parse(raw.models) as string[], k: raw.k, createdAt: raw.created_at } : undefined;
  }

  listEvals(): EvalRow[] {
    const ids = this.db.prepare("SELECT id FROM evals ORDER BY created_at DESC, id DESC").all() as { id: string }[];
    return ids.map((r) => this.getEval(r.id)!);
  }

  recordRun(run: RunRecord): boolean {
    const result = this.db
      .prepare(
        `INSERT OR IGNORE INTO eval_runs (eval_id, task_id, model, attempt, pass, reasons, status, steps, input_tokens, output_tokens, cost_usd,
         duration_ms, session_id, patch, answer, cause, evidence, finished_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        run.evalId,
        run.taskId,
        run.model,
        run.attempt,
        run.pass ? 1 : 0,
        JSON.stringify(run.reasons),
        run.status,
        run.steps,
        run.inputTokens,
        run.outputTokens,
        run.costUsd,
        Math.round(run.durationMs),
        run.sessionId ?? null,
        run.patch ?? null,
        run.answer ?? null,
        run.cause ?? null,
        run.evidence ? JSON.stringify(run.evidence) : null,
        run.finishedAt,
      );
    return result.changes > 0;
  }

  runs(evalId: string): RunRecord[] {
    const rows = this.db.prepare("SELECT * FROM eval_runs WHERE eval_id = ? ORDER BY task_id, model, attempt").all(evalId) as RawRun[];
    return rows.map(toRecord);
  }

  findRun(evalId: string, taskId: string, model: string, attempt: number): RunRecord | undefined {
    const row = this.db.prepare("SELECT * FROM eval_runs WHERE eval_id = ? AND task_id = ? AND model = ? AND attempt = ?").get(evalId, taskId, model, attempt) as RawRun | undefined;
    return row ? toRecord(row) : undefined;
  }

  setCause(evalId: string, taskId: string, model: string, attempt: number, cause: string, evidence: string[]): void {
    this.db
      .prepare("UPDATE eval_runs SET cause = ?, evidence = ? WHERE eval_id = ? AND task_id = ? AND model = ? AND attempt = ?")
      .run(cause, JSON.stringify(evidence), evalId, taskId, model, attempt);
  }

  recordJudgement(j: Judgement): void {
    this.db
      .prepare("INSERT OR REPLACE INTO eval_judgements (eval_id, task_id, a, b, winner, reason) VALUES (?, ?, ?, ?, ?, ?)")
      .run(j.evalId, j.taskId, j.a, j.b, j.winner, j.reason);
  }

  judgements(evalId: string): Omit<Judgement, "evalId">[] {
    return (this.db.prepare("SELECT task_id, a, b, winner, reason FROM eval_judgements WHERE eval_id = ? ORDER BY task_id, a, b").all(evalId) as {
      task_id: string;
      a: string;
      b: string;
      winner: string;
      reason: string;
    }[]).map((r) => ({ taskId: r.task_id, a: r.a, b: r.b, winner: r.winner, reason: r.reason }));
  }

  close(): void {
    this.db.close();
  }
}

function toRecord(r: RawRun): RunRecord {
  return {
    evalId: r.eval_id,
    taskId: r.task_id,
    model: r.model,
    attempt: r.attempt,
    pass: r.pass === 1,
    reasons: JSON.parse(r.reasons) as string[],
    status: r.status,
    steps: r.steps,
    inputTokens: r.input_tokens,
    outputTokens: r.output_tokens,
    costUsd: r.cost_usd,
    durationMs: r.duration_ms,
    ...(r.session_id ? { sessionId: r.session_id } : {}),
    ...(r.patch !== null ? { patch: r.patch } : {}),
    ...(r.answer !== null ? { answer: r.answer } : {}),
    ...(r.cause ? { cause: r.cause } : {}),
    ...(r.evidence ? { evidence: JSON.parse(r.evidence) as string[] } : {}),
    finishedAt: r.finished_at,
  };
}
