import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { StatWalk } from "./workspace-stat.js";

/**
 * The last snapshot of a workspace and the stat walk taken just before it, kept in the shadow
 * repository, so that the next session on the same workspace starts where this one left off:
 * its first snapshot compares a new walk with this one, and is free when nothing changed or
 * written in process when files were only edited, created or deleted (tree-update.ts), instead
 * of asking git which folders are ignored and staging the whole workspace. The walk and the
 * snapshot are one consistent pair, however old: whatever changed since shows in the next walk.
 * Any process may replace the file (written to a temporary name, then renamed), and a file that
 * is unreadable, of another version or whose commit is no longer a loose object is ignored.
 */
export interface SavedWalk {
  tree: string;
  commit: string;
  walk: StatWalk;
  /** The folders git ignores as a whole, and the ignore files' stats they were worked out from. */
  ignored: { dirs: Set<string>; key: string };
  /** The repository's size when last measured, and how many snapshots were added since. */
  knownBytes?: { bytes: number; unmeasured: number };
}

const FILE = "colleague-walk.json";
const VERSION = 1;
/** Past this many entries a walk is not worth a file written after every snapshot. */
export const MAX_SAVED_ENTRIES = 10_000;

export function saveWalk(gitDir: string, saved: SavedWalk): void {
  const file = path.join(gitDir, FILE);
  if (saved.walk.entries.size > MAX_SAVED_ENTRIES) {
    rmSync(file, { force: true });
    return;
  }
  const { walk } = saved;
  const json = JSON.stringify({
    version: VERSION,
    tree: saved.tree,
    commit: saved.commit,
    entries: [...walk.entries],
    hashes: [...walk.hashes],
    racy: walk.racy,
    ignoreKey: walk.ignoreKey,
    ignoreNewest: walk.ignoreNewest,
    ignoredDirs: [...saved.ignored.dirs],
    ignoredKey: saved.ignored.key,
    knownBytes: saved.knownBytes,
  });
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, json);
    renameSync(tmp, file);
  } catch {
    // Only the next session's head start is lost.
    rmSync(tmp, { force: true });
  }
}

export function loadWalk(gitDir: string): SavedWalk | undefined {
  try {
    const data = JSON.parse(readFileSync(path.join(gitDir, FILE), "utf8"));
    if (data.version !== VERSION || !isId(data.tree) || !isId(data.commit)) return undefined;
    // A commit gone or packed by the disk cap's gc: let git stage the workspace again.
    if (!existsSync(path.join(gitDir, "objects", data.commit.slice(0, 2), data.commit.slice(2)))) return undefined;
    return {
      tree: data.tree,
      commit: data.commit,
      walk: { entries: new Map(data.entries), hashes: new Map(data.hashes), racy: data.racy === true, ignoreKey: String(data.ignoreKey), ignoreNewest: Number(data.ignoreNewest) },
      ignored: { dirs: new Set(data.ignoredDirs), key: String(data.ignoredKey) },
      ...(Number.isFinite(data.knownBytes?.bytes) && Number.isFinite(data.knownBytes?.unmeasured) ? { knownBytes: { bytes: data.knownBytes.bytes, unmeasured: data.knownBytes.unmeasured } } : {}),
    };
  } catch {
    return undefined;
  }
}

const isId = (value: unknown) => typeof value === "string" && /^[0-9a-f]{40}$/.test(value);
