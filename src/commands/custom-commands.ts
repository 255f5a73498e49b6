import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { type ExtensionPlaces, extensionFolders } from "../config/extension-folders.js";
import { listField, parseFrontmatter, textField } from "../config/frontmatter.js";
import { modelIdFor } from "../config/model-aliases.js";
import type { ExpandedCommand, PromptCommand } from "./command.js";
import { attachReferencedFiles, substituteArguments } from "./expand.js";

/** A command from a markdown file, as Claude Code users write them. */
export interface CustomCommand extends PromptCommand {
  file: string;
  model?: string;
  allowedTools?: string[];
}

const MAX_DEPTH = 3;

/**
 * Custom commands of the user (~/.claude/commands, ~/.colleague/commands) and the project
 * (.claude/commands, .colleague/commands): `review.md` is /review, `frontend/component.md` is
 * /frontend:component. A project command replaces a user command of the same name; a file whose
 * frontmatter cannot be read gives one notice and is left out. Sorted by name.
 */
export function loadCustomCommands(places: ExtensionPlaces, env?: NodeJS.ProcessEnv, onNotice?: (line: string) => void): CustomCommand[] {
  const byName = new Map<string, CustomCommand>();
  for (const folder of extensionFolders("commands", places, env)) {
    for (const file of markdownFiles(folder.dir, 0)) {
      const name = path.relative(folder.dir, file).replace(/\.md$/i, "").split(path.sep).join(":");
      try {
        byName.set(name, readCommand(file, name, folder.scope, places.cwd));
      } catch (error) {
        onNotice?.(`skipped the command /${name} (${file}): ${(error as Error).message}`);
      }
    }
  }
  return [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export function readCommand(file: string, name: string, source: string, cwd: string): CustomCommand {
  const { data, raw, body } = parseFrontmatter(readFileSync(file, "utf8"));
  if (!body) throw new Error("the command has no prompt after its frontmatter");
  const model = modelIdFor(textField(data, "model"));
  const allowedTools = listField(data, "allowed-tools");
  // As written: YAML would read `[file] [focus]` as a list.
  const argumentHint = raw["argument-hint"] || textField(data, "argument-hint");
  // Claude Code describes a command without one by its first line.
  const description = textField(data, "description") ?? (body.split("\n")[0] ?? "").replace(/^#+\s*/, "").slice(0, 100);
  const expanded = (args: string): ExpandedCommand => ({
    prompt: attachReferencedFiles(substituteArguments(body, args), cwd),
    ...(model ? { model } : {}),
    ...(allowedTools?.length ? { allowedTools } : {}),
  });
  return {
    name,
    description,
    source,
    file,
    ...(argumentHint ? { argumentHint } : {}),
    ...(model ? { model } : {}),
    ...(allowedTools?.length ? { allowedTools } : {}),
    expand: async (args) => expanded(args),
  };
}

function markdownFiles(dir: string, depth: number): string[] {
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const name of names) {
    if (name.startsWith(".")) continue;
    const full = path.join(dir, name);
    let isDir = false;
    try {
      isDir = statSync(full).isDirectory();
    } catch {
      continue;
    }
    if (isDir && depth < MAX_DEPTH) out.push(...markdownFiles(full, depth + 1));
    else if (!isDir && name.toLowerCase().endsWith(".md")) out.push(full);
  }
  return out;
}
