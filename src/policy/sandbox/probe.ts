import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

/** Whether a backend works here; when not, why and what would fix it. */
export interface BackendProbe {
  ok: boolean;
  reason?: string;
  fix?: string;
}

/** A probe's result, kept per binary for the life of the process (probes spawn processes). */
export function memoProbe<T extends BackendProbe>(probe: (binary: string | undefined) => T): (binary?: string) => T {
  const cache = new Map<string, T>();
  return (binary) => {
    const key = binary ?? "";
    let known = cache.get(key);
    if (!known) {
      known = probe(binary);
      cache.set(key, known);
    }
    return known;
  };
}

/** The first `name` on PATH (the user's PATH decides, as it does for every other command). */
export function findOnPath(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  return (env.PATH ?? "/usr/bin:/bin")
    .split(path.delimiter)
    .filter((dir) => path.isAbsolute(dir))
    .map((dir) => path.join(dir, name))
    .find((p) => existsSync(p));
}

/**
 * Runs `file args` as a trial sandbox, unless a marker says it already worked for this binary,
 * user and boot: spawning the trial costs tens of ms of every start-up, and whether namespaces
 * work only changes with the kernel, its settings or the binary. A forged marker skips only
 * the trial: commands still run through the backend and fail loudly.
 */
export function trialRun(name: string, binary: string, file: string, args: string[]): BackendProbe {
  const marker = probeMarker(name, binary);
  if (marker && existsSync(marker)) return { ok: true };
  try {
    execFileSync(file, args, { stdio: ["ignore", "ignore", "pipe"], timeout: 10_000 });
  } catch (error) {
    const stderr = String((error as { stderr?: Buffer }).stderr ?? "").trim();
    const first = (stderr || (error as Error).message).split("\n")[0];
    return { ok: false, reason: `${name} cannot create a sandbox here (${first})`, fix: userNamespaceFix() };
  }
  if (marker) {
    try {
      writeFileSync(marker, "");
    } catch {
      // no marker: the next start-up probes again
    }
  }
  return { ok: true };
}

function probeMarker(name: string, binary: string): string | undefined {
  try {
    const boot = readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim();
    const stamp = statSync(binary).mtimeMs;
    return path.join(os.tmpdir(), `colleague-${name}-ok-${process.getuid?.() ?? "u"}-${boot}-${stamp}`);
  } catch {
    return undefined;
  }
}

const readSysctl = (file: string): string | undefined => {
  try {
    return readFileSync(file, "utf8").trim();
  } catch {
    return undefined;
  }
};

/** The kernel setting that most likely blocks unprivileged user namespaces, and how to lift it. */
export function userNamespaceFix(): string {
  if (readSysctl("/proc/sys/user/max_user_namespaces") === "0") return "sysctl -w user.max_user_namespaces=15000";
  if (readSysctl("/proc/sys/kernel/unprivileged_userns_clone") === "0") return "sysctl -w kernel.unprivileged_userns_clone=1";
  if (readSysctl("/proc/sys/kernel/apparmor_restrict_unprivileged_userns") === "1") {
    return "sysctl -w kernel.apparmor_restrict_unprivileged_userns=0 (Ubuntu 24.04+; or an AppArmor profile that allows user namespaces)";
  }
  return "allow unprivileged user namespaces (sysctl user.max_user_namespaces, kernel.unprivileged_userns_clone; in a container: --security-opt seccomp/apparmor=unconfined or a privileged container)";
}

/** Not Linux: neither backend can exist. */
export function notLinux(): BackendProbe | undefined {
  if (process.platform === "linux") return undefined;
  return {
    ok: false,
    reason: `the shell sandbox needs Linux; this is ${process.platform}`,
    fix: "run colleague in a Linux VM or container (commands then ask for approval)",
  };
}
