import { createHash } from "node:crypto";
import { existsSync, lstatSync, mkdirSync, readFileSync, realpathSync, rmdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { findProjectRoot } from "../context/instructions.js";
import { type GitTarget, runGit, runGitAfter } from "./git.js";
import { createBareRepo, writeCommit, writeRef } from "./git-files.js";
import { couldBeIgnored, readIgnoreRules } from "./ignore-check.js";
import { loadWalk, saveWalk } from "./saved-walk.js";
import { type Change, updateTree, walkChanges } from "./tree-update.js";
import { addedBytesBound, isIgnoreFile, largeFiles, RACY_MS, type StatWalk, sameWalk, walkWorkspace } from "./workspace-stat.js";

/**
 * Checkpoints of one workspace, kept in a shadow git repository under the colleague home
 * (`<home>/checkpoints/<hash of the workspace path>`). A snapshot is the workspace as git
 * sees it through the workspace's own ignore files: ignored files, `.git` and files over
 * 2 MB are left out. Every new snapshot gets a ref (`refs/cp/<time>-<label>`), and commits
 * have no parents, so dropping the oldest refs and collecting garbage frees their space.
 */

export const MAX_FILE_BYTES = 2 * 1024 * 1024;
export const DEFAULT_MAX_MB = 500;
/** Past this many files and folders a stat walk costs about what git does: leave it to git. */
const MAX_WALK_ENTRIES = 50_000;
/** Snapshots between two measurements of the shadow repository's size, at most. */
const REMEASURE_EVERY = 20;
const REF_PREFIX = "refs/cp/";

export interface CheckpointSettings {
  /** Default true. */
  enabled?: boolean;
  /** The shadow repository's disk cap in MB (default 500): past it the oldest checkpoints are pruned. */
  maxMb?: number;
}

export interface Snapshot {
  commit: string;
  /** False when the workspace was as the previous snapshot left it (the commit is reused). */
  changed: boolean;
}

export interface Restored {
  /** Files written back (changed or deleted since the checkpoint), workspace-relative. */
  restored: string[];
  /** Files created since the checkpoint, removed. */
  removed: string[];
  /** A snapshot taken just before restoring, so the rewind itself can be undone. */
  before: string;
}

export class CheckpointMissing extends Error {
  override name = "CheckpointMissing";
}

export function shadowDirFor(home: string, workspace: string): string {
  const real = existsSync(workspace) ? realpathSync(workspace) : path.resolve(workspace);
  return path.join(home, "checkpoints", createHash("sha256").update(real).digest("hex").slice(0, 16));
}

export class ShadowRepo {
  readonly gitDir: string;
  readonly workspace: string;
  private readonly maxBytes: number;
  private readonly target: GitTarget;
  private initialised = false;
  private last?: { tree: string; commit: string };
  /** The stat walk taken just before the last snapshot's tree was staged. */
  private lastWalk?: StatWalk;
  /** Folders git ignores as a whole, and the `.gitignore` stats they were worked out from. */
  private ignored?: { dirs: Set<string>; key: string };
  private readonly userExclude?: string;
  /** The repository's size when last measured, and how many snapshots were added since. */
  private knownBytes?: { bytes: number; unmeasured: number };
  /** Whether git stores names exactly as a directory listing gives them (see init). */
  private namesAsWalked = false;
  /** What was last written for the next session (saved-walk.ts), to write it only when it changes. */
  private saved?: { walk: StatWalk; key: string };
  /** Snapshots and restores of one workspace take turns: they share the shadow index. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(home: string, workspace: string, settings: CheckpointSettings = {}) {
    this.workspace = path.resolve(workspace);
    this.gitDir = shadowDirFor(home, this.workspace);
    this.maxBytes = (settings.maxMb ?? DEFAULT_MAX_MB) * 1024 * 1024;
    // The user's own exclude file (not committed, so git would not find it from the shadow repo).
    const userExclude = path.join(findProjectRoot(this.workspace), ".git", "info", "exclude");
    if (existsSync(userExclude)) this.userExclude = userExclude;
    this.target = {
      gitDir: this.gitDir,
      workTree: this.workspace,
      ...(existsSync(userExclude) ? { config: { "core.excludesFile": userExclude } } : {}),
    };
  }

  /** Records the workspace as it is now; cheap when nothing changed since the last snapshot. */
  snapshot(label: string): Promise<Snapshot> {
    return this.serial(async () => {
      await this.init();
      if (!this.last) this.adoptSavedWalk();
      // Walked before staging: a file written while git reads it then differs next time.
      const walk = await this.walk();
      if (this.last && walk && this.lastWalk && sameWalk(this.lastWalk, walk, this.workspace)) {
        // Not one file's stat moved since the last snapshot: it still holds, no git process.
        this.rememberWalk();
        return { commit: this.last.commit, changed: false };
      }
      const previousWalk = this.lastWalk;
      const tree = this.updatedInProcess(previousWalk, walk) ?? (await this.stage(walk));
      this.lastWalk = walk;
      // The last commit already has the newest ref (pruning always keeps that one), so an
      // unchanged workspace costs no ref and no commit.
      const changed = this.last?.tree !== tree;
      if (changed) {
        const commit = writeCommit(this.gitDir, tree, label);
        writeRef(this.gitDir, refName(label), commit);
        this.last = { tree, commit };
        await this.enforceCap(walk ? addedBytesBound(previousWalk, walk) : undefined);
      }
      this.rememberWalk();
      return { commit: (this.last as { commit: string }).commit, changed };
    });
  }

  /**
   * Puts the workspace back as it was at `commit`: changed and deleted files are written back,
   * files created since are removed. Ignored files, files over 2 MB and `.git` are not touched.
   */
  restore(commit: string): Promise<Restored> {
    return this.serial(async () => {
      await this.init();
      if (!(await this.has(commit))) throw new CheckpointMissing(`checkpoint ${commit.slice(0, 12)} is gone (pruned by the disk cap)`);
      const tree = await this.stage();
      const before = writeCommit(this.gitDir, tree, "before rewind");
      writeRef(this.gitDir, refName("before-rewind"), before);
      const diff = await this.git(["diff-tree", "-r", "-z", "--no-renames", "--name-status", commit, tree]);
      const restored: string[] = [];
      const removed: string[] = [];
      const fields = diff.split("\0").filter(Boolean);
      for (let i = 0; i + 1 < fields.length; i += 2) {
        const status = fields[i]!;
        const file = fields[i + 1]!;
        // diff-tree <checkpoint> <now>: "A" exists now only, "D" existed then only.
        if (status === "A") removed.push(file);
        else restored.push(file);
      }
      // The workspace is about to change under the walk: the next snapshot asks git, and
      // measures the repository (the snapshot taken before restoring added to it).
      this.lastWalk = undefined;
      this.knownBytes = undefined;
      await this.git(["read-tree", commit]);
      if (restored.length > 0) await this.git(["checkout-index", "-f", "-z", "--stdin"], `${restored.join("\0")}\0`);
      for (const file of removed) this.removeFile(file);
      // The checkpoint may be named by a prefix of its id; the ref needs all of it.
      const [restoredCommit = "", restoredTree = ""] = (await this.git(["rev-parse", `${commit}^{commit}`, `${commit}^{tree}`])).trim().split("\n");
      this.last = { tree: restoredTree, commit: restoredCommit };
      writeRef(this.gitDir, refName("restored"), restoredCommit);
      return { restored, removed, before };
    });
  }

  async has(commit: string): Promise<boolean> {
    if (!/^[0-9a-f]{7,64}$/.test(commit) || !existsSync(this.gitDir)) return false;
    try {
      await runGit(this.target, ["cat-file", "-e", `${commit}^{commit}`]);
      return true;
    } catch {
      return false;
    }
  }

  /** Bytes the shadow repository's objects take. */
  async sizeBytes(): Promise<number> {
    const out = await this.git(["count-objects", "-v"]);
    const kb = (key: string) => Number(new RegExp(`^${key}: (\\d+)`, "m").exec(out)?.[1] ?? 0);
    return (kb("size") + kb("size-pack")) * 1024;
  }

  /** The checkpoint refs, oldest first. */
  async refs(): Promise<string[]> {
    const out = await this.git(["for-each-ref", "--format=%(refname)", REF_PREFIX]);
    return out.split("\n").filter(Boolean).sort();
  }

  /** Packs the objects, then drops the oldest checkpoints until the repository fits its cap (the newest stays). */
  private async enforceCap(addedAtMost?: number): Promise<void> {
    // While the size last measured plus what snapshots since could have added stays under the
    // cap, there is nothing to prune and no need to ask git; every so often it is measured
    // anyway, for snapshots another process took of the same workspace.
    const known = this.knownBytes;
    if (known && addedAtMost !== undefined && known.bytes + addedAtMost <= this.maxBytes && known.unmeasured < REMEASURE_EVERY) {
      this.knownBytes = { bytes: known.bytes + addedAtMost, unmeasured: known.unmeasured + 1 };
      return;
    }
    let size = await this.sizeBytes();
    this.knownBytes = { bytes: size, unmeasured: 0 };
    if (size <= this.maxBytes) return;
    await this.git(["gc", "--quiet", "--prune=now"]);
    for (size = await this.sizeBytes(); size > this.maxBytes; size = await this.sizeBytes()) {
      this.knownBytes = { bytes: size, unmeasured: 0 };
      const refs = await this.refs();
      if (refs.length <= 1) return;
      const drop = refs.slice(0, Math.min(refs.length - 1, Math.max(1, Math.ceil(refs.length / 4))));
      await this.git(["update-ref", "--stdin"], drop.map((r) => `delete ${r}\n`).join(""));
      await this.git(["gc", "--quiet", "--prune=now"]);
    }
  }

  /**
   * The workspace's stat walk, skipping the folders git ignores as a whole. Those are asked of
   * git once, and again whenever a `.gitignore` or the user's exclude file changes; the walk
   * that saw the change is then not trusted (it skipped by the old rules).
   */
  private async walk(): Promise<StatWalk | undefined> {
    const extra = this.userExclude ? [this.userExclude] : [];
    if (!this.ignored && !this.userExclude && !existsSync(path.join(this.workspace, ".gitignore"))) {
      // Likely no ignore file at all (a scratch folder, documents): then git ignores nothing,
      // and a walk of everything that finds none needs no git process to say so.
      const walk = walkWorkspace(this.workspace, new Set(), MAX_FILE_BYTES, MAX_WALK_ENTRIES, extra);
      if (walk && walk.ignoreKey === "") {
        this.ignored = { dirs: new Set(), key: "" };
        return walk;
      }
    }
    let askedAt: number | undefined;
    if (!this.ignored) {
      askedAt = Date.now();
      this.ignored = { dirs: await this.ignoredFolders(), key: "" };
    }
    const walk = walkWorkspace(this.workspace, this.ignored.dirs, MAX_FILE_BYTES, MAX_WALK_ENTRIES, extra);
    if (!walk) return undefined;
    if (askedAt !== undefined) {
      // The folders were asked just before this walk: they match its ignore files unless one
      // of those changed in between, and then the next walk asks again.
      if (walk.ignoreNewest < askedAt - RACY_MS) this.ignored.key = walk.ignoreKey;
      return walk;
    }
    if (this.ignored.key !== walk.ignoreKey) {
      this.ignored = { dirs: await this.ignoredFolders(), key: walk.ignoreKey };
      return { ...walk, racy: true };
    }
    return walk;
  }

  /**
   * Folders that an ignore pattern matches themselves. A folder git lists only because every
   * file in it is ignored so far (`logs/*`) could still take a file that is not (`!logs/keep`),
   * so it is walked; nothing inside a matched folder can be re-included.
   */
  private async ignoredFolders(): Promise<Set<string>> {
    const listed = await this.git(["ls-files", "-z", "--others", "--ignored", "--exclude-standard", "--directory"]);
    const dirs = listed
      .split("\0")
      .filter((p) => p.endsWith("/"))
      .map((p) => p.slice(0, -1));
    if (dirs.length === 0) return new Set();
    // check-ignore exits 1 when none of them matches a pattern.
    const matched = await this.git(["check-ignore", "--no-index", "-z", "--stdin"], `${dirs.join("\0")}\0`).catch(() => "");
    return new Set(matched.split("\0").filter(Boolean));
  }

  /**
   * Takes up where the last session on this workspace left off (saved-walk.ts): its last
   * snapshot, the walk taken before it, and the folders git ignores as a whole.
   */
  private adoptSavedWalk(): void {
    const saved = loadWalk(this.gitDir);
    if (!saved) return;
    this.last = { tree: saved.tree, commit: saved.commit };
    this.lastWalk = saved.walk;
    this.saved = { walk: saved.walk, key: `${saved.commit} ${saved.ignored.key}` };
    this.ignored ??= saved.ignored;
    // Measured by another process: snapshots others took since are caught by the next measure.
    this.knownBytes ??= saved.knownBytes;
  }

  /** Keeps the last snapshot, its walk and the ignored folders for the next session, when they changed. */
  private rememberWalk(): void {
    const { last, lastWalk: walk, ignored } = this;
    if (!last || !walk || !ignored) return;
    const key = `${last.commit} ${ignored.key}`;
    if (this.saved?.walk === walk && this.saved.key === key) return;
    saveWalk(this.gitDir, { ...last, walk, ignored, ...(this.knownBytes ? { knownBytes: this.knownBytes } : {}) });
    this.saved = { walk, key };
  }

  /**
   * The new tree without git, when every change since the last snapshot's walk is a file
   * edited, created (and surely not ignored) or removed (tree-update.ts); undefined when git
   * has to stage it.
   */
  private updatedInProcess(before: StatWalk | undefined, now: StatWalk | undefined): string | undefined {
    if (!this.last || !before || !now) return undefined;
    const found = walkChanges(before, now, this.workspace);
    if (!found || (!this.namesAsWalked && found.created.length + found.removed.length > 0)) return undefined;
    if (found.created.length > 0) {
      const gitignores = [...now.entries.keys()].filter(isIgnoreFile);
      const rules = readIgnoreRules(this.workspace, gitignores, [...(this.userExclude ? [this.userExclude] : []), path.join(this.gitDir, "info", "exclude")]);
      if (found.created.some((file) => couldBeIgnored(rules, file))) return undefined;
    }
    const changes = new Map<string, Change>([
      ...found.edited.map((f) => [f, "edit"] as const),
      ...found.created.map((f) => [f, "create"] as const),
      ...found.removed.map((f) => [f, "remove"] as const),
    ]);
    return updateTree(this.gitDir, this.last.tree, this.workspace, changes, MAX_FILE_BYTES);
  }

  /** Brings the shadow index in line with the workspace and returns its tree. */
  private async stage(walk?: StatWalk): Promise<string> {
    // A walk just saw every file's size; without one git lists the files that may be added.
    const candidates = walk ? largeFiles(walk) : (await this.git(["ls-files", "-z", "--others", "--modified", "--exclude-standard"])).split("\0");
    const large = this.excludeLargeFiles(candidates);
    if (large.length > 0) {
      // An excluded path stays in the index if an earlier snapshot added it (it was smaller then).
      // Forced: the shadow repository has no HEAD, so without -f git refuses to drop an entry
      // whose file has changed since ("staged content different from both the file and the
      // HEAD"), and every snapshot after a tracked file grew past the limit failed. The file
      // itself is never touched (--cached).
      const list = `${large.join("\0")}\0`;
      await this.git(["--literal-pathspecs", "rm", "--cached", "-f", "-q", "--ignore-unmatch", "--pathspec-from-file=-", "--pathspec-file-nul"], list);
    }
    // A path git cannot add (an embedded repository without a commit) is skipped, not fatal.
    return (await runGitAfter(this.target, ["add", "-A", "--ignore-errors", "."], ["write-tree"])).trim();
  }

  /**
   * Files over the size limit are listed in the shadow's info/exclude (and dropped from its
   * index), so `git add` never reads them. A listed file that shrank below the limit or is gone
   * leaves the list.
   */
  private excludeLargeFiles(candidates: string[]): string[] {
    const excludeFile = path.join(this.gitDir, "info", "exclude");
    const previous = existsSync(excludeFile)
      ? readFileSync(excludeFile, "utf8")
          .split("\n")
          .filter((l) => l.startsWith("/"))
          .map(unescapePattern)
      : [];
    const large = new Set<string>();
    for (const file of [...previous, ...candidates.filter(Boolean)]) {
      try {
        const stat = lstatSync(path.join(this.workspace, file));
        if (stat.isFile() && stat.size > MAX_FILE_BYTES) large.add(file);
      } catch {
        // gone: nothing to exclude
      }
    }
    const text = ["# files over 2 MB: not checkpointed", ...[...large].sort().map(escapePattern)].join("\n");
    mkdirSync(path.dirname(excludeFile), { recursive: true });
    writeFileSync(excludeFile, `${text}\n`);
    return [...large];
  }

  private removeFile(file: string): void {
    const full = path.join(this.workspace, file);
    rmSync(full, { force: true });
    // Folders left empty by the removal go too, up to the workspace.
    for (let dir = path.dirname(full); dir.startsWith(`${this.workspace}${path.sep}`); dir = path.dirname(dir)) {
      try {
        rmdirSync(dir);
      } catch {
        break;
      }
    }
  }

  private async init(): Promise<void> {
    if (this.initialised) return;
    if (!existsSync(path.join(this.gitDir, "HEAD"))) {
      // Written here rather than by `git init` (a process less); a folder this call created
      // holds no objects yet, so its size is known without asking git.
      if (createBareRepo(this.gitDir, `colleague checkpoints of ${this.workspace}\n`)) this.knownBytes = { bytes: 0, unmeasured: 0 };
    }
    // Where git folds case or Unicode forms in names (a case-insensitive file system, macOS),
    // a name the walk reads may not be the one git stores: new and deleted files go to git.
    let config = "";
    try {
      config = readFileSync(path.join(this.gitDir, "config"), "utf8");
    } catch {
      // no config: git's defaults, which fold nothing on this platform unless it is macOS
    }
    this.namesAsWalked = process.platform !== "darwin" && !/^\s*ignorecase\s*=\s*true\s*$/im.test(config);
    this.initialised = true;
  }

  private git(args: string[], input?: string): Promise<string> {
    return runGit(this.target, args, input);
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }
}

/**
 * Ref names allow [A-Za-z0-9._-] (no "..", no ".lock" ending: git would not read the ref); the
 * time prefix orders them oldest first and makes each name new, so none is ever rewritten.
 */
export function refName(label: string): string {
  const clean =
    label
      .replace(/[^A-Za-z0-9._-]+/g, "-")
      .replace(/\.{2,}/g, ".")
      .slice(0, 80)
      .replace(/^[-.]+|[-.]+$/g, "")
      .replace(/\.lock$/, "-lock") || "checkpoint";
  return `${REF_PREFIX}${Date.now().toString(36).padStart(9, "0")}-${process.hrtime.bigint().toString(36).slice(-5)}-${clean}`;
}

const escapePattern = (file: string) => `/${file.replace(/[\\*?[\]!# ]/g, (c) => `\\${c}`)}`;
const unescapePattern = (line: string) => line.slice(1).replace(/\\(.)/g, "$1");
