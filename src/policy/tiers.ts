import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import type { Category } from "./monitors/types.js";
import { pathGlob } from "./patterns.js";

/**
 * Trusted access tiers. An administrator's file — $COLLEAGUE_ADMIN_CONFIG or
 * /etc/colleague/policy.json, outside any workspace and not writable by the agent (the sandbox
 * mounts it read-only) — defines profiles. `standard` unlocks nothing. A profile such as
 * `security-research` declares a scope (hosts, paths) inside which dual-use actions (scanning,
 * exploit checks, load tests) are allowed; outside it they stay blocked. Each use is audited.
 */

const Profile = z
  .object({
    /** Monitor categories this profile unlocks inside its scope (default: exploitation, dos). */
    unlocks: z.array(z.string()).optional(),
    scope: z
      .object({ hosts: z.array(z.string()).default([]), paths: z.array(z.string()).default([]) })
      .strict()
      .default({ hosts: [], paths: [] }),
  })
  .strict();

export const AdminConfig = z
  .object({
    /** The profile every session uses. */
    profile: z.string().default("standard"),
    profiles: z.record(z.string(), Profile).default({}),
  })
  .strict();
export type AdminConfig = z.infer<typeof AdminConfig>;

export interface Tier {
  name: string;
  unlocks: ReadonlySet<string>;
  hosts: string[];
  paths: string[];
}

export const STANDARD_TIER: Tier = { name: "standard", unlocks: new Set(), hosts: [], paths: [] };

export const DEFAULT_ADMIN_FILE = "/etc/colleague/policy.json";

export function adminConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.COLLEAGUE_ADMIN_CONFIG ? path.resolve(env.COLLEAGUE_ADMIN_CONFIG) : DEFAULT_ADMIN_FILE;
}

export type TierLoad = { tier: Tier; warning?: string };

/**
 * The active tier. An admin file inside the workspace, or writable by everyone, is refused:
 * the agent could have written it.
 */
export function loadTier(workspaceRoot: string, env: NodeJS.ProcessEnv = process.env): TierLoad {
  const file = adminConfigPath(env);
  if (!existsSync(file)) return { tier: STANDARD_TIER };
  const rel = path.relative(workspaceRoot, file);
  if (rel === "" || (!rel.startsWith("..") && !path.isAbsolute(rel))) {
    return { tier: STANDARD_TIER, warning: `${file}: an admin config inside the workspace is ignored` };
  }
  if ((statSync(file).mode & 0o002) !== 0) {
    return { tier: STANDARD_TIER, warning: `${file}: world-writable, ignored` };
  }
  try {
    const config = AdminConfig.parse(JSON.parse(readFileSync(file, "utf8")));
    return { tier: tierFrom(config) };
  } catch (error) {
    return { tier: STANDARD_TIER, warning: `${file}: invalid (${(error as Error).message.split("\n")[0]}), using standard` };
  }
}

export function tierFrom(config: AdminConfig): Tier {
  if (config.profile === "standard" && !config.profiles.standard) return STANDARD_TIER;
  const profile = config.profiles[config.profile];
  if (!profile) return STANDARD_TIER;
  return {
    name: config.profile,
    unlocks: new Set(profile.unlocks ?? ["exploitation", "dos"]),
    hosts: profile.scope.hosts,
    paths: profile.scope.paths,
  };
}

/** Host patterns: exact names, `*.lab.internal`, `10.10.*`, or CIDR-less prefixes. */
export function hostInScope(tier: Tier, target: string): boolean {
  const host = target.toLowerCase().replace(/\/\d{1,2}$/, "");
  return tier.hosts.some((pattern) => {
    const p = pattern.toLowerCase();
    if (p === host) return true;
    if (p.startsWith("*.")) return host.endsWith(p.slice(1)) || host === p.slice(2);
    if (p.endsWith(".*")) return host.startsWith(p.slice(0, -1));
    return false;
  });
}

export function pathInScope(tier: Tier, target: string): boolean {
  return tier.paths.some((pattern) => pathGlob(pattern).test(target));
}

export function unlocks(tier: Tier, category: Category): boolean {
  return tier.unlocks.has(category);
}
