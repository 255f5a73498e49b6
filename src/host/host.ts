import { existsSync, statSync } from "node:fs";
import path from "node:path";
import type { EffortSetting } from "../agent/effort.js";
import { gitAvailable } from "../checkpoints/git.js";
import { ShadowRepo } from "../checkpoints/shadow-repo.js";
import type { Inbox } from "../agent/inbox.js";
import { colleagueHome, type ConfigFile, DEFAULT_MAX_STEPS, DEFAULT_MODEL, ignoredNotice, loadConfig, projectSteering } from "../config/config.js";
import { declineProject, isProjectTrusted, trustProject, wasDeclined } from "../config/trust.js";
import { createConfiguredModel } from "../config/models.js";
import type { ContextEngine, ContextSettings } from "../context/engine.js";
import { ConfigError } from "../model/resolve.js";
import type { Model } from "../model/types.js";
import { type Approver, denyingApprover } from "../policy/approver.js";
import type { PermissionMode } from "../policy/config.js";
import { McpHubs } from "../mcp/hubs.js";
import { lookupSession } from "../session/lookup.js";
import type { EventListener } from "../session/recorder.js";
import { imageMarker, imageProblem } from "../session/images.js";
import { type RewindRequest, type RewindResult, rewindSession } from "../session/rewind.js";
import { newSessionId, resumeSession, type SessionResult, startSession } from "../session/session.js";
import { openSessionStore } from "../store/open.js";
import type { SessionStore } from "../store/store.js";
import type { AnyTool } from "../tools/define.js";
import { officeTools } from "../tools/office/index.js";
import { unsandboxedRunner } from "../policy/sandbox/index.js";
import { effectiveMode } from "../policy/permissions.js";
import { type Guard, openGuard, parsePermissionMode, readPolicyLayers, type SandboxSwitch } from "./guard.js";
import { endSessionProcesses, sessionRunner } from "./sandbox.js";
import { sessionTools } from "./tools.js";
import { EditDiagnostics } from "../diagnostics/hook.js";
import { type CommandRegistry, loadCommandRegistry } from "../commands/registry.js";
import type { ExtensionPlaces } from "../config/extension-folders.js";
import { pickTools } from "../tools/tool-lists.js";
import { type ChildSessionContext, sessionExtensions } from "./extensions.js";
import { type ComputerUse, openComputerUse } from "../computer/index.js";
import { storeLocation } from "./store-location.js";

/**
 * The host: the one place that turns settings into a running session (and, in ./teams.ts, a
 * team). Every face — the CLI, the terminal UI, the library, the server to come — asks the
 * host, so every face gets the same config, model, store, context engine and policy
 * (permissions, approvals, sandbox, monitors, honesty, audit). The loop knows nothing of this.
 */
export interface HostOptions {
  env?: NodeJS.ProcessEnv;
  /** The colleague home: user config, AGENTS.md, audit log (default: $COLLEAGUE_HOME or ~/.colleague). */
  home?: string;
  /** A store, a postgres:// URL, a SQLite file, or ":memory:" (default: src/host/store-location.ts). */
  store?: SessionStore | string;
  /** Who answers approval requests (default: nobody, so whatever needs approval is denied). */
  approver?: Approver;
  /** Whether the approver reaches a person (default: true when an approver is given). */
  interactive?: boolean;
  /** One-line notices (an unsandboxed run, a missing sandbox backend); default: dropped. */
  onNotice?: (line: string) => void;
  /**
   * Runs sessions with no policy at all: no permissions, sandbox, monitors, honesty check or
   * audit. Only for callers that guard the agent themselves; never the default.
   */
  dangerouslySkipPolicy?: boolean;
  /**
   * Asks the person whether to trust a project whose config sets what steers keys or runs code
   * (asked once per project; the answer is kept in the home). Only faces with a terminal pass it.
   */
  askTrust?: (question: TrustQuestion) => Promise<boolean>;
}

export interface TrustQuestion {
  root: string;
  settings: Array<{ file: string; keys: string[] }>;
}

/** How a session is guarded: the person's choices, over COLLEAGUE_* variables and config. */
export interface GuardChoice {
  permissionMode?: PermissionMode | string;
  sandbox?: SandboxSwitch;
}

export interface SessionRequest extends GuardChoice {
  task: string;
  /** The workspace (default: the process's folder). */
  cwd?: string;
  /** A model id, or a Model object (default: COLLEAGUE_MODEL, then config, then the default model). */
  model?: string | Model;
  effort?: EffortSetting;
  maxSteps?: number;
  budgetUsd?: number;
  budgetTokens?: number;
  context?: Partial<ContextSettings>;
  tools?: AnyTool[];
  sessionId?: string;
  /** A name for the session (`--name`). */
  name?: string;
  /** Images attached to the task (png, jpg, webp, gif): paths, relative to the workspace or absolute. */
  images?: string[];
  /** Offer only these tools (Claude Code's names or ours, e.g. a custom command's allowed-tools). */
  allowedTools?: string[];
}

export interface ResumeRequest extends GuardChoice {
  followUp?: string;
  /** Offer only these tools this turn (a custom command's allowed-tools). */
  allowedTools?: string[];
  model?: string | Model;
  effort?: EffortSetting;
  maxSteps?: number;
  budgetUsd?: number;
  budgetTokens?: number;
  tools?: AnyTool[];
}

/** What a face hands a running session: where events go, and how to stop or steer it. */
export interface RunHandles {
  onEvent?: EventListener;
  signal?: AbortSignal;
  inbox?: Inbox;
  onContextEngine?: (engine: ContextEngine) => void;
}

export interface Workplace {
  cwd: string;
  config: ConfigFile;
  home: string;
  /** One-line notices about the config (settings of an untrusted project left out). */
  notices?: string[];
}

export class Host {
  readonly store: SessionStore;
  readonly env: NodeJS.ProcessEnv;
  readonly home: string;
  private readonly ownsStore: boolean;
  /** One shadow repository per workspace, shared by this host's sessions so their snapshots take turns. */
  private readonly shadows = new Map<string, ShadowRepo>();
  private gitNoticeGiven = false;
  private machineTools: AnyTool[] | undefined;
  /** The workplaces' MCP servers, connected on first use and shared by this host's sessions (src/mcp/). */
  readonly mcp: McpHubs;

  constructor(private readonly options: HostOptions = {}) {
    this.env = options.env ?? process.env;
    this.home = options.home ?? colleagueHome(this.env);
    this.mcp = new McpHubs({ env: this.env, ...(options.onNotice ? { onNotice: options.onNotice } : {}) });
    this.ownsStore = typeof options.store !== "object";
    this.store = typeof options.store === "object" ? options.store : openSessionStore(options.store ?? storeLocation(this.env));
  }

  /** The workspace and the config that applies there; a folder that is not there is a config error. */
  workplace(cwd: string | undefined): Workplace {
    const resolved = path.resolve(cwd ?? process.cwd());
    if (!existsSync(resolved) || !statSync(resolved).isDirectory()) throw new ConfigError(`the workspace ${resolved} is not a folder`);
    const loaded = loadConfig(resolved, this.env, this.home);
    const notice = ignoredNotice(loaded);
    return { cwd: resolved, config: loaded.config, home: this.home, ...(notice ? { notices: [notice] } : {}) };
  }

  /**
   * Asks, once per project and only where a person can answer, whether to trust a project whose
   * config sets provider endpoints, headers or keys; the answer is kept in the home. Call it
   * before `workplace`, which leaves those settings out while the project is not trusted.
   */
  async settleTrust(cwd: string | undefined): Promise<void> {
    const ask = this.options.askTrust;
    const resolved = path.resolve(cwd ?? process.cwd());
    if (!ask || !existsSync(resolved) || !statSync(resolved).isDirectory()) return;
    const steering = projectSteering(resolved);
    if (!steering.settings.length || isProjectTrusted(this.home, steering.root) || wasDeclined(this.home, steering.root)) return;
    if (await ask({ root: steering.root, settings: steering.settings })) trustProject(this.home, steering.root, steering.hash);
    else declineProject(this.home, steering.root);
  }

  /** The model id a session on this workplace uses when the request names none. */
  defaultModelId(place: Workplace): string {
    return this.env.COLLEAGUE_MODEL || place.config.model || DEFAULT_MODEL;
  }

  /** The permission mode a session on `place` gets: the request, then COLLEAGUE_PERMISSION_MODE, then config (a project only tightens). */
  permissionModeFor(place: Workplace, requested?: string): PermissionMode {
    const flag = parsePermissionMode(requested) ?? parsePermissionMode(this.env.COLLEAGUE_PERMISSION_MODE, "COLLEAGUE_PERMISSION_MODE");
    return effectiveMode(readPolicyLayers(place.cwd, place.home), flag);
  }

  async model(id: string | Model, place: Workplace): Promise<Model> {
    return typeof id === "string" ? createConfiguredModel(id, place.config, this.env, this.options.onNotice) : id;
  }

  /** The guard of a session or team on `place`; notices go to the face. */
  async guard(place: Workplace, choice: GuardChoice, modelId?: string): Promise<Guard | undefined> {
    for (const notice of place.notices ?? []) this.options.onNotice?.(notice);
    if (this.options.dangerouslySkipPolicy) return undefined;
    const guard = await openGuard({
      workspace: place.cwd,
      config: place.config,
      env: this.env,
      home: place.home,
      ...(choice.permissionMode ? { mode: parsePermissionMode(choice.permissionMode) } : {}),
      ...(choice.sandbox ? { sandbox: choice.sandbox } : {}),
      approver: this.options.approver ?? denyingApprover,
      interactive: this.options.interactive ?? this.options.approver !== undefined,
      ...(modelId ? { model: modelId } : {}),
    });
    for (const notice of guard.notices) this.options.onNotice?.(notice);
    return guard;
  }

  /** Starts a session on a task and runs it to its end. Bad settings throw ConfigError before anything is stored. */
  async startSession(request: SessionRequest, handles: RunHandles = {}): Promise<SessionResult> {
    await this.settleTrust(request.cwd);
    const place = this.workplace(request.cwd);
    const c = place.config;
    // `/name args` of a custom command runs its prompt, with its model and tools.
    request = await withCommand(request, this.commands(place));
    const model = await this.model(request.model ?? this.defaultModelId(place), place);
    const guard = await this.guard(place, request, model.id);
    const effort = request.effort ?? c.effort;
    const budgetUsd = request.budgetUsd ?? c.budgetUsd;
    const budgetTokens = request.budgetTokens ?? c.budgetTokens;
    const context = request.context ?? c.context;
    const typed = await this.mcp.expandTask(place, request.task);
    const task = request.images?.length ? withImages(typed, request.images, model, place.cwd) : typed;
    const sessionId = request.sessionId ?? newSessionId();
    const guardedBy = guarded(guard, place.cwd);
    const runner = sessionRunner(guardedBy.runner, place.home, sessionId);
    const computer = request.tools ? undefined : this.computerUse(place, guard);
    const diagnostics = editDiagnostics(place, this.env);
    const maxSteps = request.maxSteps ?? c.maxSteps ?? DEFAULT_MAX_STEPS;
    const toolset = await this.toolset(place, request.tools, computer?.tools ?? [], request.allowedTools, {
      store: this.store, parentSessionId: sessionId, parentModel: model, model: (id) => this.model(id, place), guard, maxSteps,
      ...(effort ? { effort } : {}), ...(context ? { context } : {}), ...this.checkpointing(place),
    });
    try {
      return await startSession(task, {
        store: this.store,
        model,
        cwd: place.cwd,
        maxSteps,
        ...(effort ? { effort } : {}),
        ...(budgetUsd ? { budgetUsd } : {}),
        ...(budgetTokens ? { budgetTokens } : {}),
        ...(context ? { context } : {}),
        ...toolset.tools,
        ...(toolset.promptSections.length ? { promptSections: toolset.promptSections } : {}),
        sessionId,
        ...(request.name ? { name: request.name } : {}),
        userDir: place.home,
        ...this.checkpointing(place),
        ...guardedBy,
        ...(diagnostics ? { hooks: diagnostics.wrap(guardedBy.hooks ?? {}) } : {}),
        runner,
        ...runHandles(handles),
      });
    } finally {
      await guardedBy.hooks?.sessionEnd?.("other");
      await diagnostics?.close();
      await computer?.close();
      endSessionProcesses(place.home, sessionId, guardedBy.runner);
    }
  }

  /** Continues a stopped session from its log, guarded as a new one would be. */
  async resumeSession(id: string, request: ResumeRequest = {}, handles: RunHandles = {}): Promise<SessionResult> {
    const row = lookupSession(this.store, id);
    await this.settleTrust(row.cwd);
    const place = this.workplace(row.cwd);
    // A follow-up `/name args` runs the command's prompt (with its model and tools) as the next turn.
    request = await withFollowUpCommand(request, this.commands(place));
    const model = await this.model(request.model ?? row.model, place);
    const guard = await this.guard(place, request, model.id);
    const context = place.config.context;
    // What a killed run of this session left running goes before anything runs again.
    endSessionProcesses(place.home, row.id);
    const followUp = request.followUp ? await this.mcp.expandTask(place, request.followUp) : undefined;
    const guardedBy = guarded(guard, place.cwd);
    const runner = sessionRunner(guardedBy.runner, place.home, row.id);
    const diagnostics = editDiagnostics(place, this.env);
    const computer = request.tools ? undefined : this.computerUse(place, guard);
    // The same tools again (the stored tool list picks which of them the session had).
    const toolset = await this.toolset(place, request.tools, computer?.tools ?? [], request.allowedTools, {
      store: this.store, parentSessionId: row.id, parentModel: model, model: (id) => this.model(id, place), guard,
      maxSteps: request.maxSteps ?? place.config.maxSteps ?? DEFAULT_MAX_STEPS,
      ...(request.effort ? { effort: request.effort } : {}), ...(context ? { context } : {}), ...this.checkpointing(place),
    });
    try {
      return await resumeSession(row.id, {
        store: this.store,
        model,
        ...(request.effort ? { effort: request.effort } : {}),
        ...(request.maxSteps ? { maxSteps: request.maxSteps } : {}),
        ...(request.budgetUsd ? { budgetUsd: request.budgetUsd } : {}),
        ...(request.budgetTokens ? { budgetTokens: request.budgetTokens } : {}),
        ...(followUp ? { followUp } : {}),
        ...toolset.tools,
        ...(context ? { context } : {}),
        userDir: place.home,
        ...this.checkpointing(place),
        ...guardedBy,
        ...(diagnostics ? { hooks: diagnostics.wrap(guardedBy.hooks ?? {}) } : {}),
        runner,
        ...runHandles(handles),
      });
    } finally {
      await guardedBy.hooks?.sessionEnd?.("other");
      await diagnostics?.close();
      await computer?.close();
      endSessionProcesses(place.home, row.id, guardedBy.runner);
    }
  }

  /**
   * The checkpoints of a workspace: a shadow git repository under the colleague home. None when
   * config turns them off, or where git is missing (said once).
   */
  checkpoints(place: Workplace): ShadowRepo | undefined {
    if (place.config.checkpoints?.enabled === false) return undefined;
    if (!gitAvailable()) {
      if (!this.gitNoticeGiven) this.options.onNotice?.("git is not installed, so no checkpoints are taken and rewind cannot restore files");
      this.gitNoticeGiven = true;
      return undefined;
    }
    let repo = this.shadows.get(place.cwd);
    if (!repo) {
      repo = new ShadowRepo(place.home, place.cwd, place.config.checkpoints ?? {});
      this.shadows.set(place.cwd, repo);
    }
    return repo;
  }

  /** Rewinds a stopped session's files and/or conversation to a step (src/session/rewind.ts). */
  rewind(id: string, request: RewindRequest = {}): Promise<RewindResult> {
    return rewindSession(this.store, (cwd) => this.checkpoints(this.workplace(cwd)), id, request);
  }

  /** The request's own tools, or the core tools and what this machine and the workplace's config add (MCP tools join them in src/mcp/). */
  private toolsFor(place: Workplace, requested: AnyTool[] | undefined, ownTools: AnyTool[]): AnyTool[] {
    // What the machine offers (LibreOffice and pdftoppm for office_render) is probed once per host.
    this.machineTools ??= officeTools(this.options.onNotice, this.env);
    return requested ?? sessionTools(place.config, this.env, [...this.machineTools, ...ownTools], this.options.onNotice);
  }

  /** The custom slash commands of a workplace (files of the user and the project); bad files give one notice each. */
  commands(place: Workplace): CommandRegistry {
    return loadCommandRegistry(extensionPlaces(place, this.env), this.env, this.options.onNotice);
  }

  /**
   * What a solo session is offered, in a stable order: the request's tools or the core, machine,
   * the session's own (its browser and desktop) and config tools (./tools.ts), then skills and subagents (./extensions.ts), then MCP tools
   * (src/mcp/). A command's allowed-tools keeps only the tools it names.
   */
  private async toolset(place: Workplace, requested: AnyTool[] | undefined, ownTools: AnyTool[], allowed: string[] | undefined, child: ChildSessionContext) {
    const onNotice = this.options.onNotice;
    const extensions = sessionExtensions({ places: extensionPlaces(place, this.env), env: this.env, ...(onNotice ? { onNotice } : {}), baseTools: this.toolsFor(place, requested, ownTools), child });
    const withMcp = await this.mcp.sessionTools(place, extensions.tools, () => extensions.tools);
    const tools = allowed ? { tools: offered(withMcp.tools ?? extensions.tools, allowed, onNotice) } : withMcp;
    return { tools, promptSections: extensions.promptSections };
  }

  /** The session's browser and desktop (src/computer/), reaching the hosts its permission rules allow. */
  private computerUse(place: Workplace, guard: Guard | undefined): ComputerUse {
    return openComputerUse({
      workspace: place.cwd,
      env: this.env,
      allowsHost: (host) => guard?.allowsWebHost(host) ?? true,
      ...(this.options.onNotice ? { onNotice: this.options.onNotice } : {}),
    });
  }

  private checkpointing(place: Workplace) {
    const repo = this.checkpoints(place);
    return repo ? { checkpoints: repo } : {};
  }

  /** Closes the store and (in the background: `closeMcp` to wait) the MCP servers. */
  close(): void {
    void this.closeMcp();
    if (this.ownsStore) this.store.close();
  }

  /** Stops the MCP servers this host started (stdio servers are ended, never left behind). */
  closeMcp(): Promise<void> {
    return this.mcp.close();
  }
}

/** The task with its images attached as markers (src/session/images.ts); a bad image or a text-only model is a ConfigError. */
function withImages(task: string, images: string[], model: Model, cwd: string): string {
  const markers = images.map((image) => {
    const full = path.resolve(cwd, image);
    const problem = imageProblem(full);
    if (problem) throw new ConfigError(problem);
    const relative = path.relative(cwd, full);
    return imageMarker(relative.startsWith("..") || path.isAbsolute(relative) ? full : relative);
  });
  if (!model.info.capabilities.images) throw new ConfigError(`${model.id} does not take images; choose a model that does (see \`colleague models\`)`);
  return `${task}\n\n${markers.join("\n")}`;
}

/** Language-server diagnostics after edits, where the workplace's config turns them on. */
function editDiagnostics(place: Workplace, env: NodeJS.ProcessEnv): EditDiagnostics | undefined {
  return place.config.diagnostics?.enabled ? new EditDiagnostics(place.cwd, place.config.diagnostics, env) : undefined;
}

function extensionPlaces(place: Workplace, env: NodeJS.ProcessEnv): ExtensionPlaces {
  return { cwd: place.cwd, home: place.home, ...(env.HOME ? { userHome: env.HOME } : {}) };
}

/** The request a `/name args` task stands for: the command's prompt, and its model and tools when it sets them. */
async function withCommand(request: SessionRequest, commands: CommandRegistry): Promise<SessionRequest> {
  if (!request.task.startsWith("/")) return request;
  const expanded = await commands.expand(request.task);
  if (!expanded) return request;
  return {
    ...request,
    task: expanded.prompt,
    ...(expanded.model ? { model: expanded.model } : {}),
    ...(expanded.allowedTools ? { allowedTools: expanded.allowedTools } : {}),
  };
}

async function withFollowUpCommand(request: ResumeRequest, commands: CommandRegistry): Promise<ResumeRequest> {
  if (!request.followUp?.startsWith("/")) return request;
  const expanded = await commands.expand(request.followUp);
  if (!expanded) return request;
  return {
    ...request,
    followUp: expanded.prompt,
    ...(expanded.model ? { model: expanded.model } : {}),
    ...(expanded.allowedTools ? { allowedTools: expanded.allowedTools } : {}),
  };
}

/** The tools an allowed-tools list keeps; names that match none are said once. */
function offered(tools: AnyTool[], allowed: string[], onNotice?: (line: string) => void): AnyTool[] {
  const picked = pickTools(tools, allowed);
  if (picked.unknown.length) onNotice?.(`allowed-tools names tools that are not here: ${picked.unknown.join(", ")}`);
  return picked.tools;
}

/** The session options a guard supplies (or the unguarded ones, when the caller opted out). */
function guarded(guard: Guard | undefined, cwd: string) {
  if (!guard) return { hooks: undefined, runner: unsandboxedRunner(), permissionMode: "unguarded", sandbox: "off" };
  return { hooks: guard.hooks(), runner: guard.runnerFor(cwd), permissionMode: guard.mode, sandbox: guard.sandbox };
}

function runHandles(handles: RunHandles) {
  return {
    ...(handles.onEvent ? { onEvent: handles.onEvent } : {}),
    ...(handles.signal ? { signal: handles.signal } : {}),
    ...(handles.inbox ? { inbox: handles.inbox } : {}),
    ...(handles.onContextEngine ? { onContextEngine: handles.onContextEngine } : {}),
  };
}
