import { existsSync } from "node:fs";
import { shellQuote } from "../../shell-quote.js";
import { PRIVATE_TMP } from "./home.js";
import { type BackendProbe, findOnPath, memoProbe, notLinux, trialRun } from "./probe.js";
import type { BuildLine, SandboxCommand } from "./runner.js";

/**
 * Backend (a), bubblewrap: one small setuid-free binary that builds the whole sandbox from an
 * argument list, so it is the fastest and the first choice where it is installed.
 *
 * Run as root, bwrap creates no user namespace, so the command would keep root's capabilities
 * (enough to unmount what hides HOME or remount / writable): all of them are dropped, and bwrap
 * always sets no_new_privs. The command keeps uid 0 (it must write the root-owned workspace), so
 * what root may write by the file's mode bits alone is made read-only as well: /proc/sys (the
 * kernel's settings, core_pattern among them), which bwrap's fresh /proc leaves writable.
 */

const INSTALL = "apt-get install bubblewrap (dnf install bubblewrap, pacman -S bubblewrap)";

/** Finds bwrap (or checks `binary`) and whether it can create a sandbox here; cached per process. */
export const probeBubblewrap = memoProbe(probe);

function probe(binary: string | undefined): BackendProbe & { path?: string } {
  const other = notLinux();
  if (other) return other;
  const found = binary ?? findOnPath("bwrap");
  if (!found || !existsSync(found)) {
    const where = binary ? `not found at ${JSON.stringify(binary)}` : "not installed (no bwrap on PATH)";
    return { ok: false, reason: `bubblewrap is ${where}`, fix: INSTALL };
  }
  const trial = trialRun("bwrap", found, found, ["--ro-bind", "/", "/", "--unshare-net", "--unshare-pid", "--", "/bin/true"]);
  return trial.ok ? { ok: true, path: found } : trial;
}

/** The bwrap argument list for one command (exported for tests). */
export function bwrapArgs(command: SandboxCommand): string[] {
  const { plan } = command;
  const args = ["--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc"];
  // A private /tmp: nothing the host keeps there (sockets, other sessions' files) is visible.
  args.push("--bind", command.privateTmp, PRIVATE_TMP);
  for (const dir of plan.hiddenDirs) args.push("--tmpfs", dir);
  for (const file of plan.hiddenFiles) args.push("--ro-bind", "/dev/null", file);
  // bwrap resolves sources outside the new root, so covered paths can be bound straight back.
  for (const keep of plan.readOnly) args.push("--ro-bind", keep, keep);
  for (const dir of plan.writable) args.push("--bind", dir, dir);
  for (const keep of plan.readOnlyInside) args.push("--ro-bind", keep, keep);
  for (const entry of PROC_READ_ONLY) if (existsSync(entry)) args.push("--ro-bind", entry, entry);
  if (!command.network) args.push("--unshare-net");
  args.push("--unshare-pid", "--unshare-ipc", "--unshare-uts", "--die-with-parent");
  if (process.getuid?.() === 0) args.push("--cap-drop", "ALL");
  if (command.seccomp) args.push("--seccomp", String(SECCOMP_FD));
  args.push("--chdir", command.cwd);
  args.push("--", existsSync("/bin/bash") ? "/bin/bash" : "/bin/sh", "-c", command.script);
  return args;
}

/** Parts of /proc that root may write by mode bits alone (bwrap covers irq and bus itself). */
const PROC_READ_ONLY = ["/proc/sys", "/proc/sysrq-trigger"];

/** Where the outer shell opens the seccomp program for bwrap to read. */
export const SECCOMP_FD = 9;

export function bubblewrapLine(bwrap: string): BuildLine {
  return (command) => {
    const line = [bwrap, ...bwrapArgs(command)].map(shellQuote).join(" ");
    return { line: command.seccomp ? `${line} ${SECCOMP_FD}<${shellQuote(command.seccomp.file)}` : line };
  };
}
