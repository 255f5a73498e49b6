import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { type ExtensionPlaces, extensionFolders } from "../config/extension-folders.js";
import { listField, parseFrontmatter, textField } from "../config/frontmatter.js";

/** A subagent: a named specialist with its own system prompt, model, tools and effort. */
export interface SubagentDefinition {
  name: string;
  description: string;
  /** Its system prompt (the file's body). */
  prompt: string;
  /** "inherit" (or absent): the parent's model; otherwise an id or an alias (sonnet, opus, haiku). */
  model?: string;
  /** The tools it is offered, in Claude Code's or our names (absent: all of the parent's but `task`). */
  tools?: string[];
  effort?: string;
  source: "built-in" | "user" | "project";
  file?: string;
}

const NAME = /^[a-z0-9][a-z0-9_-]*$/i;

/** The subagent offered when no file defines one. */
export const GENERAL_PURPOSE: SubagentDefinition = {
  name: "general-purpose",
  description: "A general agent for researching questions, searching code and doing multi-step tasks on its own.",
  prompt:
    "You are a subagent: another agent handed you one self-contained task. Do it with the tools you have, then answer with a concise report of what you found or did — that report is all the other agent sees. Include file paths and facts it needs; leave out the steps you took to get there.",
  source: "built-in",
};

/**
 * Subagents of the user (~/.claude/agents, ~/.colleague/agents) and of the project
 * (.claude/agents, .colleague/agents), by name; a project definition replaces a user one. The
 * general-purpose agent is there unless a file defines that name. A file that cannot be read
 * gives one notice and is left out.
 */
export function loadSubagents(places: ExtensionPlaces, env?: NodeJS.ProcessEnv, onNotice?: (line: string) => void): SubagentDefinition[] {
  const byName = new Map<string, SubagentDefinition>([[GENERAL_PURPOSE.name, GENERAL_PURPOSE]]);
  for (const folder of extensionFolders("agents", places, env)) {
    let names: string[];
    try {
      names = readdirSync(folder.dir).filter((n) => n.toLowerCase().endsWith(".md") && !n.startsWith(".")).sort();
    } catch {
      continue;
    }
    for (const entry of names) {
      const file = path.join(folder.dir, entry);
      try {
        const definition = readSubagent(file, folder.scope);
        byName.set(definition.name, definition);
      } catch (error) {
        onNotice?.(`skipped the subagent in ${file}: ${(error as Error).message}`);
      }
    }
  }
  return [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export function readSubagent(file: string, source: SubagentDefinition["source"]): SubagentDefinition {
  const { data, body } = parseFrontmatter(readFileSync(file, "utf8"));
  const name = textField(data, "name");
  const description = textField(data, "description")?.replace(/\s+/g, " ");
  if (!name) throw new Error("no `name` in its frontmatter");
  if (!NAME.test(name)) throw new Error(`the name "${name}" is not letters, digits, - and _`);
  if (!description) throw new Error("no `description` in its frontmatter");
  if (!body) throw new Error("no system prompt after its frontmatter");
  const model = textField(data, "model");
  const tools = listField(data, "tools");
  const effort = textField(data, "effort");
  return {
    name,
    description,
    prompt: body,
    source,
    file,
    ...(model ? { model } : {}),
    ...(tools?.length ? { tools } : {}),
    ...(effort ? { effort } : {}),
  };
}
