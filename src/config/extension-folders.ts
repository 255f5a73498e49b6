import os from "node:os";
import path from "node:path";
import { findProjectRoot } from "../context/instructions.js";

/** The kinds of files users already keep for Claude Code and bring to colleague unchanged. */
export type ExtensionKind = "skills" | "commands" | "agents";

export interface ExtensionFolder {
  dir: string;
  /** user: the person's own (home); project: the repository's, shared with its team. */
  scope: "user" | "project";
}

export interface ExtensionPlaces {
  /** The workspace. */
  cwd: string;
  /** The colleague home (~/.colleague). */
  home: string;
  /** The user's home folder, for ~/.claude (default: $HOME, else the OS's). */
  userHome?: string;
}

/**
 * Where files of a kind live, lowest precedence first: the user's ~/.claude then ~/.colleague,
 * then the project's .claude then .colleague (at the repository root, then the workspace when it
 * is deeper). A later folder's definition of a name replaces an earlier one.
 */
export function extensionFolders(kind: ExtensionKind, places: ExtensionPlaces, env: NodeJS.ProcessEnv = process.env): ExtensionFolder[] {
  const userHome = places.userHome ?? (env.HOME || os.homedir());
  const root = findProjectRoot(places.cwd);
  const projectDirs = [...new Set([root, path.resolve(places.cwd)])];
  const folders: ExtensionFolder[] = [
    { dir: path.join(userHome, ".claude", kind), scope: "user" },
    { dir: path.join(places.home, kind), scope: "user" },
  ];
  for (const dir of projectDirs) {
    folders.push({ dir: path.join(dir, ".claude", kind), scope: "project" }, { dir: path.join(dir, ".colleague", kind), scope: "project" });
  }
  // ~/.colleague may be the project's .colleague when the workspace is the home folder itself.
  return folders.filter((f, i) => folders.findIndex((g) => g.dir === f.dir) === i);
}
