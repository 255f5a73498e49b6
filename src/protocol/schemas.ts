import { z } from "zod";
import { AgentEvent } from "../agent/events.js";
import { Finding, TaskSnapshot } from "../agent/team-events.js";
import { PERMISSION_MODES } from "../policy/config.js";

/**
 * The protocol every client of colleague speaks (the typed client, the dashboard, `attach`):
 * commands on sessions, and the event union of src/agent/events.ts as the stream. Defined once
 * here with zod; the server validates with these schemas, the OpenAPI document is generated
 * from them, and the typed client's types are inferred from them.
 */

export const Effort = z.enum(["low", "medium", "high", "max", "auto"]);
export const PermissionModeSchema = z.enum(PERMISSION_MODES);

export const CreateSession = z
  .object({
    task: z.string().min(1),
    /** The workspace: an absolute path under one of the server's roots. */
    cwd: z.string().min(1),
    model: z.string().optional(),
    effort: Effort.optional(),
    permissionMode: PermissionModeSchema.optional(),
    sandbox: z.enum(["on", "off"]).optional(),
    maxSteps: z.number().int().positive().optional(),
    budgetUsd: z.number().positive().optional(),
    budgetTokens: z.number().int().positive().optional(),
  })
  .strict();
export type CreateSession = z.infer<typeof CreateSession>;

/** A team: a lead and up to `size` teammates on one task, sharing a task board and a mailbox. */
export const CreateTeam = z
  .object({
    task: z.string().min(1),
    cwd: z.string().min(1),
    size: z.number().int().positive().max(64).optional(),
    lead: z.string().optional(),
    teammates: z.array(z.string()).optional(),
    effort: Effort.optional(),
    permissionMode: PermissionModeSchema.optional(),
    sandbox: z.enum(["on", "off"]).optional(),
    budgetUsd: z.number().positive().optional(),
    maxStepsPerAgent: z.number().int().positive().optional(),
  })
  .strict();
export type CreateTeam = z.infer<typeof CreateTeam>;

/** A review: reviewers with a focus each; findings arrive as finding_reported events (and review.md / review.sarif in `outDir`). */
export const CreateReview = z
  .object({
    cwd: z.string().min(1),
    focus: z.array(z.enum(["correctness", "security", "performance", "tests"])).min(1).optional(),
    size: z.number().int().positive().max(16).optional(),
    teammates: z.array(z.string()).optional(),
    outDir: z.string().optional(),
    permissionMode: PermissionModeSchema.optional(),
    budgetUsd: z.number().positive().optional(),
  })
  .strict();
export type CreateReview = z.infer<typeof CreateReview>;

/** A message to one agent of a team (the lead or a teammate), delivered at its next step. */
export const MessageAgent = z.object({ text: z.string().min(1) }).strict();

/** A task on a team's board, as the team_events carry it. */
export const TaskSchema = TaskSnapshot;

/** A message to a session: joins the running turn (steer), waits for its end (queue), or starts the next turn. */
export const SendMessage = z
  .object({
    text: z.string().min(1),
    mode: z.enum(["steer", "queue"]).default("steer"),
    /** A steer that also cuts the model's stream. */
    urgent: z.boolean().optional(),
  })
  .strict();
export type SendMessage = z.input<typeof SendMessage>;

export const SetEffort = z.object({ effort: Effort }).strict();

/** A model id (`provider:model`, see `colleague models`) the session answers with from its next step. */
export const SetModel = z.object({ model: z.string().min(1).max(500) }).strict();

/** A model a client can offer: the catalog's, and those described in the config. */
export const ModelChoice = z.object({
  id: z.string(),
  contextWindow: z.number(),
  /** USD per million input / output tokens. */
  price: z.object({ input: z.number(), output: z.number() }),
  source: z.enum(["catalog", "config"]),
});
export type ModelChoice = z.infer<typeof ModelChoice>;
export const ModelList = z.object({ models: z.array(ModelChoice) });

export const AnswerApproval = z
  .object({
    answer: z.enum(["once", "session", "deny"]),
    /** With a denial: what the model is told. */
    reason: z.string().optional(),
  })
  .strict();
export type AnswerApproval = z.infer<typeof AnswerApproval>;

export const ForkSession = z.object({ seq: z.number().int().nonnegative() }).strict();

/** Rewind a stopped session to before a step: its files (from the checkpoint), its conversation (a fork), or both. */
export const RewindSession = z
  .object({
    /** The step to go back to; default the newest step with a checkpoint. */
    to: z.number().int().positive().optional(),
    code: z.boolean().default(true),
    conversation: z.boolean().default(true),
  })
  .strict();
export type RewindSession = z.input<typeof RewindSession>;


const UsageSchema = z.object({ input: z.number(), output: z.number(), cacheRead: z.number(), cacheWrite: z.number(), reasoning: z.number().optional() });

export const SessionSummary = z.object({
  id: z.string(),
  task: z.string(),
  model: z.string(),
  cwd: z.string(),
  status: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  steps: z.number(),
  usage: UsageSchema,
  costUsd: z.number(),
  /** Whether this server is running it now. */
  live: z.boolean(),
});
export type SessionSummary = z.infer<typeof SessionSummary>;

export const RewindOutcome = z.object({
  step: z.number(),
  /** The checkpoint restored, when the files were rewound. */
  commit: z.string().optional(),
  restored: z.array(z.string()),
  removed: z.array(z.string()),
  /** A snapshot of the files as they were just before the rewind. */
  undo: z.string().optional(),
  /** The session that continues from the rewound conversation. */
  session: SessionSummary.optional(),
});
export type RewindOutcome = z.infer<typeof RewindOutcome>;

export const PendingApproval = z.object({
  callId: z.string(),
  tool: z.string(),
  summary: z.string(),
  reason: z.string(),
  preview: z.string().optional(),
  agentId: z.string().optional(),
  onceOnly: z.boolean().optional(),
  /** When an unanswered request is denied. */
  deadline: z.string(),
});
export type PendingApproval = z.infer<typeof PendingApproval>;

export const SessionDetail = z.object({ session: SessionSummary, approvals: z.array(PendingApproval) });
export type SessionDetail = z.infer<typeof SessionDetail>;

export const SessionList = z.object({
  sessions: z.array(SessionSummary),
  /** Sessions matching the query over all pages (the page is `sessions`). */
  total: z.number().optional(),
});

/** Query of GET /sessions: a page (limit, offset), words to search for, and statuses to keep. */
export const SessionListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(10_000).default(50),
  offset: z.coerce.number().int().min(0).default(0),
  q: z.string().max(200).optional(),
  /** Comma-separated stored statuses, e.g. "running,error". */
  status: z.string().max(200).optional(),
});
export type SessionListQuery = z.input<typeof SessionListQuery>;

/** A review's merged findings, each with the lines it points at (when the file is there). */
export const ReviewFindings = z.object({
  findings: z.array(z.object({ finding: Finding.extend({ reportedBy: z.array(z.string()) }), excerpt: z.string().optional() })),
});
export type ReviewFindings = z.infer<typeof ReviewFindings>;

/** What a dashboard needs to know about the server before it starts a session. */
export const ServerInfo = z.object({ version: z.string(), roots: z.array(z.string()) });
export type ServerInfo = z.infer<typeof ServerInfo>;

/** Signing in a browser: the server token once; the answer sets an HttpOnly cookie. */
export const SignIn = z.object({ token: z.string().min(1).max(500) }).strict();
export const Accepted = z.object({ ok: z.literal(true) });
/** A command on a session: `running` says whether it reached a running agent. */
export const AcceptedForRun = Accepted.extend({ running: z.boolean() });

export const ErrorBody = z.object({
  error: z.object({
    /** bad_request, unauthorized, not_found, conflict, too_large, forbidden, internal */
    code: z.string(),
    message: z.string(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

/** What the event stream carries: the agent's events, exactly as stored. */
export const StreamEvent = AgentEvent;
