import { z } from "zod";

/**
 * A session request as a queue job: what `colleague run --queue` asks for, and all a worker
 * needs to run it through its host. The workspace is a path: every worker must see the same
 * folder there (a shared checkout or volume), as a resumed session continues in it.
 */
export const SessionJob = z
  .object({
    sessionId: z.string().min(1),
    task: z.string().min(1),
    cwd: z.string().min(1),
    model: z.string().optional(),
    effort: z.enum(["low", "medium", "high", "max", "auto"]).optional(),
    maxSteps: z.number().int().positive().optional(),
    budgetUsd: z.number().positive().optional(),
    budgetTokens: z.number().int().positive().optional(),
    name: z.string().optional(),
    permissionMode: z.string().optional(),
    sandbox: z.enum(["on", "off", "if-available"]).optional(),
  })
  .strict();
export type SessionJob = z.infer<typeof SessionJob>;

/** What a finished job records: the session's outcome, as `run --json` prints it. */
export interface SessionJobResult {
  sessionId: string;
  status: string;
  steps: number;
  costUsd: number;
  answer?: string;
  error?: string;
  /** True when the worker continued a session another worker had started (and was killed in). */
  resumed: boolean;
}

/** The queue's name in Redis unless `--queue-name` says otherwise. */
export const DEFAULT_QUEUE_NAME = "colleague-sessions";
