import { type EffortSetting, isEffortSetting } from "../agent/effort.js";
import type { AgentEvent } from "../agent/events.js";
import { Inbox } from "../agent/inbox.js";
import { CommandRegistry } from "../commands/registry.js";
import type { GuardChoice, Host } from "../host/host.js";
import type { Model } from "../model/types.js";
import type { ApprovalReply, ApprovalRequest, Approver } from "../policy/approver.js";
import type { SessionStore } from "../store/store.js";
import { expandAttachments, pastedFile } from "./attachments.js";
import { FileIndex } from "./file-index.js";
import initTask from "./init-task.md";
import { permissionsReport, statusReport } from "./session-reports.js";
import { parseRewindArgs, type RewindMode, rewindChoices, rewindFromTui } from "./rewind-commands.js";
import { parseSlash, SLASH_HELP, type SlashSpec } from "./slash-commands.js";
import { addItems, formatCount, initialView, type Item, type NewItem, reduce, resetSession, type ViewState } from "./view-model.js";
import { diffSince, snapshotTree } from "./workspace-diff.js";

/** A task that ran longer than this rings the terminal bell when it ends (the person may have looked away). */
const BELL_AFTER_MS = 10_000;
/** How long a new session waits for the /diff snapshot of the working tree. */
const SNAPSHOT_WAIT_MS = 5_000;

/** What the controller does to the terminal itself, outside the React tree. */
export interface TerminalEffects {
  /** The bell: a long task ended, or an approval is waiting. */
  bell(): void;
  /** Clears the screen and scrollback (/clear). */
  clear(): void;
}

/** Stores that can rename a session (the SQLite store, once names are stored). */
type RenamingStore = SessionStore & { renameSession?(id: string, name: string): void };

export interface ControllerOptions {
  /** Every session goes through the host; the host's approver must be this controller's `approver`. */
  host: Host;
  cwd: string;
  modelId: string;
  effort: EffortSetting | undefined;
  maxSteps: number;
  /** --permission-mode / --sandbox for the sessions started here. */
  guard?: GuardChoice;
  /** Builds a model from an id (default: the host's, with the workspace's config). */
  makeModel?(id: string): Promise<Model>;
  terminal?: TerminalEffects;
}

/**
 * The TUI's brain, free of React: turns what the person types into inbox commands or new
 * runs, the run's events into the view (through the pure reducer), and the policy's approval
 * requests into a card the person answers (one at a time, in the order they came).
 */
/** The first line of a new screen (bin/early-frame.js draws the same before the bundle loads). */
export const WELCOME = "colleague — type a task. @ attaches a file, / lists commands, /help the keys.";

export class TuiController {
  view: ViewState;
  showThinking = false;
  exitRequested = false;
  private model: Model | undefined;
  private modelId: string;
  private effort: EffortSetting | undefined;
  private sessionId: string | undefined;
  private inbox: Inbox | undefined;
  private abort: AbortController | undefined;
  private running: Promise<void> | undefined;
  private readonly listeners = new Set<() => void>();
  private onExit: (() => void) | undefined;
  /** The first model is still loading: a task typed meanwhile waits for it. */
  private ready: Promise<void> = Promise.resolve();
  private readonly notices = new Set<string>();
  /** The workspace's files, for `@` completion. */
  readonly files: FileIndex;
  /** The working tree when the session started, as a git tree id (for /diff). */
  private snapshot: Promise<string | undefined> | undefined;
  private sessionName: string | undefined;
  /** Approval requests waiting for the person; the first is on screen. */
  private approvals: { request: ApprovalRequest; resolve: (reply: ApprovalReply) => void }[] = [];

  /** The approver the host asks: the request shows as a card until answered. */
  readonly approver: Approver = {
    ask: (request) =>
      new Promise<ApprovalReply>((resolve) => {
        this.approvals.push({ request, resolve });
        this.options.terminal?.bell();
        if (this.approvals.length === 1) this.set({ ...this.view, approval: request });
      }),
  };

  constructor(private readonly options: ControllerOptions) {
    this.modelId = options.modelId;
    this.effort = options.effort;
    this.view = initialView(options.modelId, options.effort ?? "default", 0);
    this.view = addItems(this.view, { kind: "note", text: WELCOME, tone: "dim" });
    this.files = new FileIndex(options.cwd);
  }

  /** The session to resume on exit (the command is printed then). */
  get currentSessionId(): string | undefined {
    return this.sessionId;
  }

  /** The workspace's custom slash commands, read once (on the first `/`); bad files give one notice each. */
  customCommands(): readonly SlashSpec[] {
    this.commands ??= this.loadCommands();
    return this.commands.list().map((c) => ({ name: c.name, args: c.argumentHint ?? "", help: `${c.description} (${c.source})` }));
  }

  private commands: CommandRegistry | undefined;

  private loadCommands(): CommandRegistry {
    try {
      return this.options.host.commands(this.options.host.workplace(this.options.cwd));
    } catch {
      return new CommandRegistry();
    }
  }

  /** A paste that is a path to an existing file becomes an attachment. */
  pastedFile(text: string): string | undefined {
    return pastedFile(text, this.options.cwd);
  }

  /** Prints a tool's whole output into the transcript (ctrl-o). */
  showOutput(item: Extract<Item, { kind: "tool" }>): void {
    this.set(addItems(this.view, { kind: "output", title: `${item.ok ? "✓" : "✗"} ${item.name} ${item.summary}`, text: item.output }));
  }

  async init(onExit: () => void): Promise<void> {
    this.onExit = onExit;
    this.ready = this.switchModel(this.modelId);
    await this.ready;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getView = (): ViewState => this.view;

  private set(view: ViewState) {
    this.view = view;
    for (const l of this.listeners) l();
  }

  /** A notice from the host (no sandbox here, an unsandboxed run), shown once per text. */
  notice(text: string): void {
    if (this.notices.has(text)) return;
    this.notices.add(text);
    this.note(`colleague: ${text}`, "warn");
  }

  private note(text: string, tone: "dim" | "warn" | "error" | "ok" = "dim") {
    this.set(addItems(this.view, { kind: "note", text, tone }));
  }

  /** Enter (`queue` false) or Tab (`queue` true) on the input box. */
  submit(text: string, queue: boolean): void {
    if (!text.trim()) return;
    if (text.trim().startsWith("/")) {
      void this.slash(text.trim());
      return;
    }
    const { text: expanded, attached } = expandAttachments(text, this.options.cwd);
    if (attached.length) this.note(`📎 ${attached.join(", ")}`);
    const trimmed = expanded.trim();
    if (this.inbox) {
      // "!text": an urgent steer, which also cuts the model's stream instead of letting it finish.
      const urgent = !queue && trimmed.startsWith("!") && trimmed.length > 1;
      const message = urgent ? trimmed.slice(1).trim() : trimmed;
      if (queue) this.inbox.queue(message);
      else this.inbox.steer(message, { urgent });
      this.set({ ...this.view, pending: [...this.view.pending, { mode: queue ? "queue" : "steer", text: message }] });
      return;
    }
    this.running = this.run(trimmed);
  }

  /** The person's answer to the approval on screen; the next waiting one (if any) shows. */
  answerApproval(reply: ApprovalReply): void {
    const current = this.approvals.shift();
    if (!current) return;
    current.resolve(reply);
    const { request } = current;
    const what = `${request.agentId ? `${request.agentId} › ` : ""}${request.tool} ${request.summary}`.slice(0, 60);
    const text =
      reply.answer === "deny"
        ? `✗ denied ${what}${reply.reason ? ` — ${reply.reason}` : ""}`
        : `✓ approved ${what}${reply.answer === "session" ? " (always, this session)" : ""}`;
    const next = this.approvals[0]?.request;
    const { approval: _shown, ...rest } = this.view;
    this.set(addItems(next ? { ...rest, approval: next } : rest, { kind: "note", text, tone: reply.answer === "deny" ? "warn" : "dim" }));
  }

  /** Denies every waiting approval (interrupt, exit): nothing stays asked of a person who left. */
  private denyApprovals(reason: string): void {
    while (this.approvals.length) this.answerApproval({ answer: "deny", reason });
  }

  /** Esc, or the first Ctrl-C while working. Returns false when there was nothing to stop. */
  interrupt(): boolean {
    if (!this.inbox) return false;
    this.denyApprovals("the user interrupted");
    this.inbox.interrupt();
    return true;
  }

  get busy(): boolean {
    return this.inbox !== undefined;
  }

  private async run(task: string): Promise<void> {
    // The inbox exists from the first moment, so what is typed next steers this run.
    const inbox = new Inbox({ waitAfterInterrupt: true });
    const abort = new AbortController();
    this.inbox = inbox;
    this.abort = abort;
    this.set({ ...this.view, busy: true });
    const started = Date.now();
    try {
      // A new session: remember the working tree before the agent can touch it, so /diff shows
      // what this session changed. A huge tree is not waited for past a few seconds.
      if (!this.sessionId) {
        this.snapshot = snapshotTree(this.options.cwd);
        await Promise.race([this.snapshot, new Promise((r) => setTimeout(r, SNAPSHOT_WAIT_MS).unref())]);
      }
      await this.ready;
      if (!this.model) {
        this.note(`no usable model (${this.modelId}); pick one with /model`, "error");
        return;
      }
      const host = this.options.host;
      const handles = { inbox, signal: abort.signal, onEvent: (event: AgentEvent) => this.set(reduce(this.view, event, Date.now())) };
      const settings = { model: this.model, maxSteps: this.options.maxSteps, ...(this.effort ? { effort: this.effort } : {}), ...this.options.guard };
      const result = this.sessionId
        ? await host.resumeSession(this.sessionId, { ...settings, followUp: task }, handles)
        : await host.startSession({ ...settings, task, cwd: this.options.cwd }, handles);
      this.sessionId = result.sessionId;
      if (this.sessionName) (this.options.host.store as RenamingStore).renameSession?.(result.sessionId, this.sessionName);
    } catch (error) {
      this.note(`✗ ${(error as Error).message}`, "error");
    } finally {
      this.inbox = undefined;
      this.abort = undefined;
      this.set({ ...this.view, busy: false, running: [], pending: [] });
      if (Date.now() - started > BELL_AFTER_MS && !this.exitRequested) this.options.terminal?.bell();
    }
  }

  /** Leave: a running session is stopped cleanly first (its log records it). */
  async exit(): Promise<void> {
    this.exitRequested = true;
    this.denyApprovals("the user left");
    this.inbox?.close();
    this.abort?.abort();
    await this.running;
    this.onExit?.();
  }

  private async switchModel(id: string): Promise<void> {
    try {
      const host = this.options.host;
      const model = await (this.options.makeModel ? this.options.makeModel(id) : host.model(id, host.workplace(this.options.cwd)));
      // The session fits a history from another model (a switch mid-session, /resume) to this one: src/session/model-bridge.ts.
      this.model = model;
      this.modelId = id;
      // A running session switches at its next step (its model_changed event shows when).
      this.inbox?.setModel(model);
      this.set({ ...this.view, model: id, contextWindow: this.model.info.contextWindow });
    } catch (error) {
      this.note(`✗ ${(error as Error).message}`, "error");
    }
  }

  private lines(lines: string[]): void {
    this.set(addItems(this.view, ...lines.map((text): NewItem => ({ kind: "note", text, tone: "dim" }))));
  }

  /** /new, /clear: the next message starts a session with fresh counters and a fresh /diff base. */
  private newSession(): void {
    this.sessionId = undefined;
    this.sessionName = undefined;
    this.snapshot = undefined;
    this.set(resetSession(this.view));
  }

  /** Shows a stored session's history; the next message continues it. */
  /** The person's choice in the /rewind picker (undefined: closed without one). */
  async chooseRewind(step: number | undefined, mode: RewindMode = "both"): Promise<void> {
    const { rewindMenu: _shown, ...rest } = this.view;
    this.set(rest);
    if (step !== undefined) await this.rewind(step, mode);
  }

  private async rewind(to: number | undefined, mode: RewindMode): Promise<void> {
    const outcome = await rewindFromTui(this.options.host, this.sessionId, to, mode);
    if (outcome.ok && outcome.result.sessionId) this.continueSession(outcome.result.sessionId, outcome.lines.join("; "));
    else this.note(outcome.lines.join("; "), outcome.ok ? "dim" : "warn");
  }

  private continueSession(id: string, note: string): void {
    this.sessionId = id;
    this.snapshot = snapshotTree(this.options.cwd);
    let view: ViewState = { ...resetSession(this.view), sessionId: id };
    for (const event of this.options.host.store.events(id)) view = reduce(view, event, Date.now());
    // A log that ends mid-step (a killed process) leaves nothing running now.
    view = { ...view, running: [], liveText: "", liveThinking: "", busy: false };
    this.set(addItems(view, { kind: "note", text: note, tone: "ok" }));
  }

  private async slash(text: string): Promise<void> {
    const command = parseSlash(text);
    switch (command.name) {
      case "help":
        this.set(addItems(this.view, ...SLASH_HELP.map((line): NewItem => ({ kind: "note", text: line, tone: "dim" }))));
        break;
      case "exit":
        await this.exit();
        break;
      case "effort":
        if (!isEffortSetting(command.arg)) {
          this.note("usage: /effort low|medium|high|max|auto", "warn");
          break;
        }
        this.effort = command.arg;
        if (this.inbox) this.inbox.setEffort(command.arg);
        else {
          const view = { ...this.view, effort: command.arg, effortSetting: command.arg };
          this.set(addItems(view, { kind: "note", text: `effort → ${command.arg}`, tone: "dim" }));
        }
        break;
      case "model":
        if (!command.arg) {
          this.note(`model: ${this.modelId} (usage: /model ID)`);
          break;
        }
        await this.switchModel(command.arg);
        if (this.modelId === command.arg && !this.inbox) {
          const carried = this.sessionId ? "; the session goes on with it (earlier thinking passed on as text)" : "";
          this.note(`model → ${command.arg}${carried}`);
        }
        break;
      case "cost": {
        const v = this.view;
        this.note(`session ${v.sessionId ?? "(none yet)"}: ${formatCount(v.tokens)} tokens · $${v.costUsd.toFixed(4)}`);
        break;
      }
      case "sessions": {
        const rows = this.options.host.store.listSessions(8);
        if (!rows.length) this.note("no sessions yet");
        const lines = rows.map(
          (r): NewItem => ({ kind: "note", text: `${r.id}  ${r.status.padEnd(11)} ${r.steps} steps  ${r.task.replace(/\s+/g, " ").slice(0, 40)}`, tone: "dim" }),
        );
        this.set(addItems(this.view, ...lines));
        break;
      }
      case "resume": {
        if (this.inbox) {
          this.note("finish or interrupt the running task first", "warn");
          break;
        }
        const row = command.arg ? this.options.host.store.findSession(command.arg) : this.options.host.store.listSessions(1)[0];
        if (!row) {
          this.note(`no session ${JSON.stringify(command.arg)} (see /sessions)`, "warn");
          break;
        }
        this.continueSession(row.id, `resuming ${row.id} (${row.status}): your next message continues it`);
        break;
      }
      case "undo":
      case "rewind": {
        if (this.inbox) {
          this.note("finish or interrupt the running task first", "warn");
          break;
        }
        const arg = command.name === "rewind" ? command.arg.trim() : "";
        if (command.name === "rewind" && !arg) {
          const choices = rewindChoices(this.options.host, this.sessionId);
          if ("none" in choices) this.note(choices.none, "warn");
          else this.set({ ...this.view, rewindMenu: choices });
          break;
        }
        const parsed = arg ? parseRewindArgs(arg) : { to: undefined, mode: "both" as const };
        if (!parsed) {
          this.note("usage: /rewind STEP [code|conversation] (/rewind alone opens a picker)", "warn");
          break;
        }
        await this.rewind(parsed.to, parsed.mode);
        break;
      }
      case "compact":
        // The context engine (issue 4) takes "/compact" from the inbox as a command, never as words for the model.
        if (this.inbox) {
          this.inbox.steer("/compact");
          this.note("compacting the history before the next request");
        } else this.note("/compact works while the agent is working; long sessions also compact on their own");
        break;
      case "thinking":
        this.showThinking = !this.showThinking;
        this.note(`thinking ${this.showThinking ? "shown in full" : "collapsed"}`);
        break;
      case "new":
        this.newSession();
        this.note("the next message starts a new session");
        break;
      case "clear":
        if (this.inbox) {
          this.note("finish or interrupt the running task first", "warn");
          break;
        }
        this.options.terminal?.clear();
        this.newSession();
        this.set(addItems({ ...this.view, items: [], screen: this.view.screen + 1 }, { kind: "note", text: "cleared — the next message starts a new session", tone: "dim" }));
        break;
      case "init":
        this.submit(initTask, false);
        break;
      case "status":
        this.lines(statusReport(this.view, { cwd: this.options.cwd, modelId: this.modelId, ...(this.sessionName ? { sessionName: this.sessionName } : {}) }));
        break;
      case "permissions":
        this.lines(permissionsReport(this.view, this.options.cwd, this.options.host.home, this.options.guard?.permissionMode));
        break;
      case "diff": {
        const diff = await diffSince(this.options.cwd, await this.snapshot);
        if (diff.ok && diff.text.includes("\n")) this.set(addItems(this.view, { kind: "output", title: "changes since the session started", text: diff.text, diff: true }));
        else this.note(diff.text, diff.ok ? "dim" : "warn");
        break;
      }
      case "rename": {
        const name = command.arg.trim();
        if (!name) {
          this.note("usage: /rename NAME", "warn");
          break;
        }
        this.sessionName = name;
        const store = this.options.host.store as RenamingStore;
        if (this.sessionId && store.renameSession) store.renameSession(this.sessionId, name);
        this.note(this.sessionId ? `session ${this.sessionId} is now "${name}"` : `the next session will be "${name}"`);
        break;
      }
      case "unknown": {
        // An MCP server's prompt: the host expands it (src/mcp/hubs.ts expandTask).
        if (command.text.startsWith("/mcp__")) {
          if (this.inbox) this.note("an MCP prompt starts a turn: send it when the agent has finished", "warn");
          else this.running = this.run(command.text);
          break;
        }
        const name = command.text.slice(1).split(/\s/)[0] ?? "";
        this.commands ??= this.loadCommands();
        if (!this.commands.find(name)) {
          this.note(`unknown command /${name} (/help lists them)`, "warn");
          break;
        }
        if (this.inbox) {
          // Mid-run the prompt joins as a steer; its model and tools apply when it starts a run.
          const expanded = await this.commands.expand(command.text);
          if (expanded) this.inbox.steer(expanded.prompt);
          break;
        }
        // The host expands it, with the command's model and allowed tools, for this run.
        this.running = this.run(command.text);
        break;
      }
    }
  }
}
