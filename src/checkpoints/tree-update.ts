import { lstatSync, readFileSync } from "node:fs";
import path from "node:path";
import { zlib } from "../builtins.js";
import { writeLooseObject } from "./git-files.js";
import { entryMode, racyFileChanged, type StatWalk } from "./workspace-stat.js";

/**
 * A snapshot's tree worked out in this process, for the commonest changes between two
 * snapshots: files the agent wrote, created or deleted. `git add -A` and `git write-tree` cost
 * a snapshot ~30 ms here (a fork of this process, two git starts, the index read and written);
 * hashing the changed files and rewriting the trees above them costs well under a millisecond.
 * Anything else is left to git: a mode, type or symlink change, a new executable or symlink, a
 * file crossing the size limit, changed ignore rules, a new file an ignore rule might cover
 * (ignore-check.ts), a nested repository, and any workspace with a `.gitattributes` (its filters
 * and line-ending rules change what git stores). The shadow index is not touched: the next
 * `git add` finds those files' stats changed and hashes them again, which gives the same blobs.
 */

/** What happened to each file between two walks. */
export interface WalkChanges {
  edited: string[];
  created: string[];
  removed: string[];
}

const REGULAR = 0o100000;
const TYPE_MASK = 0o170000;

/**
 * The files that changed from `before` to `now`, when every change is one this module can
 * store (see above); undefined otherwise.
 */
export function walkChanges(before: StatWalk, now: StatWalk, root: string): WalkChanges | undefined {
  if (before.racy || now.racy || before.ignoreKey !== now.ignoreKey) return undefined;
  const changes: WalkChanges = { edited: [], created: [], removed: [] };
  for (const [file, value] of before.entries) {
    if (isAttributes(file)) return undefined;
    const current = now.entries.get(file);
    if (current === undefined) {
      if (value === "dir") continue;
      if (file.startsWith("\0") || entryMode(value) === undefined) return undefined;
      changes.removed.push(file);
      continue;
    }
    if (current === value && !racyFileChanged(before, now, file, root)) continue;
    const [modeBefore, modeNow] = [entryMode(value), entryMode(current)];
    if (file.startsWith("\0") || modeBefore === undefined || modeBefore !== modeNow || !isRegular(modeBefore)) return undefined;
    changes.edited.push(file);
  }
  for (const [file, value] of now.entries) {
    if (before.entries.has(file)) continue;
    if (isAttributes(file) || file.startsWith("\0") || file.split("/").includes(".git")) return undefined;
    if (value === "dir") continue;
    const mode = entryMode(value);
    // A new executable's mode depends on core.filemode; a new symlink on core.symlinks.
    if (mode === undefined || !isRegular(mode) || mode & 0o111) return undefined;
    changes.created.push(file);
  }
  return changes;
}

const isAttributes = (file: string) => file === ".gitattributes" || file.endsWith("/.gitattributes");
const isRegular = (mode: number) => (mode & TYPE_MASK) === REGULAR;

interface TreeEntry {
  mode: string;
  /** The name as stored (git keeps bytes), and as the walk spells it. */
  rawName: Buffer;
  name: string;
  id: Buffer;
}

/**
 * A change to one path below a tree: store the file from the workspace (an edit of a file the
 * tree holds, or a file created since), or drop it.
 */
export type Change = "edit" | "create" | "remove";

/**
 * The tree `tree` with `changes` (workspace-relative, `/`-separated paths) applied, its objects
 * written to `gitDir`; undefined when a tree is not a loose object here (packed by a `git gc`),
 * a written file is not a regular file within the size limit, a file the tree holds has another
 * type or an executable bit its stat no longer has, or a name is not UTF-8 (git would decide).
 */
export function updateTree(gitDir: string, tree: string | undefined, root: string, changes: Map<string, Change>, maxFileBytes: number): string | undefined {
  const byFirst = new Map<string, Map<string, Change>>();
  for (const [file, change] of changes) {
    const slash = file.indexOf("/");
    const first = slash < 0 ? file : file.slice(0, slash);
    if (!byFirst.has(first)) byFirst.set(first, new Map());
    (byFirst.get(first) as Map<string, Change>).set(slash < 0 ? "" : file.slice(slash + 1), change);
  }
  const entries = tree === undefined ? [] : readTree(gitDir, tree);
  if (!entries) return undefined;
  for (const [name, below] of byFirst) {
    const at = entries.findIndex((e) => e.name === name);
    const entry = entries[at];
    if (entry && !Buffer.from(entry.name, "utf8").equals(entry.rawName)) return undefined;
    const full = path.join(root, name);
    const own = below.get("");
    if (own !== undefined) {
      if (below.size !== 1 || (entry && entry.mode !== "100644" && entry.mode !== "100755")) return undefined;
      if (own === "remove") {
        if (entry) entries.splice(at, 1);
        continue;
      }
      // An edited file the tree does not hold is one git left out (ignored, or it failed to read).
      if (!entry && own === "edit") return undefined;
      const executable = entry?.mode === "100755";
      const content = readRegularFile(full, executable, maxFileBytes);
      if (!content) return undefined;
      const id = Buffer.from(writeLooseObject(gitDir, "blob", content), "hex");
      if (entry) entry.id = id;
      else entries.push({ mode: executable ? "100755" : "100644", rawName: Buffer.from(name, "utf8"), name, id });
      continue;
    }
    if (entry && entry.mode !== "40000") return undefined;
    const sub = updateTree(gitDir, entry?.id.toString("hex"), full, below, maxFileBytes);
    if (sub === undefined) return undefined;
    // A folder left with nothing git would store is not in the tree.
    if (sub === EMPTY_TREE) {
      if (entry) entries.splice(at, 1);
    } else if (entry) entry.id = Buffer.from(sub, "hex");
    else entries.push({ mode: "40000", rawName: Buffer.from(name, "utf8"), name, id: Buffer.from(sub, "hex") });
  }
  entries.sort(treeOrder);
  return writeLooseObject(gitDir, "tree", serialiseTree(entries));
}

/** The id of a tree with no entries. */
const EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904";

/** git's order of tree entries: by name as bytes, a folder's name read with a `/` after it. */
function treeOrder(a: TreeEntry, b: TreeEntry): number {
  const key = (e: TreeEntry) => (e.mode === "40000" ? Buffer.concat([e.rawName, SLASH]) : e.rawName);
  return Buffer.compare(key(a), key(b));
}
const SLASH = Buffer.from("/");

/** A file's bytes, if it is still a regular file within the size limit whose executable bit is as the tree has it. */
function readRegularFile(file: string, executable: boolean, maxBytes: number): Buffer | undefined {
  try {
    const stat = lstatSync(file);
    if (!stat.isFile() || stat.size > maxBytes || Boolean(stat.mode & 0o100) !== executable) return undefined;
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

/** A tree object's entries, read from its loose object; undefined when it is not loose. */
export function readTree(gitDir: string, id: string): TreeEntry[] | undefined {
  if (id === EMPTY_TREE) return [];
  let data: Buffer;
  try {
    data = zlib().inflateSync(readFileSync(path.join(gitDir, "objects", id.slice(0, 2), id.slice(2))));
  } catch {
    return undefined;
  }
  const nul = data.indexOf(0);
  const header = data.subarray(0, nul).toString("latin1");
  if (!/^tree \d+$/.test(header) || Number(header.slice(5)) !== data.length - nul - 1) return undefined;
  const entries: TreeEntry[] = [];
  for (let at = nul + 1; at < data.length; ) {
    const space = data.indexOf(0x20, at);
    const end = data.indexOf(0, space);
    if (space < 0 || end < 0 || end + 21 > data.length) return undefined;
    const rawName = data.subarray(space + 1, end);
    entries.push({ mode: data.subarray(at, space).toString("latin1"), rawName, name: rawName.toString("utf8"), id: data.subarray(end + 1, end + 21) });
    at = end + 21;
  }
  return entries;
}

function serialiseTree(entries: TreeEntry[]): Buffer {
  return Buffer.concat(entries.flatMap((e) => [Buffer.from(`${e.mode} `, "latin1"), e.rawName, Buffer.from([0]), e.id]));
}
