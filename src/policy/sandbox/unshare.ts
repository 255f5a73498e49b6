import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { shellQuote as q } from "../../shell-quote.js";
import { shellInvocation } from "../../tools/local-io.js";
import { mountPlan, PRIVATE_TMP } from "./home.js";
import { type BackendProbe, findOnPath, memoProbe, notLinux, trialRun } from "./probe.js";
import type { BuildLine, SandboxCommand } from "./runner.js";
import { perlSeccompLoader, seccompArch } from "./seccomp.js";
import type { SandboxLauncher } from "./session-sandbox.js";
import { type SupervisorKind, supervisorArgv } from "./supervisor.js";

/**
 * Backend (b), util-linux only (unshare, setpriv, mount), for machines without bubblewrap. The
 * same sandbox as bwrap's, built by a short shell script that runs as root of a fresh user
 * namespace (mapped to the real user, so it can change nothing outside):
 *
 *  1. every bind source is first bound into a staging folder inside the private /tmp, because
 *     covering /tmp and HOME's dot-folders would hide the sources (bwrap resolves them outside);
 *  2. `mount -a -o remount,bind,ro` makes every mount read-only, submounts and stages included;
 *  3. the private /tmp moves onto /tmp; a fresh /proc (own PID namespace), a minimal /dev (a
 *     tmpfs with null, zero, full, random, urandom, tty, its own devpts and /dev/shm: the host's
 *     block devices, kmsg and consoles stay out), and the tmpfs and /dev/null covers over HOME's
 *     dot-entries and the socket folders go on top;
 *  4. the staged binds are bound to their places (the writable ones made writable again, git's
 *     hooks and config read-only over the workspace), /proc/sys and friends bound read-only,
 *     and the stages released;
 *  5. the command runs in a nested user namespace as the real uid, with no capabilities,
 *     no_new_privs and the seccomp filter (loaded by perl, where perl is installed): it cannot
 *     unmount or remount anything of the sandbox (mounts that a less privileged namespace
 *     inherits are locked, and it has no capability over this one). As root the real uid is 0,
 *     which may write what the mode bits give the owner: hence the read-only /proc/sys and the
 *     minimal /dev.
 *
 * Outside, `setpriv --pdeathsig KILL` and `unshare --kill-child` make the command die with
 * colleague. Without `network` it gets a new network namespace, where only loopback comes up.
 */

const INSTALL = "apt-get install util-linux (it provides unshare, setpriv and mount)";

export interface UnshareTools {
  unshare: string;
  setpriv: string;
  mount: string;
  /** Loads the seccomp filter; without it commands run with no capabilities and no_new_privs only. */
  perl?: string;
}

/** The device nodes a command gets (as bwrap's --dev gives). */
const DEVICES = ["null", "zero", "full", "random", "urandom", "tty"];

/** Parts of /proc that root may write by mode bits alone: read-only (as bwrap does for irq and bus). */
const PROC_READ_ONLY = ["sys", "sysrq-trigger", "irq", "bus"];

/** Finds unshare, setpriv and mount (or checks `binary`) and tries a sandbox; cached per process. */
export const probeUnshare = memoProbe(probe);

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
  const perl = findOnPath("perl");
  const tools = { unshare, setpriv, mount, ...(perl ? { perl } : {}) };
  const dir = mkdtempSync(path.join(os.tmpdir(), "colleague-unshare-probe-"));
  try {
    const { line, after } = unshareLine(tools)({
      script: "true",
      cwd: dir,
      plan: mountPlan({ workspace: dir, home: path.join(dir, "no-home"), pathDirs: [] }),
      privateTmp: dir,
      network: false,
    });
    const trial = trialRun("unshare", unshare, "/bin/sh", ["-c", `exec ${line}`]);
    after?.();
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

export function unshareLine(tools: UnshareTools): BuildLine {
  return (command) => {
    const shell = existsSync("/bin/bash") ? "/bin/bash" : "/bin/sh";
    const { script: setup, stageDir } = setupScript(command, tools, shell);
    const outer = [tools.setpriv, "--pdeathsig", "KILL", "--", tools.unshare, "--user", "--map-root-user", "--mount"];
    if (!command.network) outer.push("--net");
    outer.push("--pid", "--ipc", "--uts", "--fork", "--kill-child", "--propagation", "private", "--", ...shellInvocation(shell), setup, "colleague-sandbox", command.script);
    // The stages are empty once the command runs (their mounts are released); the host folder goes afterwards.
    return { line: outer.map(q).join(" "), after: () => rmSync(stageDir, { recursive: true, force: true }) };
  };
}

/**
 * The long-lived sandbox of the unshare backend: the script above, with the supervisor where
 * the command would be. The supervisor is the namespace's second process (the setup shell is
 * its init), as its "kill everything the command left" needs.
 */
export function unshareLauncher(tools: UnshareTools, program: SupervisorKind): SandboxLauncher {
  const line = unshareLine(tools);
  const supervisor = `exec ${supervisorArgv(program).map(q).join(" ")}`;
  return {
    // The line itself names a fresh staging folder each time, so the plan is the key.
    key: (command) => JSON.stringify([command.plan, command.privateTmp, command.network, command.seccomp?.file]),
    launch: (command) => {
      const { line: built, after } = line({ ...command, cwd: "/", script: supervisor });
      return { argv: ["/bin/sh", "-c", `exec ${built}`], ...(after ? { cleanup: after } : {}) };
    },
  };
}

/**
 * Every process the setup starts costs a fork and an exec, so the mounts go in three `mount -a`
 * passes over generated fstab files rather than one `mount` per path.
 */
function setupScript(command: SandboxCommand, tools: UnshareTools, shell: string): { script: string; stageDir: string } {
  const { plan, privateTmp } = command;
  const mount = q(tools.mount);
  const id = randomBytes(6).toString("hex");
  const stage = `.colleague-stage-${id}`;
  const devices = DEVICES.map((d) => `/dev/${d}`).filter((d) => existsSync(d));
  const binds = [
    ...plan.writable.map((p) => ({ p, rw: true })),
    ...plan.readOnly.map((p) => ({ p, rw: false })),
    ...plan.readOnlyInside.map((p) => ({ p, rw: false })),
    ...devices.map((p) => ({ p, rw: false })),
  ].map((b, i) => ({
    ...b,
    dir: isDir(b.p),
    host: path.join(privateTmp, stage, String(i)),
    inside: path.posix.join(PRIVATE_TMP, stage, String(i)),
  }));
  // The stages live in the private /tmp (a host folder of ours), created here rather than by a process.
  mkdirSync(path.join(privateTmp, stage));
  for (const b of binds) {
    if (b.dir) mkdirSync(b.host);
    else writeFileSync(b.host, "");
  }
  /** Writes an fstab into the stage folder; returns its path as seen after the private /tmp moved. */
  const fstab = (name: string, lines: string[]) => {
    writeFileSync(path.join(privateTmp, stage, name), `${lines.join("\n")}\n`);
    return q(path.posix.join(PRIVATE_TMP, stage, name));
  };
  // 1. The private /tmp becomes a mount of its own (so it can move onto /tmp with the stages in
  //    it), and each bind source is staged there while it is still visible.
  fstab("stage.fstab", [
    `${fstabPath(privateTmp)} ${fstabPath(privateTmp)} none bind 0 0`,
    ...binds.map((b) => `${fstabPath(b.p)} ${fstabPath(b.host)} none ${b.rw ? "rbind" : "bind"} 0 0`),
  ]);
  // 3. Source names of our own, so mount -a never takes a host mount for "already mounted".
  const covers = [
    // /dev/null as a cover is the host's node, which the new /dev hides: hidden files come first.
    ...plan.hiddenFiles.map((f) => `/dev/null ${fstabPath(f)} none bind 0 0`),
    "colleague-proc /proc proc defaults 0 0",
    "colleague-dev /dev tmpfs mode=0755 0 0",
    "colleague-shm /dev/shm tmpfs mode=1777,X-mount.mkdir 0 0",
    "colleague-devpts /dev/pts devpts newinstance,ptmxmode=0666,mode=0620,X-mount.mkdir 0 0",
    ...plan.hiddenDirs.map((d) => `colleague-hidden ${fstabPath(d)} tmpfs mode=0755 0 0`),
  ];
  const bindBack = [
    ...binds.map((b) => `${fstabPath(b.inside)} ${fstabPath(b.p)} none bind${b.dir ? ",X-mount.mkdir" : ""} 0 0`),
    ...PROC_READ_ONLY.map((e) => `/proc/${e}`)
      .filter((e) => existsSync(e))
      .map((e) => `${e} ${e} none bind,ro 0 0`),
  ];
  const files = binds.filter((b) => !b.dir);
  const lines = [
    "exec 8<&0",
    `fail() { echo "colleague sandbox (unshare): $1" >&2; exit 125; }`,
    `${mount} -n -a -T ${q(path.join(privateTmp, stage, "stage.fstab"))} >/dev/null || fail "cannot stage the binds"`,
    // 2. Everything read-only: the root, every submount, the stages.
    `${mount} -n -a -o remount,bind,ro >/dev/null || fail "cannot make every mount read-only"`,
    `${mount} -n --move ${q(privateTmp)} ${PRIVATE_TMP} && ${mount} -n -o remount,bind,rw ${PRIVATE_TMP} || fail "cannot mount the private /tmp"`,
  ];
  // A file bound back inside a hidden folder (or the new /dev) needs a file to mount on, made after the hiding.
  lines.push(`${mount} -n -a -T ${fstab("cover.fstab", covers)} >/dev/null || fail "cannot hide HOME's dot-entries"`);
  lines.push(`for f in ${files.map((b) => q(b.p)).join(" ")}; do [ -e "$f" ] || { mkdir -p "\${f%/*}" && : > "$f"; }; done`);
  lines.push(`ln -s pts/ptmx /dev/ptmx && ln -s /proc/self/fd /dev/fd && ln -s fd/0 /dev/stdin && ln -s fd/1 /dev/stdout && ln -s fd/2 /dev/stderr`);
  lines.push(`${mount} -n -a -T ${fstab("back.fstab", bindBack)} >/dev/null || fail "cannot bind the workspace and the tools"`);
  // 4. The binds are back from their (read-only) stages; the writable ones become writable again.
  for (const b of binds.filter((b) => b.rw)) lines.push(`${mount} -n -o remount,bind,rw ${q(b.p)} || fail ${q(`cannot make ${b.p} writable`)}`);
  if (binds.length) lines.push(`umount -R ${binds.map((b) => q(b.inside)).join(" ")} || fail "cannot release the stages"`);
  if (!command.network) lines.push(`ip link set lo up 2>/dev/null || perl -e ${q(PERL_LO_UP)} 2>/dev/null || true`);
  const uid = process.getuid?.() ?? 0;
  const gid = process.getgid?.() ?? 0;
  const arch = seccompArch();
  const seccomp = tools.perl && arch && command.seccomp ? `${q(tools.perl)} -e ${q(perlSeccompLoader(arch))} ${command.seccomp.bytes.toString("hex")} ` : "";
  lines.push(
    `cd ${q(command.cwd)} || fail ${q(`cannot enter ${command.cwd}`)}`,
    // 5. The command: the real uid in a nested user namespace, no capabilities, no_new_privs, the
    //    seccomp filter. It runs as a child, not in this shell's place: this shell is the
    //    namespace's init, and an init ignores SIGTERM, so a command exec'd here would outlive an
    //    interrupt by the whole grace period until SIGKILL.
    //    A command started with & gets /dev/null as stdin; a long-lived sandbox's supervisor
    //    reads its commands from this shell's stdin, kept on fd 8 for it.
    `${q(tools.unshare)} --user --map-user=${uid} --map-group=${gid} -- ${q(tools.setpriv)} --no-new-privs --inh-caps=-all --bounding-set=-all -- ${seccomp}${shellInvocation(shell).map(q).join(" ")} "$1" <&8 8<&- &`,
    `wait $!`,
    `exit $?`,
  );
  return { script: lines.join("\n"), stageDir: path.join(privateTmp, stage) };
}
