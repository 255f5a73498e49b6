import { realpathSync } from "node:fs";
import path from "node:path";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import type { AgentEvent, EventOf } from "../../agent/events.js";
import { PERMISSION_MODES, type PermissionMode } from "../../policy/config.js";
import { ProtocolError } from "../errors.js";
import type { SessionService } from "../sessions.js";

/** The looseness order of the permission modes: a client may pick the server's mode or a tighter one. */
const LOOSENESS: Record<PermissionMode, number> = { "read-only": 0, ask: 1, "auto-edit": 2, "full-auto": 3 };

/** The mode a run uses when the person starting `colleague mcp` names none. */
export const DEFAULT_MCP_PERMISSION_MODE: PermissionMode = "auto-edit";

export interface McpToolsOptions {
  /** The loosest permission mode a run may use, and the mode of a run that names none. */
  permissionMode: PermissionMode;
  /** colleague's version, reported to clients. */
  version: string;
}

/**
 * Why a call that needs approval was denied: an MCP client cannot be asked reliably (most never
 * show a question to a person mid-call), so the MCP face answers every approval itself, with this.
 */
export function approvalDenial(mode: PermissionMode): string {
  return (
    `colleague mcp has no person to ask, so calls that need approval are denied (permission mode ${mode}). ` +
    "Allow it with a rule in colleague.json, or start `colleague mcp --permission-mode full-auto` if the workspace is disposable"
  );
}

const RunResult = {
  sessionId: z.string(),
  status: z.string(),
  answer: z.string().optional(),
  error: z.string().optional(),
  steps: z.number(),
  costUsd: z.number(),
  /** Calls that needed approval and were denied because nobody could be asked. */
  denied: z.array(z.string()),
};

interface RunOutcome {
  sessionId: string;
  status: string;
  answer?: string;
  error?: string;
  steps: number;
  costUsd: number;
  denied: string[];
}

type Extra = {
  signal: AbortSignal;
  _meta?: { progressToken?: string | number };
  sendNotification: (notification: { method: "notifications/progress"; params: { progressToken: string | number; progress: number; message?: string } }) => Promise<void>;
};

/**
 * Watches a session the MCP face started or continued, until that run ends: answers each approval
 * with a denial (see approvalDenial), reports progress, and resolves with the run's outcome.
 */
class RunWatch {
  readonly denied: string[] = [];
  private progress = 0;
  private unsubscribe: () => void = () => {};

  constructor(
    private readonly service: SessionService,
    private readonly id: string,
    since: number,
    private readonly denial: string,
    private readonly onProgress?: (progress: number, message: string) => void,
  ) {
    this.unsubscribe = service.subscribe(id, since, (event) => this.onEvent(event));
    // A run that has already ended (or never was live here) settles at once.
    void service.settled(id).then(() => this.unsubscribe());
  }

  async outcome(): Promise<RunOutcome> {
    await this.service.settled(this.id);
    this.unsubscribe();
    return outcomeOf(this.service, this.id, this.denied);
  }

  private onEvent(event: AgentEvent): void {
    if (event.type === "approval_requested") {
      this.denied.push(`${event.name}: ${event.summary}`);
      this.deny(event.callId, 0);
      this.report(`waiting approval denied: ${event.name} ${event.summary}`);
    } else if (event.type === "step_started") {
      this.report(`step ${event.step}`);
    } else if (event.type === "tool_started") {
      this.report(`tool ${event.name}`);
    }
  }

  /** The request reaches the broker just after its event is emitted: answer on the next turns of the loop. */
  private deny(callId: string, attempt: number): void {
    setTimeout(
      () => {
        try {
          this.service.answer(this.id, callId, { answer: "deny", reason: this.denial });
        } catch {
          if (attempt < 20) this.deny(callId, attempt + 1);
        }
      },
      attempt === 0 ? 0 : 10,
    );
  }

  private report(message: string): void {
    if (!this.onProgress) return;
    this.progress += 1;
    try {
      this.onProgress(this.progress, message);
    } catch {
      // A client gone mid-run does not stop the run.
    }
  }
}

function outcomeOf(service: SessionService, id: string, denied: string[]): RunOutcome {
  const { session } = service.detail(id);
  const finished = lastFinished(service, session.id);
  return {
    sessionId: session.id,
    status: session.live ? "running" : (finished?.status ?? session.status),
    ...(finished?.answer ? { answer: finished.answer } : {}),
    ...(finished?.error ? { error: finished.error } : {}),
    steps: session.steps,
    costUsd: session.costUsd,
    denied,
  };
}

function lastFinished(service: SessionService, id: string): EventOf<"session_finished"> | undefined {
  const events = service.store.events(id);
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]!;
    if (e.type === "session_finished") return e;
  }
  return undefined;
}

/** Waits for the run's end; a client that cancels its call (Esc in Claude Code) interrupts the run. */
async function untilEnd(service: SessionService, id: string, watch: RunWatch, signal: AbortSignal): Promise<RunOutcome> {
  const cancel = () => {
    try {
      service.interrupt(id);
    } catch {
      // Already gone.
    }
  };
  if (signal.aborted) cancel();
  else signal.addEventListener("abort", cancel, { once: true });
  try {
    return await watch.outcome();
  } finally {
    signal.removeEventListener("abort", cancel);
  }
}

/** The permission mode a session was started in, capped at `ceiling`. */
function startedMode(service: SessionService, id: string, ceiling: PermissionMode): PermissionMode {
  const started = service.store.events(id).find((e) => e.type === "session_started");
  const mode = started?.type === "session_started" ? (started.permissionMode as PermissionMode | undefined) : undefined;
  return mode && mode in LOOSENESS && LOOSENESS[mode] <= LOOSENESS[ceiling] ? mode : ceiling;
}

function lastSeq(service: SessionService, id: string): number {
  return service.store.events(id).at(-1)?.seq ?? 0;
}

function toolResult(outcome: RunOutcome, note?: string): CallToolResult {
  const lines: string[] = [];
  if (outcome.answer) lines.push(outcome.answer);
  else if (outcome.status === "running") lines.push("(the session is running; ask session_status for its answer)");
  else lines.push("(no answer)");
  if (outcome.error) lines.push(`error: ${outcome.error}`);
  if (outcome.denied.length) lines.push(`denied for want of a person to approve them:\n${outcome.denied.map((d) => `- ${d}`).join("\n")}`);
  if (note) lines.push(note);
  lines.push(`[colleague session ${outcome.sessionId} · ${outcome.status} · ${outcome.steps} steps · $${outcome.costUsd.toFixed(4)}]`);
  const failed = outcome.status === "error" || outcome.status === "refused";
  return { content: [{ type: "text", text: lines.join("\n\n") }], structuredContent: { ...outcome }, ...(failed ? { isError: true } : {}) };
}

function errorResult(error: unknown): CallToolResult {
  const message = error instanceof Error ? error.message : String(error);
  return { content: [{ type: "text", text: `colleague: ${message}` }], isError: true };
}

/**
 * The MCP server of `colleague mcp`: three tools over the server's session service, so a session
 * started by Claude Code, Codex or any MCP client runs through the host like every other one.
 * One McpServer per MCP connection; the session service is shared.
 */
export function createMcpServer(service: SessionService, roots: string[], options: McpToolsOptions): McpServer {
  const realRoots = roots.map((r) => realpathSync(path.resolve(r)));
  const server = new McpServer({ name: "colleague", version: options.version }, { capabilities: { logging: {} } });
  const maxMode = options.permissionMode;
  const allowedModes = PERMISSION_MODES.filter((m) => LOOSENESS[m] <= LOOSENESS[maxMode]);

  /** A session is this server's business only when its workspace lies under the roots. */
  const visible = (id: string) => {
    const detail = service.detail(id);
    const cwd = detail.session.cwd;
    if (!realRoots.some((root) => cwd === root || cwd.startsWith(`${root}${path.sep}`))) {
      throw new ProtocolError(403, "forbidden", `session ${detail.session.id} works in ${cwd}, outside this server's roots`);
    }
    return detail;
  };

  const progressOf = (extra: Extra) => {
    const token = extra._meta?.progressToken;
    if (token === undefined) return undefined;
    return (progress: number, message: string) => {
      void extra.sendNotification({ method: "notifications/progress", params: { progressToken: token, progress, message } }).catch(() => {});
    };
  };

  server.registerTool(
    "run_task",
    {
      title: "Run a task with colleague",
      description:
        "Hands a task to colleague, an autonomous coding agent, which works on it in the given workspace until it is done, " +
        "and returns its final answer with the session id (for steer and session_status), the status and the cost. " +
        `Calls that need a person's approval are denied (permission mode: ${maxMode} unless a tighter one is asked for). ` +
        "With background: true it returns at once; poll session_status for the answer.",
      inputSchema: {
        task: z.string().min(1).describe("what colleague should do, as you would tell a colleague"),
        workspace: z.string().min(1).describe("the absolute path of the folder to work in (under the server's roots)"),
        model: z.string().optional().describe("a model id such as anthropic:claude-opus-4-6 (default: colleague's configured model)"),
        permission_mode: z
          .enum(allowedModes as [PermissionMode, ...PermissionMode[]])
          .optional()
          .describe(`what may run without approval; at most ${maxMode} (the default)`),
        effort: z.enum(["low", "medium", "high", "max", "auto"]).optional().describe("reasoning effort"),
        background: z.boolean().optional().describe("return at once with the session id instead of waiting for the end"),
      },
      outputSchema: RunResult,
      annotations: { destructiveHint: true, openWorldHint: true },
    },
    async (args, extra) => {
      try {
        const mode = args.permission_mode ?? maxMode;
        const summary = await service.create({
          task: args.task,
          cwd: args.workspace,
          permissionMode: mode,
          ...(args.model ? { model: args.model } : {}),
          ...(args.effort ? { effort: args.effort } : {}),
        });
        const watch = new RunWatch(service, summary.id, 0, approvalDenial(mode), args.background ? undefined : progressOf(extra as Extra));
        if (args.background) return toolResult(outcomeOf(service, summary.id, watch.denied));
        return toolResult(await untilEnd(service, summary.id, watch, extra.signal));
      } catch (error) {
        return errorResult(error);
      }
    },
  );

  server.registerTool(
    "steer",
    {
      title: "Steer or continue a colleague session",
      description:
        "Sends a message to a colleague session. A running session takes it at its next step (this returns at once); " +
        "a stopped one continues with it as the next instruction, and this returns its new answer like run_task.",
      inputSchema: {
        session_id: z.string().min(1).describe("the session id run_task returned"),
        text: z.string().min(1).describe("the message: a correction, more detail, or the next instruction"),
        background: z.boolean().optional().describe("when continuing a stopped session, return at once instead of waiting for the end"),
      },
      outputSchema: RunResult,
      annotations: { destructiveHint: true, openWorldHint: true },
    },
    async (args, extra) => {
      try {
        const { session } = visible(args.session_id);
        if (session.live) {
          await service.message(session.id, { text: args.text, mode: "steer" });
          return toolResult(outcomeOf(service, session.id, []), "(steered: the running session takes the message at its next step)");
        }
        const since = lastSeq(service, session.id);
        // Continued in the mode it ran in, never looser than this server's ceiling.
        await service.message(session.id, { text: args.text, mode: "steer" }, { permissionMode: startedMode(service, session.id, maxMode) });
        const watch = new RunWatch(service, session.id, since, approvalDenial(maxMode), args.background ? undefined : progressOf(extra as Extra));
        if (args.background) return toolResult(outcomeOf(service, session.id, watch.denied));
        return toolResult(await untilEnd(service, session.id, watch, extra.signal));
      } catch (error) {
        return errorResult(error);
      }
    },
  );

  server.registerTool(
    "session_status",
    {
      title: "A colleague session's status",
      description: "The status of a colleague session: running or how it ended, steps, cost, approvals it waits for, and its last answer.",
      inputSchema: { session_id: z.string().min(1).describe("the session id run_task returned") },
      outputSchema: {
        ...RunResult,
        task: z.string(),
        workspace: z.string(),
        model: z.string(),
        running: z.boolean(),
        pendingApprovals: z.array(z.object({ callId: z.string(), tool: z.string(), summary: z.string(), reason: z.string() })),
      },
      annotations: { readOnlyHint: true },
    },
    async (args) => {
      try {
        const detail = visible(args.session_id);
        const outcome = outcomeOf(service, detail.session.id, []);
        const pending = detail.approvals.map(({ callId, tool, summary, reason }) => ({ callId, tool, summary, reason }));
        const structured = {
          ...outcome,
          task: detail.session.task,
          workspace: detail.session.cwd,
          model: detail.session.model,
          running: detail.session.live,
          pendingApprovals: pending,
        };
        const lines = [
          `session ${outcome.sessionId}: ${outcome.status} · ${outcome.steps} steps · $${outcome.costUsd.toFixed(4)} · ${structured.model}`,
          `task: ${structured.task}`,
          `workspace: ${structured.workspace}`,
          ...(pending.length ? [`waiting for approval: ${pending.map((p) => `${p.tool} ${p.summary}`).join("; ")}`] : []),
          ...(outcome.error ? [`error: ${outcome.error}`] : []),
          outcome.answer ? `last answer:\n${outcome.answer}` : "no answer yet",
        ];
        return { content: [{ type: "text", text: lines.join("\n") }], structuredContent: structured };
      } catch (error) {
        return errorResult(error);
      }
    },
  );

  return server;
}
