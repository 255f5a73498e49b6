import { colleagueHome, type ConfigFile, loadConfig, storePath } from "../config/config.js";
import { createConfiguredModel } from "../config/models.js";
import type { EffortSetting } from "../agent/effort.js";
import type { Model } from "../model/types.js";
import { SqliteStore } from "../store/sqlite.js";
import { UsageError } from "./errors.js";

export const EFFORTS = ["low", "medium", "high", "max", "auto"] as const;

/** `auto` is kept as is: the loop chooses effort per step (src/agent/effort.ts). */
export function parseEffort(value: string | undefined): EffortSetting | undefined {
  if (value === undefined) return undefined;
  if (!(EFFORTS as readonly string[]).includes(value)) {
    throw new UsageError(`--effort must be one of ${EFFORTS.join(", ")}, got "${value}"`);
  }
  return value as EffortSetting;
}

export function openStore(env: NodeJS.ProcessEnv = process.env): SqliteStore {
  return new SqliteStore(storePath(env));
}

export interface Setup {
  config: ConfigFile;
  home: string;
}

export function readSetup(cwd: string, env: NodeJS.ProcessEnv = process.env): Setup {
  return { config: loadConfig(cwd, env).config, home: colleagueHome(env) };
}

export async function modelFor(id: string, setup: Setup, env: NodeJS.ProcessEnv = process.env): Promise<Model> {
  return createConfiguredModel(id, setup.config, env);
}

/**
 * Ctrl-C once: abort the run cleanly (the log records it). Twice: leave at once.
 * Returns the signal and a function that removes the handler.
 */
export function interruptible(): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(130);
    controller.abort();
  };
  process.on("SIGINT", onSigint);
  process.on("SIGTERM", onSigint);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off("SIGINT", onSigint);
      process.off("SIGTERM", onSigint);
    },
  };
}
