import { existsSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseJsonc } from "../config/jsonc.js";
import { isProjectTrusted } from "../config/trust.js";
import { findProjectRoot } from "../context/instructions.js";
import { DEFAULT_HOOK_TIMEOUT_S, type HookEntry, type HookEventName, HooksConfig } from "./schema.js";

/**
 * Where user hooks come from, in the order they are read:
 * - the user's: `hooks` in ~/.colleague/config.json, then in ~/.claude/settings.json;
 * - the project's (only once the user trusts the project): `hooks` in colleague.json at the project
 *   root and in the workspace, then .claude/settings.json and .claude/settings.local.json at the root.
 * A file that is not there is skipped; a broken .claude file is skipped with a notice (it belongs
 * to another tool, so it never stops a session); a broken colleague file is a config error elsewhere.
 */
export interface HookSources {
  entries: HookEntry[];
  notices: string[];
}

export interface HookSourceOptions {
  workspace: string;
  /** The colleague home (~/.colleague or $COLLEAGUE_HOME). */
  home: string;
  env: NodeJS.ProcessEnv;
}

export function claudeSettingsFiles(root: string): string[] {
  return [path.join(root, ".claude", "settings.json"), path.join(root, ".claude", "settings.local.json")];
}

/** The `hooks` of a JSON(C) settings file, when it has any. Throws with a readable message when the file is broken. */
export function readHooksOf(file: string): HooksConfig | undefined {
  if (!existsSync(file)) return undefined;
  const doc = parseJsonc(readFileSync(file, "utf8"), file);
  const hooks = (doc.value as { hooks?: unknown } | null)?.hooks;
  if (hooks === undefined) return undefined;
  const parsed = HooksConfig.safeParse(hooks);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${file}: hooks.${issue.path.join(".")}: ${issue.message}`);
  }
  return Object.keys(parsed.data).length ? parsed.data : undefined;
}

/** The .claude settings files of a project that set hooks (for the trust question). */
export function projectClaudeHookFiles(root: string): Array<{ file: string; hooks: HooksConfig }> {
  const found: Array<{ file: string; hooks: HooksConfig }> = [];
  for (const file of claudeSettingsFiles(root)) {
    try {
      const hooks = readHooksOf(file);
      if (hooks) found.push({ file, hooks });
    } catch {
      // A broken file sets nothing that could run; loadHooks says so when a session starts.
    }
  }
  return found;
}

export function loadHooks(options: HookSourceOptions): HookSources {
  const root = findProjectRoot(options.workspace);
  const userHome = options.env.HOME || os.homedir();
  const entries: HookEntry[] = [];
  const notices: string[] = [];
  const seen = new Set<string>();
  const read = (file: string, scope: HookEntry["scope"]) => {
    // The workspace may be the home folder itself: each file counts once.
    if (seen.has(file)) return;
    seen.add(file);
    let hooks: HooksConfig | undefined;
    try {
      hooks = readHooksOf(file);
    } catch (error) {
      notices.push(`hooks in ${file} were not loaded: ${(error as Error).message}`);
      return;
    }
    for (const [event, groups] of Object.entries(hooks ?? {})) {
      for (const group of groups) {
        for (const hook of group.hooks) {
          if (hook.type !== "command" || !hook.command) {
            notices.push(`skipped a "${hook.type}" hook for ${event} in ${file}: only "command" hooks run here`);
            continue;
          }
          entries.push({
            event: event as HookEventName,
            matcher: group.matcher ?? "",
            command: hook.command,
            timeoutS: hook.timeout ?? DEFAULT_HOOK_TIMEOUT_S,
            source: file,
            scope,
          });
        }
      }
    }
  };
  read(path.join(options.home, "config.json"), "user");
  read(path.join(userHome, ".claude", "settings.json"), "user");
  const colleagueFiles = [...new Set([path.join(root, "colleague.json"), path.join(options.workspace, "colleague.json")])];
  const claudeFiles = claudeSettingsFiles(root);
  if (isProjectTrusted(options.home, root)) {
    for (const file of [...colleagueFiles, ...claudeFiles]) read(file, "project");
  } else {
    // colleague.json's hooks are already named by the config's own notice (they are a steering key there).
    const waiting = projectClaudeHookFiles(root).map((f) => f.file);
    if (waiting.length) {
      notices.push(`the hooks in ${waiting.join(", ")} do not run: this project is not trusted (colleague trust add ${root})`);
    }
  }
  return { entries, notices };
}
