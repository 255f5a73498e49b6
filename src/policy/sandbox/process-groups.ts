import { appendFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { ProcessRunner } from "../../tools/io.js";

/**
 * Nothing a session starts outlives it. Every command runs in its own process group; the group
 * is written to a small file under the colleague home (one per session) before the command is
 * let go, so whoever ends the session — this process at its end, or a later `resume` after
 * colleague was killed — can kill what is left, sandbox on or off (`sleep 1000 &` with
 * `--sandbox off` stays in the command's group after the command returns).
 *
 * A line is `pgid leaderStart boot ownerPid ownerStart`: the start times (clock ticks since
 * boot, /proc/<pid>/stat field 22) and the boot id tell a recorded group from an unrelated one
 * that reused the number later, and a group recorded by a colleague process that is still
 * running (a second `resume` of a live session) is left to it.
 */

interface Entry {
  pgid: number;
  leaderStart: string;
  boot: string;
  ownerPid: number;
  ownerStart: string;
}

/** The record of one session's process groups. */
export function processGroupFile(home: string, sessionId: string): string {
  return path.join(home, "process-groups", `${sessionId.replace(/[^A-Za-z0-9_-]/g, "_")}.txt`);
}

/** Field 22 of /proc/<pid>/stat (after the parenthesised name, which may hold spaces). */
function startTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
  } catch {
    return undefined;
  }
}

let bootId: string | undefined;
function boot(): string {
  if (bootId === undefined) {
    try {
      bootId = readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim();
    } catch {
      bootId = "-";
    }
  }
  return bootId;
}

/** Appends one group to the session's record; throws when the record cannot be written. */
export function recordProcessGroup(home: string, sessionId: string, pgid: number): void {
  const file = processGroupFile(home, sessionId);
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const line = [pgid, startTime(pgid) ?? "-", boot(), process.pid, startTime(process.pid) ?? "-"].join(" ");
  appendFileSync(file, `${line}\n`, { mode: 0o600 });
}

function readEntries(file: string): Entry[] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return [];
  }
  const entries: Entry[] = [];
  for (const line of text.split("\n")) {
    const [pgid, leaderStart, bootField, ownerPid, ownerStart] = line.trim().split(" ");
    if (!pgid || !leaderStart || !bootField || !ownerPid || !ownerStart || !/^\d+$/.test(pgid) || !/^\d+$/.test(ownerPid)) continue;
    entries.push({ pgid: Number(pgid), leaderStart, boot: bootField, ownerPid: Number(ownerPid), ownerStart });
  }
  return entries;
}

/** Whether another colleague process that recorded the entry is still running. */
function ownedByLiveOther(entry: Entry): boolean {
  if (entry.ownerPid === process.pid && entry.boot === boot()) return false;
  if (entry.boot !== boot()) return false;
  const start = startTime(entry.ownerPid);
  return start !== undefined && start === entry.ownerStart;
}

/**
 * Whether the group is (still) the one recorded: its leader is the recorded process, or the
 * leader has exited and members remain (a group's number is not handed out again while the group
 * has members). Without /proc (not Linux) only groups this process recorded are trusted.
 */
function sameGroup(entry: Entry): boolean {
  if (entry.boot !== boot()) return false;
  if (entry.leaderStart === "-") return entry.ownerPid === process.pid;
  const leader = startTime(entry.pgid);
  return leader === undefined || leader === entry.leaderStart;
}

/**
 * Kills (SIGKILL) every recorded group of the session that is still alive, except those of
 * another colleague process that is still running, and rewrites the record to what is left.
 * Returns how many groups were signalled. Never throws.
 */
export function killRecordedProcessGroups(home: string, sessionId: string): number {
  const file = processGroupFile(home, sessionId);
  const entries = readEntries(file);
  if (entries.length === 0) {
    rmSync(file, { force: true });
    return 0;
  }
  let killed = 0;
  const kept: Entry[] = [];
  const seen = new Set<number>();
  for (const entry of entries) {
    if (ownedByLiveOther(entry)) {
      kept.push(entry);
      continue;
    }
    if (seen.has(entry.pgid) || !sameGroup(entry)) continue;
    seen.add(entry.pgid);
    try {
      process.kill(-entry.pgid, "SIGKILL");
      killed++;
    } catch {
      // the group is gone already
    }
  }
  try {
    if (kept.length) writeFileSync(file, kept.map((e) => `${e.pgid} ${e.leaderStart} ${e.boot} ${e.ownerPid} ${e.ownerStart}\n`).join(""));
    else rmSync(file, { force: true });
  } catch {
    // a read-only home: the groups are dead all the same
  }
  return killed;
}

/**
 * `runner` with each command's process group recorded for `sessionId` before the command
 * starts; a command whose group cannot be recorded does not run.
 */
export function recordingRunner(runner: ProcessRunner, home: string, sessionId: string): ProcessRunner {
  return {
    run: (command, options) => runner.run(command, { ...options, onProcessGroup: (pgid) => recordProcessGroup(home, sessionId, pgid) }),
    ...(runner.close ? { close: () => runner.close?.() } : {}),
    ...(runner.warm ? { warm: () => runner.warm?.() } : {}),
  };
}
