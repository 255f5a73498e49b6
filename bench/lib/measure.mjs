// Runs one process and measures it: wall time (here, from spawn to exit), CPU time (user +
// system) and peak RSS. GNU time (/usr/bin/time) reports CPU and peak RSS from the kernel's
// rusage; without it (or with BENCH_NO_GNU_TIME=1), /proc/PID is polled every few ms (peak RSS
// from VmHWM, CPU from stat), which can miss the last few ms of a process's life.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

const GNU_TIME = "/usr/bin/time";
export const hasGnuTime = existsSync(GNU_TIME) && !process.env.BENCH_NO_GNU_TIME;
const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/**
 * Runs `command args` and resolves with {code, stdout, stderr, wallMs, cpuMs, peakRssMb}.
 * `timeoutMs` kills a hung run (reported by the caller as not completed).
 */
export function measure(command, args, { env, cwd, timeoutMs = 60_000 } = {}) {
  const tmp = mkdtempSync(path.join(os.tmpdir(), "colleague-bench-time-"));
  const timeFile = path.join(tmp, "time.txt");
  const [file, argv] = hasGnuTime ? [GNU_TIME, ["-f", "%U %S %M", "-o", timeFile, command, ...args]] : [command, args];
  return new Promise((resolve) => {
    const started = process.hrtime.bigint();
    const child = spawn(file, argv, { env, cwd, stdio: ["ignore", "pipe", "pipe"] });
    const polled = hasGnuTime ? undefined : pollProc(child.pid);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("close", (code, signal) => {
      const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
      clearTimeout(timer);
      polled?.stop();
      const usage = hasGnuTime ? readGnuTime(timeFile) : polled.usage();
      rmSync(tmp, { recursive: true, force: true });
      resolve({ code: signal ? null : code, signal, stdout, stderr, wallMs, ...usage });
    });
  });
}

function readGnuTime(file) {
  try {
    // The last line: GNU time prefixes "Command exited with non-zero status N" when it fails.
    const line = readFileSync(file, "utf8").trim().split("\n").at(-1);
    const [user, system, maxKb] = line.split(/\s+/).map(Number);
    return { cpuMs: (user + system) * 1000, peakRssMb: maxKb / 1024 };
  } catch {
    return { cpuMs: Number.NaN, peakRssMb: Number.NaN };
  }
}

/** Fallback without GNU time: the newest values seen in /proc before the process ended. */
function pollProc(pid) {
  let peakKb = 0;
  let ticks = 0;
  const read = () => {
    try {
      const hwm = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
      if (hwm) peakKb = Math.max(peakKb, Number(hwm[1]));
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      // utime + stime, plus cutime + cstime: children it has waited for (the tools' processes).
      ticks = Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
    } catch {
      // The process is gone: keep the last reading.
    }
  };
  const interval = setInterval(read, 5);
  read();
  return {
    stop: () => clearInterval(interval),
    usage: () => ({ cpuMs: (ticks / TICKS_PER_SECOND) * 1000, peakRssMb: peakKb / 1024 }),
  };
}

/** median, min and max of the finite numbers in `values` (undefined when there are none). */
export function summarize(values) {
  const xs = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (!xs.length) return undefined;
  const mid = Math.floor(xs.length / 2);
  const median = xs.length % 2 ? xs[mid] : (xs[mid - 1] + xs[mid]) / 2;
  return { median, min: xs[0], max: xs.at(-1), n: xs.length };
}
