import { existsSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { z } from "zod";
import { findProjectRoot } from "../context/instructions.js";
import { ConfigError } from "../model/resolve.js";
import { PolicyKeys } from "../policy/config.js";

const Effort = z.enum(["low", "medium", "high", "max", "auto"]);

const Provider = z
  .object({
    apiKey: z.string().optional(),
    baseURL: z.string().url().optional(),
    headers: z.record(z.string(), z.string()).optional(),
    /** Use the model's long-context (1M) window where it has one. */
    longContext: z.boolean().optional(),
    timeoutMs: z.number().int().positive().optional(),
    /** `compatible` only: vendor quirks (see docs/configuration.md). */
    compat: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

/** The context engine (docs/configuration.md, `context`). */
const Share = z.number().gt(0).lt(1);
export const ContextConfig = z
  .object({
    compactAt: Share.optional(),
    keepRecent: Share.optional(),
    clearAt: Share.optional(),
    keepToolResults: z.number().int().nonnegative().optional(),
    native: z.boolean().optional(),
    repoMapAtStart: z.number().int().nonnegative().optional(),
  })
  .strict();

export const ConfigFile = z
  .object({
    model: z.string().optional(),
    effort: Effort.optional(),
    maxSteps: z.number().int().positive().optional(),
    budgetUsd: z.number().positive().optional(),
    budgetTokens: z.number().int().positive().optional(),
    context: ContextConfig.optional(),
    providers: z
      .object({ anthropic: Provider.optional(), openai: Provider.optional(), compatible: Provider.optional() })
      .strict()
      .optional(),
    // Safety keys (issue 6): permissions, sandbox, monitors, honesty, auditLog; see src/policy/config.ts.
    ...PolicyKeys,
  })
  .strict();
export type ConfigFile = z.infer<typeof ConfigFile>;

export const DEFAULT_MODEL = "anthropic:claude-opus-4-6";
export const DEFAULT_MAX_STEPS = 100;

/** ~/.colleague, or $COLLEAGUE_HOME: user config, user AGENTS.md and the session store. */
export function colleagueHome(env: NodeJS.ProcessEnv = process.env): string {
  return env.COLLEAGUE_HOME ? path.resolve(env.COLLEAGUE_HOME) : path.join(os.homedir(), ".colleague");
}

export function storePath(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(colleagueHome(env), "sessions.db");
}

function readConfigFile(file: string): ConfigFile {
  if (!existsSync(file)) return {};
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new ConfigError(`${file}: not valid JSON (${(error as Error).message})`);
  }
  const parsed = ConfigFile.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length ? issue.path.join(".") : "top level";
    throw new ConfigError(`${file}: ${where}: ${issue.message}`);
  }
  return parsed.data;
}

/** Project settings override the user's, key by key; provider blocks merge field by field. */
function merge(user: ConfigFile, project: ConfigFile): ConfigFile {
  const providers: NonNullable<ConfigFile["providers"]> = {};
  for (const name of ["anthropic", "openai", "compatible"] as const) {
    const merged = { ...user.providers?.[name], ...project.providers?.[name] };
    if (Object.keys(merged).length) providers[name] = merged;
  }
  const context = { ...user.context, ...project.context };
  return { ...user, ...project, providers, ...(Object.keys(context).length ? { context } : {}) };
}

export interface LoadedConfig {
  config: ConfigFile;
  /** The files that were read, for `colleague doctor`-style messages. */
  files: string[];
}

/** Reads ~/.colleague/config.json, then colleague.json at the project root and in `cwd`. */
export function loadConfig(cwd: string, env: NodeJS.ProcessEnv = process.env): LoadedConfig {
  const userFile = path.join(colleagueHome(env), "config.json");
  const root = findProjectRoot(cwd);
  const projectFiles = [...new Set([path.join(root, "colleague.json"), path.join(path.resolve(cwd), "colleague.json")])];
  let config = readConfigFile(userFile);
  const files = existsSync(userFile) ? [userFile] : [];
  for (const file of projectFiles) {
    if (!existsSync(file)) continue;
    config = merge(config, readConfigFile(file));
    files.push(file);
  }
  return { config, files };
}
