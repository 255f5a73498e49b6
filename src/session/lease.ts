import { randomBytes } from "node:crypto";
import os from "node:os";
import path from "node:path";
import type { SessionLease, SessionStore } from "../store/store.js";
import { SessionBusy } from "./errors.js";
import { processAlive } from "./lookup.js";

/** How often a running session renews its lease, and when a lease of another machine counts as abandoned. */
export const LEASE_HEARTBEAT_MS = 15_000;
export const LEASE_STALE_MS = 60_000;

let processLabel: string | undefined;

/** What this process is, as a lease shows it to a second resume ("colleague resume"); faces set it at start. */
export function describeThisProcess(label: string): void {
  processLabel = label;
}

const thisProcess = () => processLabel ?? `node ${path.basename(process.argv[1] ?? "")}`.trim();

/**
 * A holder is gone when its process is (on this machine pid liveness tells; the lease of a
 * kill -9'd process is taken over at once) or, for another machine, when it stopped renewing.
 */
export function leaseIsStale(holder: SessionLease, now = Date.now(), hostname = os.hostname()): boolean {
  if (holder.host === hostname) return !processAlive(holder.pid);
  return now - Date.parse(holder.heartbeatAt) > LEASE_STALE_MS;
}

export interface SessionHold {
  release(): void;
}

/**
 * Takes the lease of a session for this process, or throws SessionBusy naming the holder.
 * The lease is renewed while held (for other machines sharing the store) and released by
 * `release()`; a process that dies without releasing leaves a stale lease that the next
 * claim takes over.
 */
export function holdSession(store: SessionStore, sessionId: string): SessionHold {
  if (!store.claimLease) return { release: () => {} };
  const now = new Date().toISOString();
  const lease: SessionLease = {
    sessionId,
    token: randomBytes(8).toString("hex"),
    pid: process.pid,
    host: os.hostname(),
    command: thisProcess(),
    startedAt: now,
    heartbeatAt: now,
  };
  const holder = store.claimLease(lease, (h) => leaseIsStale(h));
  if (holder) throw new SessionBusy(busyMessage(holder));
  const timer = setInterval(() => {
    try {
      store.renewLease?.(sessionId, lease.token, new Date().toISOString());
    } catch {
      // A closed or busy store: the next beat tries again; a missed beat only matters after a minute.
    }
  }, LEASE_HEARTBEAT_MS);
  timer.unref();
  let released = false;
  return {
    release: () => {
      if (released) return;
      released = true;
      clearInterval(timer);
      store.releaseLease?.(sessionId, lease.token);
    },
  };
}

/** `session X is running in process 123 (colleague resume, started 12:03); wait for it or stop it` */
export function busyMessage(holder: SessionLease, hostname = os.hostname()): string {
  const where = holder.host === hostname ? `process ${holder.pid}` : `process ${holder.pid} on ${holder.host}`;
  return `session ${holder.sessionId} is running in ${where} (${holder.command}, started ${startedAt(holder.startedAt)}); wait for it or stop it`;
}

/** Local clock time; with the date when it was not today. */
function startedAt(iso: string): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  const pad = (n: number) => String(n).padStart(2, "0");
  const time = `${pad(at.getHours())}:${pad(at.getMinutes())}`;
  const day = `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`;
  const today = new Date();
  const sameDay = at.getFullYear() === today.getFullYear() && at.getMonth() === today.getMonth() && at.getDate() === today.getDate();
  return sameDay ? time : `${day} ${time}`;
}
