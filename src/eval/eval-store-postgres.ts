import { openMigrated } from "../store/postgres/migrations.js";
import type { SyncPostgres } from "../store/postgres/sync-client.js";
import type { EvalRow, EvalStore, Judgement, RunRecord } from "./eval-store.js";

interface RawEval {
  id: string;
  suite: string;
  suite_dir: string;
  models: string[];
  k: number;
  created_at: string;
}

interface RawRun {
  eval_id: string;
  task_id: string;
  model: string;
  attempt: number;
  pass: boolean;
  reasons: string[];
  status: string;
  steps: number;
  input_tokens: string | number;
  output_tokens: string | number;
  cost_usd: number;
  duration_ms: string | number;
  session_id: string | null;
  patch: string | null;
  answer: string | null;
  cause: string | null;
  evidence: string[] | null;
  finished_at: string;
}

const toEval = (r: RawEval): EvalRow => ({ id: r.id, suite: r.suite, suiteDir: r.suite_dir, models: r.models, k: r.k, createdAt: r.created_at });

const toRun = (r: RawRun): RunRecord => ({
  evalId: r.eval_id,
  taskId: r.task_id,
  model: r.model,
  attempt: r.attempt,
  pass: r.pass,
  reasons: r.reasons,
  status: r.status,
  steps: r.steps,
  inputTokens: Number(r.input_tokens),
  outputTokens: Number(r.output_tokens),
  costUsd: r.cost_usd,
  durationMs: Number(r.duration_ms),
  ...(r.session_id ? { sessionId: r.session_id } : {}),
  ...(r.patch !== null ? { patch: r.patch } : {}),
  ...(r.answer !== null ? { answer: r.answer } : {}),
  ...(r.cause ? { cause: r.cause } : {}),
  ...(r.evidence ? { evidence: r.evidence } : {}),
  finishedAt: r.finished_at,
});

/** JSONB cannot hold U+0000; a patch or answer may (binary files, odd tool output). */
const text = (s: string | undefined) => (s === undefined ? null : s.replaceAll("\u0000", "\uFFFD"));
const json = (value: unknown) => JSON.stringify(value).replaceAll("\\u0000", "\\uFFFD");

/**
 * The evaluation store in the shared PostgreSQL database (the session store's, schema step 2):
 * the workers of a scaled-out evaluation each record the runs they finish, the coordinator
 * waits on them, and `eval report --db postgres://…` reads them from any machine. A run is
 * recorded once: a second worker that finished the same run (its first worker was thought dead
 * but was not) loses the insert, and the first record stands.
 */
export class PostgresEvalStore implements EvalStore {
  private readonly db: SyncPostgres;

  constructor(readonly url: string) {
    this.db = openMigrated(url);
  }

  createEval(row: EvalRow): void {
    this.db.query("INSERT INTO evals (id, suite, suite_dir, models, k, created_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING", [
      row.id,
      row.suite,
      row.suiteDir,
      JSON.stringify(row.models),
      row.k,
      row.createdAt,
    ]);
  }

  getEval(id: string): EvalRow | undefined {
    const raw = this.db.query<RawEval>("SELECT * FROM evals WHERE id = $1", [id]).rows[0];
    return raw ? toEval(raw) : undefined;
  }

  listEvals(): EvalRow[] {
    return this.db.query<RawEval>("SELECT * FROM evals ORDER BY created_at DESC, id DESC").rows.map(toEval);
  }

  recordRun(run: RunRecord): boolean {
    const result = this.db.query(
      `INSERT INTO eval_runs (eval_id, task_id, model, attempt, pass, reasons, status, steps, input_tokens, output_tokens, cost_usd,
       duration_ms, session_id, patch, answer, cause, evidence, finished_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)
       ON CONFLICT (eval_id, task_id, model, attempt) DO NOTHING`,
      [
        run.evalId,
        run.taskId,
        run.model,
        run.attempt,
        run.pass,
        json(run.reasons),
        run.status,
        run.steps,
        run.inputTokens,
        run.outputTokens,
        run.costUsd,
        Math.round(run.durationMs),
        run.sessionId ?? null,
        text(run.patch),
        text(run.answer),
        run.cause ?? null,
        run.evidence ? json(run.evidence) : null,
        run.finishedAt,
      ],
    );
    return result.rowCount > 0;
  }

  runs(evalId: string): RunRecord[] {
    return this.db.query<RawRun>("SELECT * FROM eval_runs WHERE eval_id = $1 ORDER BY task_id, model, attempt", [evalId]).rows.map(toRun);
  }

  findRun(evalId: string, taskId: string, model: string, attempt: number): RunRecord | undefined {
    const row = this.db.query<RawRun>("SELECT * FROM eval_runs WHERE eval_id = $1 AND task_id = $2 AND model = $3 AND attempt = $4", [evalId, taskId, model, attempt]).rows[0];
    return row ? toRun(row) : undefined;
  }

  setCause(evalId: string, taskId: string, model: string, attempt: number, cause: string, evidence: string[]): void {
    this.db.query("UPDATE eval_runs SET cause = $1, evidence = $2 WHERE eval_id = $3 AND task_id = $4 AND model = $5 AND attempt = $6", [
      cause,
      json(evidence),
      evalId,
      taskId,
      model,
      attempt,
    ]);
  }

  recordJudgement(j: Judgement): void {
    this.db.query(
      `INSERT INTO eval_judgements (eval_id, task_id, a, b, winner, reason) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (eval_id, task_id, a, b) DO UPDATE SET winner = EXCLUDED.winner, reason = EXCLUDED.reason`,
      [j.evalId, j.taskId, j.a, j.b, j.winner, text(j.reason)],
    );
  }

  judgements(evalId: string): Omit<Judgement, "evalId">[] {
    return this.db.query<{ task_id: string; a: string; b: string; winner: string; reason: string }>(
      "SELECT task_id, a, b, winner, reason FROM eval_judgements WHERE eval_id = $1 ORDER BY task_id, a, b",
      [evalId],
    ).rows.map((r) => ({ taskId: r.task_id, a: r.a, b: r.b, winner: r.winner, reason: r.reason }));
  }

  close(): void {
    this.db.close();
  }
}
