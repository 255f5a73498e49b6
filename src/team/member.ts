import type { AgentEventBody } from "../agent/events.js";
import { type AgentHooks, type LoopState, type Outcome, runLoop } from "../agent/loop.js";
import type { StopCondition } from "../agent/stop.js";
import type { EffortSetting } from "../agent/effort.js";
import { addUsage, type Model, type UserMessage } from "../model/types.js";
import { ContextEngine } from "../context/engine.js";
import { type AnyTool, toolSpec } from "../tools/define.js";
import type { FileSystem, ProcessRunner } from "../tools/io.js";
import { localFileSystem, localProcessRunner } from "../tools/local-io.js";
import type { Workspace } from "../tools/workspace.js";

/** What a member is, as stored in the team_members table (JSON) and restored on resume. */
export interface MemberSpec {
  /** Unique in the team; also the agent id of its events. "lead" for the lead. */
  name: string;
  role: string;
  model: string;
  /** Which team tools it gets: the lead's, a teammate's, or a reviewer's (read-only + findings). */
  toolset: "lead" | "teammate" | "reviewer";
  /** The member's workspace: the team's folder, or its own git worktree. */
  cwd: string;
  effort?: EffortSetting;
  maxSteps?: number;
  budgetUsd?: number;
  isolated?: boolean;
  /** The worktree's branch, when isolated. */
  branch?: string;
  /**
   * Its task is colleague's own text (a workflow's brief, built from a fixed vocabulary), not a
   * person's or a model's: screened by the rules alone, as the team's coordination text is.
   */
  ownTask?: boolean;
}

/** A steering inbox (steer / queue / interrupt) that can sit in front of the mailbox. */
export interface MemberInbox {
  drain(): UserMessage[];
}

export interface MemberRuntime {
  model: Model;
  tools: AnyTool[];
  system: string;
  workspace: Workspace;
  sessionId: string;
  stops: StopCondition[];
  emit: (body: AgentEventBody) => void;
  drainMail: (extra: UserMessage[]) => UserMessage[];
  hooks?: Omit<AgentHooks, "drainInbox">;
  fs?: FileSystem;
  runner?: ProcessRunner;
}

/**
 * One agent of a team: its own conversation, model, tools and limits, driven by the shared
 * agent loop. `runTurn` runs the loop until the agent answers without tools (it is then idle
 * until new mail wakes it), hits a limit, fails or is stopped.
 */
export class TeamMember {
  running?: Promise<Outcome>;
  /** True while it has work that no loop is running for (a new task, or a resume mid-turn). */
  needsRun = true;
  stopped = false;
  inbox?: MemberInbox;
  lastOutcome?: Outcome;
  private controller = new AbortController();
  /** The context engine (issue 4): clearing and compaction of this member's own conversation. */
  readonly context: ContextEngine;
  private readonly model: Model;

  constructor(
    readonly spec: MemberSpec,
    readonly state: LoopState,
    private readonly runtime: MemberRuntime,
    private readonly teamSignal: AbortSignal,
  ) {
    this.context = new ContextEngine({
      model: runtime.model,
      emit: runtime.emit,
      system: runtime.system,
      tools: runtime.tools.map(toolSpec),
      charge: (usage, usd) => {
        this.state.usage = addUsage(this.state.usage, usage);
        this.state.costUsd += usd;
      },
    });
    this.model = this.context.wrap(runtime.model);
  }

  get name(): string {
    return this.spec.name;
  }

  async runTurn(): Promise<Outcome> {
    this.needsRun = false;
    if (this.controller.signal.aborted) this.controller = new AbortController();
    const signal = AbortSignal.any([this.controller.signal, this.teamSignal]);
    const r = this.runtime;
    let outcome: Outcome;
    try {
      outcome = await runLoop(this.state, {
        model: this.model,
        tools: r.tools,
        system: r.system,
        toolContext: {
          workspace: r.workspace,
          fs: r.fs ?? localFileSystem,
          runner: r.runner ?? localProcessRunner,
          sessionId: r.sessionId,
        },
        ...(this.spec.effort ? { effort: this.spec.effort } : {}),
        stops: r.stops,
        hooks: {
          ...r.hooks,
          drainInbox: () => r.drainMail(this.inbox?.drain() ?? []),
          // issue 4: the context engine first, then any policy transform.
          transformContext: async (messages, loopSignal) => {
            const managed = await this.context.transform(messages, loopSignal);
            return r.hooks?.transformContext ? r.hooks.transformContext(managed, loopSignal) : managed;
          },
        },
        emit: r.emit,
        signal,
      });
    } catch (error) {
      outcome = { status: "error", error: `internal error: ${(error as Error).stack ?? String(error)}` };
    }
    this.lastOutcome = outcome;
    r.emit({
      type: "agent_idle",
      status: outcome.status,
      ...(outcome.answer !== undefined ? { answer: outcome.answer } : {}),
      ...(outcome.error !== undefined ? { error: outcome.error } : {}),
    });
    return outcome;
  }

  /** Names of its tools that are safe to run again after a resume. */
  readOnlyTools(): string[] {
    return this.runtime.tools.filter((t) => t.readOnly).map((t) => t.name);
  }

  /** Stops the current turn at its next await (the log records the abort). */
  interrupt(): void {
    this.controller.abort();
  }
}
