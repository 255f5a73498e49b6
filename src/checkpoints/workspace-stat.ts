import { createHash } from "node:crypto";
import { type Dirent, lstatSync, readdirSync, readFileSync, readlinkSync, type Stats } from "node:fs";
import path from "node:path";

/**
 * A stat walk of a workspace: every file and symlink git could snapshot, as path → what its
 * lstat says (mode, size, inode, mtime, ctime). Two walks with equal maps mean no file was
 * written, created, removed or renamed in between, so the last snapshot still holds and no git
 * process is needed. The walk only ever leaves out what git would leave out as well: the
 * top-level `.git` and the folders that git ignores as a whole (a file inside an ignored
 * folder cannot be re-included), so a difference it misses is a difference git would miss too.
 */
export interface StatWalk {
  entries: Map<string, string>;
  /**
   * Files touched within a timestamp tick of the walk could change again with the same
   * timestamp and size, so their stat proves nothing: their content hash is kept instead and
   * compared next time (what git does with its "racily clean" index entries).
   */
  hashes: Map<string, string>;
  /** Not to be trusted at all (it skipped folders by ignore rules that have since changed). */
  racy: boolean;
  /** The stats of every `.gitignore` seen: when it changes, the ignored folders may have. */
  ignoreKey: string;
  /** The newest mtime or ctime among those ignore files (ms since the epoch). */
  ignoreNewest: number;
}

/** Files over this size are left out of snapshots; only crossing it matters, not their content. */
const LARGE = "large";
/** Wider than the coarsest file system timestamp tick the kernel uses (one jiffy, ≤ 10 ms). */
export const RACY_MS = 30;

/**
 * Walks `root`, skipping `skipDirs` (workspace-relative, `/`-separated). Returns undefined past
 * `limit` entries: a workspace that large is left to git itself.
 */
export function walkWorkspace(root: string, skipDirs: ReadonlySet<string>, maxFileBytes: number, limit: number, extra: string[] = []): StatWalk | undefined {
  const started = Date.now();
  const entries = new Map<string, string>();
  const ignoreStats: string[] = [];
  const hashes = new Map<string, string>();
  let racy = false;
  let ignoreNewest = 0;
  const record = (rel: string, stat: Stats, decidesIgnores = isIgnoreFile(rel)) => {
    if (Math.max(stat.mtimeMs, stat.ctimeMs) >= started - RACY_MS && !(stat.isFile() && stat.size > maxFileBytes)) {
      const hash = contentHash(rel.startsWith("\0") ? rel.slice(1) : path.join(root, rel), stat);
      if (hash === undefined) racy = true;
      else hashes.set(rel, hash);
    }
    const value = stat.isFile() && stat.size > maxFileBytes ? LARGE : `${stat.mode}:${stat.size}:${stat.ino}:${stat.mtimeMs}:${stat.ctimeMs}`;
    entries.set(rel, value);
    if (!decidesIgnores) return;
    ignoreStats.push(`${rel}=${value}`);
    ignoreNewest = Math.max(ignoreNewest, stat.mtimeMs, stat.ctimeMs);
  };
  const pending: string[] = [""];
  while (pending.length > 0) {
    const dir = pending.pop() as string;
    let names: Dirent[];
    try {
      names = readdirSync(dir ? path.join(root, dir) : root, { withFileTypes: true });
    } catch {
      // A folder that vanished or cannot be read: record it, so its reappearance is a change.
      entries.set(`${dir}/`, "unreadable");
      continue;
    }
    for (const entry of names) {
      const rel = dir ? `${dir}/${entry.name}` : entry.name;
      let stat: Stats | undefined;
      if (!entry.isDirectory()) {
        try {
          stat = lstatSync(path.join(root, rel));
        } catch {
          entries.set(rel, "gone");
          continue;
        }
      }
      // Some file systems do not report the type in the listing; lstat settles it.
      if (!stat || stat.isDirectory()) {
        if (rel === ".git" || skipDirs.has(rel)) continue;
        // Folders are not in git's tree, but one that appears or goes is worth a closer look.
        entries.set(`${rel}/`, "dir");
        pending.push(rel);
      } else {
        record(rel, stat);
      }
      if (entries.size > limit) return undefined;
    }
  }
  // Files outside the workspace that decide what git leaves out (the user's own exclude file).
  for (const file of extra) {
    try {
      record(`\0${file}`, lstatSync(file), true);
    } catch {
      entries.set(`\0${file}`, "absent");
      ignoreStats.push(`${file}=absent`);
    }
  }
  return { entries, hashes, racy, ignoreKey: ignoreStats.sort().join("\n"), ignoreNewest };
}

const BLOCK = 4096;
const onDisk = (bytes: number) => Math.ceil(bytes / BLOCK) * BLOCK;

/**
 * At most how many bytes a snapshot of `now` adds to the shadow repository when the previous
 * one was of `before`: a loose object (zlib can grow a file a little, and each takes whole disk
 * blocks) per new or changed file, a tree per folder and the commit.
 */
export function addedBytesBound(before: StatWalk | undefined, now: StatWalk): number {
  let bytes = 0;
  let folders = 1;
  for (const [file, value] of now.entries) {
    if (value === "dir") folders++;
    if (before && before.entries.get(file) === value && !before.hashes.has(file)) continue;
    const size = Number(value.split(":")[1]);
    if (Number.isFinite(size)) bytes += onDisk(size * 1.01 + 64);
  }
  return bytes + (folders + 1) * onDisk(100 * now.entries.size);
}

/** The files the walk found over the size limit (some may be ignored too; leaving those out is harmless). */
export function largeFiles(walk: StatWalk): string[] {
  return [...walk.entries].filter(([file, value]) => value === LARGE && !file.startsWith("\0")).map(([file]) => file);
}

/** Whether `now` finds every file as `before` left it; files that were racy then are read again. */
export function sameWalk(before: StatWalk, now: StatWalk, root: string): boolean {
  if (before.racy || before.entries.size !== now.entries.size) return false;
  for (const [file, value] of before.entries) if (now.entries.get(file) !== value) return false;
  for (const file of before.hashes.keys()) if (racyFileChanged(before, now, file, root)) return false;
  return true;
}

/**
 * Whether a file `before` found racy (written within a timestamp tick of it, so its stat proves
 * nothing) has other content now; false for a file that was not racy then.
 */
export function racyFileChanged(before: StatWalk, now: StatWalk, file: string, root: string): boolean {
  const hash = before.hashes.get(file);
  if (hash === undefined) return false;
  let current = now.hashes.get(file);
  if (current === undefined) {
    const full = file.startsWith("\0") ? file.slice(1) : path.join(root, file);
    try {
      current = contentHash(full, lstatSync(full));
    } catch {
      return true;
    }
  }
  return current !== hash;
}

/** The mode a walk entry records (`mode:size:ino:mtime:ctime`); undefined for one without a stat. */
export function entryMode(value: string): number | undefined {
  const match = /^(\d+):\d+:/.exec(value);
  return match ? Number(match[1]) : undefined;
}

/** Whether a workspace-relative path is a `.gitignore`. */
export const isIgnoreFile = (rel: string): boolean => rel === ".gitignore" || rel.endsWith("/.gitignore");

function contentHash(file: string, stat: Stats): string | undefined {
  try {
    const content = stat.isSymbolicLink() ? readlinkSync(file) : readFileSync(file);
    return createHash("sha1").update(content).digest("hex");
  } catch {
    return undefined;
  }
}
