import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { gitLocks, SOCKET_DIRS, socketCovers } from "./side-doors.js";

/**
 * What a sandboxed command may see, as one plan both backends carry out: the root read-only,
 * the workspace writable, and HOME's dot-entries hidden, because that is where credentials live
 * (~/.ssh, ~/.aws, ~/.npmrc, ~/.netrc, ~/.config/gh, ~/.docker, the colleague home …). Hiding
 * every dot-entry rather than a list of known secrets fails safe for the tools nobody listed.
 * A few entries come back read-only because work needs them: git's config and identity, and
 * the folders of the tools themselves (node, ripgrep, toolchains under HOME or /tmp).
 */

/** HOME entries that stay readable by default: git's own configuration (no credentials). */
export const DEFAULT_READABLE_HOME: readonly string[] = [".gitconfig", ".config/git"];

/** Where the sandbox mounts its private /tmp, so whatever the host keeps under it is covered. */
export const PRIVATE_TMP = "/tmp";

export interface MountPlan {
  /** Folders covered with an empty tmpfs. */
  hiddenDirs: string[];
  /** Files covered with /dev/null. */
  hiddenFiles: string[];
  /** Files and folders bound back read-only at the same path, after the hiding (parents first). */
  readOnly: string[];
  /** Folders bound read-write (the workspace first, then git folders inside it, which become mount points). */
  writable: string[];
  /** Inside the writable folders, bound read-only after them: git hooks and config. */
  readOnlyInside: string[];
}

export interface PlanInput {
  workspace: string;
  writable?: readonly string[];
  home: string;
  /** HOME entries (relative to HOME, e.g. ".gitconfig" or ".config/git") that stay readable. */
  readableHome?: readonly string[];
  /** More paths to hide (e.g. $COLLEAGUE_HOME when it is not under HOME). */
  hidden?: readonly string[];
  /** Folders of the binaries the tools run (ripgrep's); they come back wherever they are covered. */
  toolDirs?: readonly string[];
  /** The folders on PATH (default: process.env.PATH). */
  pathDirs?: readonly string[];
  /** Folders that hold host unix sockets (default: SOCKET_DIRS), covered. */
  socketDirs?: readonly string[];
}

const under = (child: string, parent: string) => child === parent || child.startsWith(parent.endsWith(path.sep) ? parent : `${parent}${path.sep}`);

export function mountPlan(input: PlanInput): MountPlan {
  const asked = [...new Set([input.workspace, ...(input.writable ?? [])])];
  const git = gitLocks(input.workspace, asked);
  const writable = [...asked, ...git.gitDirs.filter((d) => !asked.includes(d))];
  const inWritable = (p: string) => writable.some((w) => under(p, w));
  const readable = [...DEFAULT_READABLE_HOME, ...(input.readableHome ?? [])].map((r) => path.normalize(r).replace(/\/+$/, ""));
  const hiddenDirs: string[] = [];
  const hiddenFiles: string[] = [];
  const hide = (full: string) => {
    // Never hide the workspace itself (a workspace inside a dot-folder stays usable).
    if (writable.some((w) => under(w, full))) return;
    // Under /tmp and not bound back: the private /tmp hides it already (and there is no mount point).
    if (under(full, PRIVATE_TMP) && !inWritable(full)) return;
    try {
      if (statSync(full).isDirectory()) hiddenDirs.push(full);
      else hiddenFiles.push(full);
    } catch {
      // a dangling symlink: nothing to read through it
    }
  };
  let entries: string[] = [];
  try {
    entries = readdirSync(input.home).filter((name) => name.startsWith("."));
  } catch {
    // no HOME to hide
  }
  for (const name of entries) if (!readable.includes(name)) hide(path.join(input.home, name));
  for (const extra of input.hidden ?? []) if (existsSync(extra) && !hiddenDirs.some((d) => under(extra, d))) hide(extra);
  // Socket folders go even when a writable folder is inside them: the binds come after the covers.
  const sockets = socketCovers(input.socketDirs ?? SOCKET_DIRS);
  for (const dir of sockets.hide) if (!hiddenDirs.some((d) => under(dir, d))) hiddenDirs.push(dir);

  const covers = [...hiddenDirs, PRIVATE_TMP];
  const covered = (p: string) => covers.some((c) => under(p, c)) && !inWritable(p);
  const back = new Set<string>();
  // Readable entries inside a hidden folder (".config/git" inside ".config").
  for (const entry of readable) {
    const full = path.join(input.home, entry);
    if (entry.includes(path.sep) && covered(full) && existsSync(full)) back.add(full);
  }
  // Toolchains installed under HOME (~/.nvm, ~/.cargo/bin, ~/.local/bin) stay usable: their PATH
  // folders come back, and nothing else of those folders.
  for (const dir of input.pathDirs ?? (process.env.PATH ?? "").split(path.delimiter)) {
    if (dir && path.isAbsolute(dir) && hiddenDirs.some((h) => under(dir, h) && dir !== h) && existsSync(dir)) back.add(dir);
  }
  for (const file of sockets.keep) if (covered(file)) back.add(file);
  // node's own prefix and the tools' binaries, wherever colleague is installed (an npx cache
  // under ~/.npm, a checkout under /tmp that the private /tmp would cover).
  const nodePrefix = path.dirname(path.dirname(process.execPath));
  for (const dir of [nodePrefix, ...(input.toolDirs ?? [])]) {
    if (path.isAbsolute(dir) && covered(dir) && existsSync(dir)) back.add(dir);
  }
  // Parents first; a folder inside another that comes back anyway needs no mount of its own.
  const sorted = [...back].sort((a, b) => a.length - b.length);
  const readOnly = sorted.filter((p, i) => !sorted.slice(0, i).some((q) => under(p, q)));
  return { hiddenDirs, hiddenFiles, readOnly, writable, readOnlyInside: git.readOnly };
}
