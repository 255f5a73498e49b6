import path from "node:path";
import { colleagueHome, type ConfigFile } from "../config/config.js";
import { createConfiguredModel } from "../config/models.js";
import { findProjectRoot } from "../context/instructions.js";
import { ConfigError } from "../model/resolve.js";
import { denyingApprover, terminalApprover } from "../policy/approver.js";
import { AuditLog } from "../policy/audit.js";
import { loadPolicyLayers, PERMISSION_MODES, type PermissionMode, type PolicyLayers } from "../policy/config.js";
import { createPolicyHooks, type PolicyHooks } from "../policy/hooks.js";
import { createModelJudge } from "../policy/monitors/judge.js";
import { backendFromEnv, createSandbox, type SandboxBackend, SandboxUnavailable, unavailableMessage, unsandboxedRunner } from "../policy/sandbox/index.js";
import { loadTier } from "../policy/tiers.js";
import type { ProcessRunner } from "../tools/io.js";
import { Workspace } from "../tools/workspace.js";
import { UsageError } from "./errors.js";

/** The policy flags `run` and `resume` share. */
export const policyFlags = {
  "permission-mode": { type: "string" },
  sandbox: { type: "string" },
} as const;

export interface PolicyFlagValues {
  "permission-mode"?: string | boolean;
  sandbox?: string | boolean;
}

export interface CliPolicy {
  hooks: PolicyHooks;
  runner: ProcessRunner;
  /** One-line notices for stderr (an ignored admin file, an unsandboxed run). */
  notices: string[];
}

export function readPolicyLayers(cwd: string, env: NodeJS.ProcessEnv = process.env): PolicyLayers {
  const userFile = path.join(colleagueHome(env), "config.json");
  const root = findProjectRoot(cwd);
  const projectFiles = [...new Set([path.join(root, "colleague.json"), path.join(path.resolve(cwd), "colleague.json")])];
  return loadPolicyLayers(userFile, projectFiles);
}

function parseMode(value: string | boolean | undefined, env: NodeJS.ProcessEnv): PermissionMode | undefined {
  const mode = typeof value === "string" ? value : env.COLLEAGUE_PERMISSION_MODE;
  if (mode === undefined || mode === "") return undefined;
  if (!(PERMISSION_MODES as readonly string[]).includes(mode)) {
    throw new UsageError(`--permission-mode must be one of ${PERMISSION_MODES.join(", ")}, got "${mode}"`);
  }
  return mode as PermissionMode;
}

/**
 * Builds the policy hooks and the (sandboxed) process runner for a CLI run. The sandbox and
 * the mode come from the user's layer and flags; the project layer may only tighten them.
 */
export async function cliPolicy(cwd: string, flags: PolicyFlagValues, config: ConfigFile, env: NodeJS.ProcessEnv = process.env): Promise<CliPolicy> {
  const notices: string[] = [];
  const workspace = new Workspace(cwd).root;
  const layers = readPolicyLayers(workspace, env);
  const mode = parseMode(flags["permission-mode"], env);
  const sandboxFlag = typeof flags.sandbox === "string" ? flags.sandbox : env.COLLEAGUE_SANDBOX;
  if (sandboxFlag !== undefined && sandboxFlag !== "on" && sandboxFlag !== "off") {
    throw new UsageError(`--sandbox must be on or off, got "${sandboxFlag}"`);
  }
  const userSandbox = layers.user.sandbox ?? {};
  const enabled = sandboxFlag ? sandboxFlag === "on" : userSandbox.enabled !== false || layers.project.sandbox?.enabled === true;
  const home = colleagueHome(env);
  const audit = new AuditLog(layers.user.auditLog ? path.resolve(layers.user.auditLog) : path.join(home, "audit.jsonl"));
  const passEnv = userSandbox.passEnv ?? [];
  let runner: ProcessRunner;
  if (enabled) {
    try {
      const chosen = backendFromEnv(env) ?? userSandbox.backend;
      const sandbox = createSandbox({
        workspace,
        network: userSandbox.network === true && layers.project.sandbox?.network !== false,
        readableHome: userSandbox.readableHome ?? [],
        allowedHosts: userSandbox.allowedHosts ?? [],
        onHostRequest: (host, allowed) => audit.append("sandbox", "permission", { proxy: host, allowed }),
        hidden: [home],
        passEnv,
        ...withBackend(chosen),
      });
      if (sandbox.backend === "none" && chosen !== "none" && userSandbox.allowUnsandboxed !== true) {
        throw new ConfigError(unavailableMessage(`no sandbox backend works here (${sandbox.notes.join("; ")})`));
      }
      runner = sandbox.runner;
    } catch (error) {
      if (error instanceof SandboxUnavailable) throw new ConfigError(unavailableMessage(error.message));
      throw error;
    }
  } else {
    notices.push("shell commands run WITHOUT the sandbox (--sandbox off / sandbox.enabled false)");
    runner = unsandboxedRunner(passEnv);
  }
  const { tier, warning } = loadTier(workspace, env);
  if (warning) notices.push(warning);
  const judgeId = layers.user.monitors?.judge;
  const judge = judgeId ? createModelJudge(await createConfiguredModel(judgeId, config, env)) : undefined;
  const interactive = process.stdin.isTTY === true && process.stderr.isTTY === true;
  const hooks = createPolicyHooks({
    workspace,
    layers,
    ...(mode ? { mode } : {}),
    approver: interactive ? terminalApprover(process.stdin, process.stderr) : denyingApprover,
    interactive,
    tier,
    ...(judge ? { judge } : {}),
    audit,
  });
  return { hooks, runner, notices };
}

const withBackend = (backend: SandboxBackend | undefined) => (backend ? { backend } : {});
