import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { type ExtensionPlaces, extensionFolders } from "../config/extension-folders.js";
import { listField, parseFrontmatter, textField } from "../config/frontmatter.js";

/** A skill in the Agent Skills format: a folder with SKILL.md (frontmatter + instructions) and any files beside it. */
export interface Skill {
  name: string;
  description: string;
  /** The skill's folder (its files are read through the `skill` tool). */
  dir: string;
  scope: "user" | "project";
  allowedTools?: string[];
  license?: string;
  metadata?: Record<string, unknown>;
}

/** The published format's limits: a lowercase-hyphenated name of up to 64 characters, a description of up to 1024. */
const NAME = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const MAX_NAME = 64;
const MAX_DESCRIPTION = 1024;

/**
 * The skills of the user's home (~/.claude/skills, ~/.colleague/skills) and of the project
 * (.claude/skills, .colleague/skills); a project skill replaces a user skill of the same name.
 * A skill whose SKILL.md cannot be read gives one notice and is left out. Sorted by name, so the
 * system prompt that lists them is the same bytes every time.
 */
export function loadSkills(places: ExtensionPlaces, env?: NodeJS.ProcessEnv, onNotice?: (line: string) => void): Skill[] {
  const byName = new Map<string, Skill>();
  for (const folder of extensionFolders("skills", places, env)) {
    for (const entry of subfolders(folder.dir)) {
      const dir = path.join(folder.dir, entry);
      const file = path.join(dir, "SKILL.md");
      if (!existsSync(file)) continue;
      try {
        const skill = readSkill(file, folder.scope);
        byName.set(skill.name, skill);
      } catch (error) {
        onNotice?.(`skipped the skill in ${dir}: ${(error as Error).message}`);
      }
    }
  }
  return [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Reads one SKILL.md; throws a one-line reason when it does not follow the format. */
export function readSkill(file: string, scope: Skill["scope"]): Skill {
  const { data } = parseFrontmatter(readFileSync(file, "utf8"));
  const name = textField(data, "name");
  const description = textField(data, "description")?.replace(/\s+/g, " ");
  if (!name) throw new Error("SKILL.md has no `name` in its frontmatter");
  if (!NAME.test(name) || name.length > MAX_NAME) throw new Error(`the name "${name}" is not lowercase letters, digits and hyphens (at most ${MAX_NAME})`);
  if (!description) throw new Error("SKILL.md has no `description` in its frontmatter");
  const allowedTools = listField(data, "allowed-tools");
  const license = textField(data, "license");
  const metadata = data.metadata;
  return {
    name,
    description: description.length > MAX_DESCRIPTION ? `${description.slice(0, MAX_DESCRIPTION)}…` : description,
    dir: path.dirname(file),
    scope,
    ...(allowedTools?.length ? { allowedTools } : {}),
    ...(license ? { license } : {}),
    ...(metadata && typeof metadata === "object" && !Array.isArray(metadata) ? { metadata: metadata as Record<string, unknown> } : {}),
  };
}

/** The skills as a system-prompt section: names and descriptions only; the body is read on demand. */
export function formatSkills(skills: readonly Skill[]): string {
  if (!skills.length) return "";
  const lines = skills.map((s) => `- ${s.name}: ${s.description}`);
  return [
    "# Skills",
    "Skills are instructions and files for particular tasks. When a task matches a skill's description, call the `skill` tool with its name before you start, and follow what it says.",
    ...lines,
  ].join("\n");
}

function subfolders(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((name) => !name.startsWith(".") && isDirectory(path.join(dir, name)))
      .sort();
  } catch {
    return [];
  }
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}
