import { createHash, randomBytes } from "node:crypto";
import { accessSync, chmodSync, existsSync, lstatSync, mkdirSync, renameSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { zlib } from "../builtins.js";

/**
 * The few files of a shadow repository that colleague writes itself instead of starting a git
 * process (each spawn costs 5–25 ms from a large Node process): the bare repository's skeleton,
 * commit objects, and refs. Each is written the way git writes it (same bytes for a commit, same
 * lock-then-rename for a ref, same temporary-then-rename for an object), so git reads them as its
 * own; the index, trees and ignore rules stay git's (`git add`, `git write-tree`).
 */

/** Who checkpoint commits are by, here and for the git processes (git.ts). */
export const CHECKPOINT_IDENT = { name: "colleague", email: "checkpoints@colleague.invalid" } as const;

/** What `git init --bare` leaves HEAD pointing at with no config (`init.defaultBranch` unset). */
const HEAD = "ref: refs/heads/master\n";

/**
 * Creates an empty bare repository at `gitDir` as `git init --bare` would with no system or
 * global config: HEAD, config (with the file-mode and case probes git runs on the folder's
 * file system), objects/, refs/, info/. Sample hooks are left out (hooks point at /dev/null).
 * HEAD is written last, so a repository with a HEAD is complete; two processes creating the
 * same one write the same files. Returns whether the folder itself was new (nothing in it yet).
 */
export function createBareRepo(gitDir: string, description: string): boolean {
  const created = mkdirSync(gitDir, { recursive: true, mode: 0o700 }) !== undefined;
  for (const dir of ["objects/info", "objects/pack", "refs/heads", "refs/tags", "info"]) mkdirSync(path.join(gitDir, dir), { recursive: true });
  const probes = probeFileSystem(gitDir);
  const config = [
    "[core]",
    "\trepositoryformatversion = 0",
    `\tfilemode = ${probes.filemode}`,
    "\tbare = true",
    ...(probes.ignorecase ? ["\tignorecase = true"] : []),
  ];
  writeAtomically(path.join(gitDir, "config"), `${config.join("\n")}\n`);
  writeFileSync(path.join(gitDir, "description"), description);
  writeAtomically(path.join(gitDir, "HEAD"), HEAD);
  return created;
}

/**
 * git init's probes: whether flipping the owner's execute bit shows in lstat (core.filemode),
 * and whether the same name in other case finds the file (core.ignorecase).
 */
function probeFileSystem(gitDir: string): { filemode: boolean; ignorecase: boolean } {
  const probe = path.join(gitDir, `tmp_probe_${randomBytes(6).toString("hex")}`);
  writeFileSync(probe, "", { flag: "wx", mode: 0o644 });
  try {
    const before = lstatSync(probe).mode;
    let filemode = false;
    try {
      chmodSync(probe, before ^ 0o100);
      filemode = lstatSync(probe).mode !== before;
    } catch {
      // chmod refused: the file system keeps no modes
    }
    let ignorecase = false;
    try {
      accessSync(path.join(gitDir, path.basename(probe).toUpperCase()));
      ignorecase = true;
    } catch {
      // not found under the other case: case matters
    }
    return { filemode, ignorecase };
  } finally {
    rmSync(probe, { force: true });
  }
}

/**
 * Writes a commit object with no parents, byte for byte what `git commit-tree <tree> -m
 * <message>` writes with CHECKPOINT_IDENT as author and committer at `when` (seconds and the
 * local time zone's offset, as git formats them). Returns its id.
 */
export function writeCommit(gitDir: string, tree: string, message: string, when = new Date()): string {
  if (!/^[0-9a-f]{40}$/.test(tree)) throw new Error(`not a tree id: ${tree}`);
  // git takes the message as an argument, which cannot hold NUL, and completes its last line.
  const text = message.replace(/\0/g, "");
  const who = `${CHECKPOINT_IDENT.name} <${CHECKPOINT_IDENT.email}> ${gitDate(when)}`;
  const body = `tree ${tree}\nauthor ${who}\ncommitter ${who}\n\n${text}${text === "" || text.endsWith("\n") ? "" : "\n"}`;
  return writeLooseObject(gitDir, "commit", Buffer.from(body, "utf8"));
}

/** `<seconds since the epoch> <+|-HHMM>`, git's raw date format. */
export function gitDate(when: Date): string {
  const offset = -when.getTimezoneOffset();
  const abs = Math.abs(offset);
  const hhmm = `${String(Math.floor(abs / 60)).padStart(2, "0")}${String(abs % 60).padStart(2, "0")}`;
  return `${Math.floor(when.getTime() / 1000)} ${offset < 0 ? "-" : "+"}${hhmm}`;
}

/**
 * Stores an object as a loose object: `<type> <length>\0<content>`, named by its SHA-1,
 * zlib-deflated at git's default level for loose objects (1), written read-only to a temporary
 * file in its folder and renamed into place (the name git uses, `tmp_obj_*`, which `git prune`
 * knows to clean up if a writer dies half way). An object already there is left as it is.
 */
export function writeLooseObject(gitDir: string, type: "blob" | "tree" | "commit", content: Buffer): string {
  const data = Buffer.concat([Buffer.from(`${type} ${content.length}\0`), content]);
  const id = createHash("sha1").update(data).digest("hex");
  const dir = path.join(gitDir, "objects", id.slice(0, 2));
  const file = path.join(dir, id.slice(2));
  if (existsSync(file)) return id;
  mkdirSync(dir, { recursive: true });
  const tmp = path.join(dir, `tmp_obj_${randomBytes(6).toString("hex")}`);
  writeFileSync(tmp, zlib().deflateSync(data, { level: 1 }), { flag: "wx", mode: 0o444 });
  try {
    renameSync(tmp, file);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw error;
  }
  return id;
}

/**
 * Points `ref` (under refs/) at `id` as `git update-ref` does with the files backend: the new
 * value goes to `<ref>.lock`, created exclusively (a git process updating the same ref holds
 * that lock, and then this fails as git would), which is renamed over the loose ref. A packed
 * entry of the same name (after `git gc`) is shadowed by the loose file, as git leaves it too.
 */
export function writeRef(gitDir: string, ref: string, id: string): void {
  if (!/^refs\/[A-Za-z0-9._/-]+$/.test(ref) || /\.\.|\/\.|\.lock(\/|$)|\/\/|\/$/.test(ref)) throw new Error(`not a valid ref name: ${ref}`);
  if (!/^[0-9a-f]{40}$/.test(id)) throw new Error(`not an object id: ${id}`);
  const file = path.join(gitDir, ref);
  mkdirSync(path.dirname(file), { recursive: true });
  const lock = `${file}.lock`;
  writeFileSync(lock, `${id}\n`, { flag: "wx" });
  try {
    renameSync(lock, file);
  } catch (error) {
    unlinkSync(lock);
    throw error;
  }
}

/** Writes `file` through a temporary sibling and a rename, so a reader sees the old or the new. */
function writeAtomically(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  writeFileSync(tmp, text, { flag: "wx" });
  try {
    renameSync(tmp, file);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw error;
  }
}
