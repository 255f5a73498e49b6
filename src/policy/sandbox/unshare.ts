import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { mountPlan, PRIVATE_TMP } from "./home.js";
import { type BackendProbe, findOnPath, notLinux, trialRun } from "./probe.js";
import { type SandboxCommand, shellQuote as q } from "./runner.js";

/**
 * Backend (b), util-linux only (unshare, setpriv, mount), for machines without bubblewrap. The
 * same sandbox as bwrap's, built by a short shell script that runs as root of a fresh user
 * namespace (mapped to the real user, so it can change nothing outside):
 *
 *  1. every bind source is first bound into a staging folder inside the private /tmp, because
 *     covering /tmp and HOME's dot-folders would hide the sources (bwrap resolves them outside);
 *  2. `mount -a -o remount,bind,ro` makes every mount read-only, submounts and stages included;
 *  3. the private /tmp, a fresh /proc (own PID namespace) and /dev/shm go on top, then one
 *     `mount -a` over a generated fstab hides HOME's dot-entries;
 *  4. the staged binds move to their places (the writable ones are made writable again);
 *  5. the command runs in a nested user namespace as the real uid, with no capabilities and
 *     no_new_privs: it cannot unmount or remount anything of the sandbox (mounts that a less
 *     privileged namespace inherits are locked, and it has no capability over this one).
 *
 * Outside, `setpriv --pdeathsig KILL` and `unshare --kill-child` make the command die with
 * colleague. Without `network` it gets a new network namespace, where only loopback comes up.
 */

const INSTALL = "apt-get install util-linux (it provides unshare, setpriv and mount)";

export interface UnshareTools {
  unshare: string;
  setpriv: string;
  mount: string;
}

const cache = new Map<string, BackendProbe & { tools?: UnshareTools }>();

/** Finds unshare, setpriv and mount (or checks `binary`) and tries a sandbox; cached per process. */
export function probeUnshare(binary?: string): BackendProbe & { tools?: UnshareTools } {
  const key = binary ?? "";
  const known = cache.get(key);
  if (known) return known;
  const result = probe(binary);
  cache.set(key, result);
  return result;
}

function probe(binary: string | undefined): BackendProbe & { tools?: UnshareTools } {
  const other = notLinux();
  if (other) return other;
  const unshare = binary ?? findOnPath("unshare");
  if (!unshare || !existsSync(unshare)) {
    const where = binary ? `not found at ${JSON.stringify(binary)}` : "not installed (no unshare on PATH)";
    return { ok: false, reason: `util-linux unshare is ${where}`, fix: INSTALL };
  }
  const beside = (name: string) => [path.join(path.dirname(unshare), name)].find((p) => existsSync(p)) ?? findOnPath(name);
  const setpriv = beside("setpriv");
  const mount = beside("mount");
  if (!setpriv || !mount) return { ok: false, reason: `util-linux ${setpriv ? "mount" : "setpriv"} is missing`, fix: INSTALL };
  const tools = { unshare, setpriv, mount };
  const dir = mkdtempSync(path.join(os.tmpdir(), "colleague-unshare-probe-"));
  try {
    const line = unshareLine(tools)({
      script: "true",
      cwd: dir,
      plan: mountPlan({ workspace: dir, home: path.join(dir, "no-home"), pathDirs: [] }),
      privateTmp: dir,
      network: false,
    });
    const trial = trialRun("unshare", unshare, "/bin/sh", ["-c", `exec ${line}`]);
    return trial.ok ? { ok: true, tools } : trial;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const isDir = (p: string) => {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
};

/** fstab fields escape white space and backslashes as octal. */
const fstabPath = (p: string) => p.replace(/[\\ \t\n]/g, (c) => `\\${c.charCodeAt(0).toString(8).padStart(3, "0")}`);

/** Brings loopback up without iproute2 (perl-base is essential on Debian and Ubuntu): SIOCSIFFLAGS, UP|LOOPBACK|RUNNING. */
const PERL_LO_UP = `use Socket; socket(S, PF_INET, SOCK_DGRAM, 0) or die; my $r = pack("a16 s x22", "lo", 0x49); ioctl(S, 0x8914, $r) or die`;

export function unshareLine(tools: UnshareTools): (command: SandboxCommand) => string {
  return (command) => {
    const shell = existsSync("/bin/bash") ? "/bin/bash" : "/bin/sh";
    const setup = setupScript(command, tools, shell);
    const outer = [tools.setpriv, "--pdeathsig", "KILL", "--", tools.unshare, "--user", "--map-root-user", "--mount"];
    if (!command.network) outer.push("--net");
    outer.push("--pid", "--ipc", "--uts", "--fork", "--kill-child", "--propagation", "private", "--", shell, "-c", setup, "colleague-sandbox", command.script);
    return outer.map(q).join(" ");
  };
}

function setupScript(command: SandboxCommand, tools: UnshareTools, shell: string): string {
  const { plan, privateTmp } = command;
  const mount = q(tools.mount);
  const id = randomBytes(6).toString("hex");
  const stage = `.colleague-stage-${id}`;
  const binds = [...plan.writable.map((p) => ({ p, rw: true })), ...plan.readOnly.map((p) => ({ p, rw: false }))].map((b, i) => ({
    ...b,
    dir: isDir(b.p),
    host: q(path.join(privateTmp, stage, String(i))),
    inside: q(path.posix.join(PRIVATE_TMP, stage, String(i))),
  }));
  const lines = [
    `fail() { echo "colleague sandbox (unshare): $1" >&2; exit 125; }`,
    // The private /tmp becomes a mount of its own, so it can move onto /tmp with the stages in it.
    `${mount} --bind ${q(privateTmp)} ${q(privateTmp)} || fail "cannot bind the private /tmp"`,
  ];
  if (binds.length) lines.push(`mkdir ${q(path.join(privateTmp, stage))} || fail "cannot stage binds"`);
  for (const b of binds) {
    lines.push(`${b.dir ? "mkdir" : "touch"} ${b.host} && ${mount} ${b.rw ? "--rbind" : "--bind"} ${q(b.p)} ${b.host} || fail ${q(`cannot bind ${b.p}`)}`);
  }
  lines.push(
    `${mount} -a -o remount,bind,ro >/dev/null || fail "cannot make every mount read-only"`,
    `${mount} -n --move ${q(privateTmp)} ${PRIVATE_TMP} && ${mount} -n -o remount,bind,rw ${PRIVATE_TMP} || fail "cannot mount the private /tmp"`,
    `${mount} -t proc proc /proc || fail "cannot mount /proc"`,
    `[ ! -d /dev/shm ] || ${mount} -t tmpfs -o mode=1777 colleague-shm /dev/shm || fail "cannot mount /dev/shm"`,
  );
  const covers = [
    // A source name of our own, so mount -a never takes a host tmpfs for "already mounted".
    ...plan.hiddenDirs.map((d) => `colleague-hidden ${fstabPath(d)} tmpfs mode=0755 0 0`),
    ...plan.hiddenFiles.map((f) => `/dev/null ${fstabPath(f)} none bind 0 0`),
  ];
  if (covers.length) {
    const fstab = `.colleague-mounts-${id}`;
    writeFileSync(path.join(privateTmp, fstab), `${covers.join("\n")}\n`);
    lines.push(`${mount} -n -a -T /tmp/${fstab} >/dev/null || fail "cannot hide HOME's dot-entries"`, `rm -f /tmp/${fstab}`);
  }
  for (const b of binds) {
    const target = q(b.p);
    const make = b.dir ? `mkdir -p ${target}` : `{ mkdir -p ${q(path.dirname(b.p))} && touch ${target}; }`;
    lines.push(`{ [ -e ${target} ] || ${make}; } && ${mount} -n --move ${b.inside} ${target} || fail ${q(`cannot bind ${b.p}`)}`);
    if (b.rw) lines.push(`${mount} -n -o remount,bind,rw ${target} || fail ${q(`cannot make ${b.p} writable`)}`);
    lines.push(`${b.dir ? "rmdir" : "rm -f"} ${b.inside}`);
  }
  if (binds.length) lines.push(`rmdir /tmp/${stage}`);
  if (!command.network) lines.push(`ip link set lo up 2>/dev/null || perl -e ${q(PERL_LO_UP)} 2>/dev/null || true`);
  const uid = process.getuid?.() ?? 0;
  const gid = process.getgid?.() ?? 0;
  lines.push(
    `cd ${q(command.cwd)} || fail ${q(`cannot enter ${command.cwd}`)}`,
    `exec ${q(tools.unshare)} --user --map-user=${uid} --map-group=${gid} -- ${q(tools.setpriv)} --no-new-privs --inh-caps=-all --bounding-set=-all -- ${shell} -c "$1"`,
  );
  return lines.join("\n");
}
