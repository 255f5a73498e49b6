import { existsSync, lstatSync, mkdirSync, readFileSync, realpathSync, writeFileSync } from "node:fs";
import path from "node:path";

/**
 * Ways out of the sandbox that are not the file system's write bits.
 *
 * Unix sockets: connecting needs only write permission on the socket file, and a read-only
 * mount does not take that away, so a host socket left visible (docker.sock, the D-Bus and
 * systemd sockets, a database's) is a door to a process outside. The folders where services
 * keep them are covered with an empty tmpfs; the one file under them that ordinary work needs,
 * the resolver configuration /etc/resolv.conf often points at, comes back read-only. (Abstract
 * sockets belong to the network namespace, which the sandbox replaces unless it has network.)
 *
 * Git: the workspace is writable, but its `.git/hooks` and `.git/config` decide what runs at the
 * user's next `git commit`, outside any sandbox. They are bound read-only inside, and the git
 * folder itself becomes a mount point, so it cannot be renamed away and replaced by a copy.
 */

/** Where host services keep unix sockets (and container state), hidden from commands. */
export const SOCKET_DIRS: readonly string[] = ["/run", "/var/run", "/var/lib/docker", "/var/lib/containerd", "/var/lib/lxd", "/var/snap/lxd/common/lxd"];

const under = (child: string, parent: string) => child === parent || child.startsWith(parent.endsWith(path.sep) ? parent : `${parent}${path.sep}`);

const isRealDir = (p: string) => {
  try {
    return lstatSync(p).isDirectory();
  } catch {
    return false;
  }
};

/** The socket folders to cover (real folders only: /var/run is usually a link to /run), and files under them to bring back. */
export function socketCovers(dirs: readonly string[] = SOCKET_DIRS): { hide: string[]; keep: string[] } {
  const hide = dirs.filter(isRealDir);
  const keep: string[] = [];
  try {
    const resolv = realpathSync("/etc/resolv.conf");
    if (hide.some((d) => under(resolv, d))) keep.push(resolv);
  } catch {
    // no resolver configuration
  }
  return { hide, keep };
}

export interface GitLocks {
  /** Git folders inside a writable folder: bound onto themselves, so they cannot be renamed or replaced. */
  gitDirs: string[];
  /** Hooks, config and the links between a worktree and its repository, bound read-only. */
  readOnly: string[];
}

/** Entries of a git folder that decide what git runs or where it looks for them. */
const LOCKED_ENTRIES = ["hooks", "config", "config.worktree", "commondir", "gitdir"];

/**
 * The git folder of the workspace (or of the repository it is inside) and, for a worktree, the
 * repository's own: the parts of those that lie inside a writable folder get locked.
 */
export function gitLocks(workspace: string, writable: readonly string[]): GitLocks {
  const inWritable = (p: string) => writable.some((w) => under(p, w));
  const locks: GitLocks = { gitDirs: [], readOnly: [] };
  for (let dir = workspace; ; dir = path.dirname(dir)) {
    const dotGit = path.join(dir, ".git");
    let gitDirs: string[] = [];
    try {
      const stat = lstatSync(dotGit);
      if (stat.isDirectory()) gitDirs = [dotGit];
      else if (stat.isFile()) {
        // A worktree: `.git` names its folder in the repository, whose `commondir` names the repository's.
        if (inWritable(dotGit)) locks.readOnly.push(dotGit);
        const named = /^gitdir:\s*(.+)$/m.exec(readFileSync(dotGit, "utf8"))?.[1]?.trim();
        if (named) {
          const own = path.resolve(dir, named);
          let common = own;
          try {
            common = path.resolve(own, readFileSync(path.join(own, "commondir"), "utf8").trim());
          } catch {
            // not a linked worktree: the folder is the repository's
          }
          gitDirs = [...new Set([own, common])];
        }
      }
    } catch {
      // no .git here
    }
    if (gitDirs.length || dir === path.dirname(dir)) {
      for (const gitDir of gitDirs) lockGitDir(gitDir, inWritable, locks);
      return locks;
    }
  }
}

function lockGitDir(gitDir: string, inWritable: (p: string) => boolean, locks: GitLocks): void {
  if (!inWritable(gitDir) || !isRealDir(gitDir)) return;
  locks.gitDirs.push(gitDir);
  // A repository without a hooks folder (git init --template=) or a config would let a command
  // create one; empty ones change nothing for git and give the read-only binds something to cover.
  try {
    if (!existsSync(path.join(gitDir, "hooks"))) mkdirSync(path.join(gitDir, "hooks"));
    if (!existsSync(path.join(gitDir, "config"))) writeFileSync(path.join(gitDir, "config"), "", { flag: "wx" });
  } catch {
    // a read-only repository: nothing to lock
  }
  for (const entry of LOCKED_ENTRIES) {
    const full = path.join(gitDir, entry);
    if (existsSync(full)) locks.readOnly.push(full);
  }
}
