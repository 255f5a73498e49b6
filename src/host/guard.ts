import path from "node:path";
import { type ConfigFile, DEFAULT_MODEL } from "../config/config.js";
import { createConfiguredModel } from "../config/models.js";
import { findProjectRoot } from "../context/instructions.js";
import { ConfigError } from "../model/resolve.js";
import type { Approver } from "../policy/approver.js";
import { AuditLog } from "../policy/audit.js";
import { loadPolicyLayers, PERMISSION_MODES, type PermissionMode, type PolicyLayers } from "../policy/config.js";
import { createPolicyHooks, type PolicyHooks } from "../policy/hooks.js";
import { createModelJudge, defaultJudgeId, type Judge } from "../policy/monitors/judge.js";
import { effectiveMode, PermissionPolicy } from "../policy/permissions.js";
import { loadTier } from "../policy/tiers.js";
import type { ProcessRunner } from "../tools/io.js";
import { unsandboxedRunner } from "../policy/sandbox/index.js";
import { openSandbox, type SandboxBackend } from "./sandbox.js";
import { type SessionEndHook, userHookLayer } from "../hooks/layer.js";
import { loadHooks } from "../hooks/sources.js";

/**
 * The guard of one session or team: permissions, the approver, the sandbox, monitors, tiers,
 * honesty and the audit log, built from the user's and the project's files and the person's
 * choices (flags, the library's options). Every face gets its guard here, so none can forget it.
 */
export interface GuardRequest {
  workspace: string;
  config: ConfigFile;
  env: NodeJS.ProcessEnv;
  /** The colleague home: hidden from commands; holds the audit log by default. */
  home: string;
  /** The person's choice now (a flag, an option); otherwise COLLEAGUE_PERMISSION_MODE, then config. */
  mode?: PermissionMode;
  /**
   * "off" runs commands unsandboxed (the person's explicit choice); "if-available" uses a
   * sandbox where one works and runs unsandboxed, with a notice, where none does (a face whose
   * commands are known in advance, such as the demo's script).
   */
  sandbox?: SandboxSwitch;
  approver: Approver;
  /** Whether the approver reaches a person; without one, whatever needs approval is denied. */
  interactive: boolean;
  /** The session's model id: the default judge is its provider's small model (default: as a session's). */
  model?: string;
}

export interface Guard {
  readonly mode: PermissionMode;
  /** The backend that guards shell commands: "off" when the person turned the sandbox off. */
  readonly sandbox: SandboxBackend | "off";
  /** One-line notices for the face to show (an unsandboxed run, an ignored admin file). */
  readonly notices: string[];
  /**
   * Fresh policy hooks for one agent (hooks hold per-run state); a team's agents share grants.
   * A teammate in its own worktree passes that folder as its workspace.
   */
  /** `ownTask`: the agent's task is colleague's own brief (PolicyOptions.ownTask). */
  hooks(agent?: { id?: string; workspace?: string; subagent?: boolean; ownTask?: boolean }): PolicyHooks & SessionEndHook;
  /** The process runner for an agent whose workspace is `cwd` (a teammate's worktree has its own). */
  runnerFor(cwd: string): ProcessRunner;
  /** Whether the permission rules let web tools reach `host` without asking (the browser's request routing asks this). */
  allowsWebHost(host: string): boolean;
}

export type SandboxSwitch = "on" | "off" | "if-available";

export function parsePermissionMode(value: string | undefined, source = "--permission-mode"): PermissionMode | undefined {
  if (value === undefined || value === "") return undefined;
  if (!(PERMISSION_MODES as readonly string[]).includes(value)) {
    throw new ConfigError(`${source} must be one of ${PERMISSION_MODES.join(", ")}, got "${value}"`);
  }
  return value as PermissionMode;
}

export function parseSandboxSwitch(value: string | undefined, source = "--sandbox"): "on" | "off" | undefined {
  if (value === undefined || value === "") return undefined;
  if (value !== "on" && value !== "off") throw new ConfigError(`${source} must be on or off, got "${value}"`);
  return value;
}

export function readPolicyLayers(workspace: string, home: string): PolicyLayers {
  const root = findProjectRoot(workspace);
  const projectFiles = [...new Set([path.join(root, "colleague.json"), path.join(workspace, "colleague.json")])];
  return loadPolicyLayers(path.join(home, "config.json"), projectFiles);
}

const SANDBOX_FIXES =
  "install bubblewrap (apt-get install bubblewrap) or allow unprivileged user namespaces (see `colleague doctor`), " +
  'or accept unsandboxed commands explicitly with --sandbox off or "sandbox": {"allowUnsandboxed": true} in ~/.colleague/config.json';

export async function openGuard(request: GuardRequest): Promise<Guard> {
  const { workspace, env, home } = request;
  const notices: string[] = [];
  const layers = readPolicyLayers(workspace, home);
  const mode = request.mode ?? parsePermissionMode(env.COLLEAGUE_PERMISSION_MODE, "COLLEAGUE_PERMISSION_MODE");
  // The hosts the user lets sandboxed commands reach are open to the web tools too.
  const webHosts = (layers.user.sandbox?.allowedHosts ?? []).map((host) => `web: ${host}`);
  const permissions = new PermissionPolicy(layers, { ...(mode ? { mode } : {}), extraAllow: webHosts });
  const projectMode = layers.project.permissions?.mode;
  if (!mode && projectMode && effectiveMode(layers) !== projectMode) {
    notices.push(
      `ignored the project's permissions.mode "${projectMode}": it is looser than yours ("${permissions.mode}"), and a project can only tighten (choose with --permission-mode)`,
    );
  }
  const switched = request.sandbox ?? parseSandboxSwitch(env.COLLEAGUE_SANDBOX, "COLLEAGUE_SANDBOX");
  const userSandbox = layers.user.sandbox ?? {};
  // The project may turn the sandbox on, never off.
  const enabled = switched ? switched !== "off" : userSandbox.enabled !== false || layers.project.sandbox?.enabled === true;
  const auditFile = layers.user.auditLog ? path.resolve(layers.user.auditLog) : path.join(home, "audit.jsonl");
  const audit = new AuditLog(auditFile);

  const passEnv = userSandbox.passEnv ?? [];
  const sandboxFor = (cwd: string, readable: readonly string[] = []) =>
    openSandbox(
      {
        workspace: cwd,
        network: userSandbox.network === true && layers.project.sandbox?.network !== false,
        ...(userSandbox.readableHome || readable.length ? { readableHome: [...(userSandbox.readableHome ?? []), ...readable] } : {}),
        allowedHosts: userSandbox.allowedHosts ?? [],
        onHostRequest: (host, allowed) => audit.append("sandbox", "permission", { proxy: host, allowed }),
        hidden: [home],
        passEnv,
      },
      env,
      userSandbox.backend,
    );
  let backend: SandboxBackend | "off" = "off";
  let unsandboxedShell: { reason: string; hint: string } | undefined;
  const runners = new Map<string, ProcessRunner>();
  if (enabled) {
    const first = sandboxFor(workspace);
    backend = first.backend;
    runners.set(workspace, first.runner);
    if (first.backend === "none") {
      const why = first.notes.join("; ") || "no sandbox backend works here";
      if (switched === "if-available") {
        notices.push(`no sandbox works here (${why}), so commands run unsandboxed; \`colleague doctor\` says how to fix it`);
      } else if (userSandbox.allowUnsandboxed === true) {
        notices.push(`no sandbox works here (${why}): commands run unsandboxed (sandbox.allowUnsandboxed)`);
      } else if (permissions.mode === "full-auto") {
        throw new ConfigError(`full-auto needs a sandbox, and none works here (${why}). To fix: ${SANDBOX_FIXES}`);
      } else {
        notices.push(`no sandbox works here (${why}): every shell command asks first; \`colleague doctor\` says how to fix it`);
        unsandboxedShell = {
          reason: "no sandbox works here, so every command asks first",
          hint: `needs approval, and there is no terminal to ask on; to fix: ${SANDBOX_FIXES}`,
        };
      }
    }
  } else {
    runners.set(workspace, unsandboxedRunner(passEnv));
    notices.push("shell commands run WITHOUT the sandbox (--sandbox off / sandbox.enabled false)");
  }

  const { tier, warning } = loadTier(workspace, env);
  if (warning) notices.push(warning);
  const judge = await judgeFor(layers, request.config, env, request.model);
  const runnerFor = (cwd: string): ProcessRunner => {
    const key = path.resolve(cwd);
    let runner = runners.get(key);
    if (!runner) {
      runner = enabled ? sandboxFor(key).runner : unsandboxedRunner(passEnv);
      runners.set(key, runner);
    }
    return runner;
  };
  // The user's hooks (src/hooks/) run sandboxed like commands, with ~/.claude/hooks readable for their scripts.
  const userHooks = loadHooks({ workspace, home, env });
  notices.push(...userHooks.notices);
  // Each agent's hooks get a runner of their own, closed when its session ends.
  const hookRunnerFor = (cwd: string) => (enabled ? sandboxFor(path.resolve(cwd), [".claude/hooks"]).runner : unsandboxedRunner(passEnv));
  return {
    mode: permissions.mode,
    sandbox: backend,
    notices,
    hooks: (agent = {}) => {
      const layer = userHookLayer(userHooks.entries, {
        workspace: agent.workspace ?? workspace,
        runner: () => hookRunnerFor(agent.workspace ?? workspace),
        permissionMode: permissions.mode,
        stopEvent: agent.subagent ? "SubagentStop" : "Stop",
      });
      const policy = createPolicyHooks({
        workspace: agent.workspace ?? workspace,
        layers,
        permissions,
        approver: request.approver,
        interactive: request.interactive,
        tier,
        audit,
        ...(judge ? { judge } : {}),
        ...(agent.id ? { agentId: agent.id } : {}),
        ...(agent.ownTask ? { ownTask: true } : {}),
        ...(unsandboxedShell ? { unsandboxedShell } : {}),
        policyFiles: { home, auditLog: auditFile },
        ...(layer ? { approver: layer.notifying(request.approver), hookPermission: layer.hookPermission } : {}),
      });
      return layer ? layer.wrap(policy) : policy;
    },
    allowsWebHost(host) {
      const probe = { type: "tool_call" as const, id: "browser-request", name: "web_fetch", args: { url: `https://${host}/` } };
      return permissions.decide(probe, undefined, workspace).decision === "allow";
    },
    runnerFor,
  };
}

/** The judge of the monitors' ambiguous middle: the user's choice, else the session provider's small model where reachable. */
export async function judgeFor(layers: PolicyLayers, config: ConfigFile, env: NodeJS.ProcessEnv, sessionModel?: string): Promise<Judge | undefined> {
  const chosen = layers.user.monitors?.judge;
  if (chosen === false) return undefined;
  if (chosen) return createModelJudge(await createConfiguredModel(chosen, config, env));
  // By default the session provider's small model decides the ambiguous middle, where its key is
  // set and the provider is reached directly: a proxy or local server may not serve that model.
  const id = defaultJudgeId(sessionModel || env.COLLEAGUE_MODEL || config.model || DEFAULT_MODEL);
  const provider = id?.split(":")[0] as keyof typeof JUDGE_ENV | undefined;
  if (!id || !provider) return undefined;
  const settings = config.providers?.[provider];
  if (!(env[JUDGE_ENV[provider].key] || settings?.apiKey) || env[JUDGE_ENV[provider].url] || settings?.baseURL) return undefined;
  return createModelJudge(await createConfiguredModel(id, config, env));
}

const JUDGE_ENV = {
  anthropic: { key: "ANTHROPIC_API_KEY", url: "ANTHROPIC_BASE_URL" },
  openai: { key: "OPENAI_API_KEY", url: "OPENAI_BASE_URL" },
} as const;
