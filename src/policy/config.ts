import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { parseJsonc } from "../config/jsonc.js";
import { SANDBOX_BACKENDS } from "./sandbox/options.js";

/**
 * The policy keys of `~/.colleague/config.json` (user) and `colleague.json` (project). They are
 * part of the ordinary config files, but policy reads the user and project layers separately:
 * a merge where the project overrides the user would let a cloned repository loosen the user's
 * limits.
 */

export const PERMISSION_MODES = ["read-only", "ask", "auto-edit", "full-auto"] as const;
export const PermissionMode = z.enum(PERMISSION_MODES);
export type PermissionMode = z.infer<typeof PermissionMode>;

/** A rule: `"<tool>: <pattern>"`, e.g. `"shell: git *"`, `"write: src/**"`, `"read: **\/.env"`, `"shell"`. */
const RuleText = z.string().min(1);

export const PermissionsConfig = z
  .object({
    mode: PermissionMode.optional(),
    allow: z.array(RuleText).optional(),
    ask: z.array(RuleText).optional(),
    deny: z.array(RuleText).optional(),
  })
  .strict();
export type PermissionsConfig = z.infer<typeof PermissionsConfig>;

export const SandboxConfig = z
  .object({
    /** Run shell commands in the OS sandbox (default true). */
    enabled: z.boolean().optional(),
    /** Force a backend instead of the chain bubblewrap → unshare (COLLEAGUE_SANDBOX_BACKEND overrides it). */
    backend: z.enum(SANDBOX_BACKENDS).optional(),
    /** When no sandbox backend works here, run unsandboxed instead of failing (default false). */
    allowUnsandboxed: z.boolean().optional(),
    /** Give commands the network (default false: no network at all). */
    network: z.boolean().optional(),
    /** Without `network`: hosts reachable through the sandbox's filtering HTTP proxy (user file only). */
    allowedHosts: z.array(z.string()).optional(),
    /** HOME dot-entries that stay readable (e.g. ".gitconfig"); every other one is hidden. */
    readableHome: z.array(z.string()).optional(),
    /** Environment variables passed to commands although their names look like secrets (e.g. "GITHUB_TOKEN"). */
    passEnv: z.array(z.string()).optional(),
  })
  .strict();
export type SandboxConfig = z.infer<typeof SandboxConfig>;

export const MonitorAction = z.enum(["log", "warn", "ask", "block"]);
export type MonitorAction = z.infer<typeof MonitorAction>;

export const MonitorsConfig = z
  .object({
    enabled: z.boolean().optional(),
    /** Per category: what a detection does. */
    actions: z.record(z.string(), MonitorAction).optional(),
    /**
     * A model id (`provider:model`) asked about the ambiguous middle. By default the session
     * provider's small model (claude-haiku-4-5, gpt-5-mini) when its key is set; false: none.
     */
    judge: z.union([z.string(), z.literal(false)]).optional(),
  })
  .strict();
export type MonitorsConfig = z.infer<typeof MonitorsConfig>;

export const HonestyConfig = z.object({ enabled: z.boolean().optional() }).strict();

/** The policy part of a config file; config.ts includes these keys in its schema. */
export const PolicyKeys = {
  permissions: PermissionsConfig.optional(),
  sandbox: SandboxConfig.optional(),
  monitors: MonitorsConfig.optional(),
  honesty: HonestyConfig.optional(),
  /** Where the audit log goes (default: $COLLEAGUE_HOME/audit.jsonl); user config only. */
  auditLog: z.string().optional(),
};
const PolicyFile = z.object(PolicyKeys);
export type PolicyFile = z.infer<typeof PolicyFile>;

export interface PolicyLayers {
  user: PolicyFile;
  project: PolicyFile;
}

/** Reads only the policy keys of each file (config.ts validates the whole file). */
function readPolicyKeys(file: string): PolicyFile {
  if (!existsSync(file)) return {};
  try {
    // JSONC, like the rest of the file; a broken file is reported by config.ts, which reads it first.
    const json = parseJsonc(readFileSync(file, "utf8"), file).value as Record<string, unknown>;
    const picked = Object.fromEntries(Object.keys(PolicyKeys).map((k) => [k, json?.[k]]));
    const parsed = PolicyFile.safeParse(picked);
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}

/** The user layer and the project layer (project root and working folder, merged). */
export function loadPolicyLayers(userFile: string, projectFiles: readonly string[]): PolicyLayers {
  const user = readPolicyKeys(userFile);
  let project: PolicyFile = {};
  for (const file of projectFiles) {
    const next = readPolicyKeys(path.resolve(file));
    project = {
      ...project,
      ...next,
      permissions: mergeRules(project.permissions, next.permissions),
    };
  }
  // The audit log location is the user's choice only: a project must not redirect it.
  delete project.auditLog;
  return { user, project };
}

function mergeRules(a: PermissionsConfig | undefined, b: PermissionsConfig | undefined): PermissionsConfig | undefined {
  if (!a) return b;
  if (!b) return a;
  return {
    ...(b.mode ?? a.mode ? { mode: (b.mode ?? a.mode) as PermissionMode } : {}),
    allow: [...(a.allow ?? []), ...(b.allow ?? [])],
    ask: [...(a.ask ?? []), ...(b.ask ?? [])],
    deny: [...(a.deny ?? []), ...(b.deny ?? [])],
  };
}
