import { createHash } from "node:crypto";
import {
  appendFileSync,
  closeSync,
  constants,
  existsSync,
  fstatSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import path from "node:path";
import { CrossProcessLock } from "./audit-lock.js";

/**
 * The audit log: append-only JSON lines, each record carrying the hash of the one before, so
 * that editing, removing or reordering any record breaks the chain. A small head file holds the
 * newest record's seq and hash, so cutting records off the end is detected too. It lives outside
 * the workspace (in $COLLEAGUE_HOME), which the shell sandbox hides from the agent.
 */

export type AuditKind = "tool_call" | "tool_result" | "approval" | "monitor" | "tier_use" | "honesty" | "permission";

export interface AuditRecord {
  seq: number;
  time: string;
  sessionId: string;
  kind: AuditKind;
  data: Record<string, unknown>;
  /** Hash of the previous record ("" for the first). */
  prev: string;
  hash: string;
}

const GENESIS = "";

/** Canonical JSON (sorted keys), so a hash does not depend on property order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

export function recordHash(record: Omit<AuditRecord, "hash">): string {
  return createHash("sha256").update(canonical(record)).digest("hex");
}

const headFile = (file: string) => `${file}.head`;
const lockFile = (file: string) => `${file}.lock`;

/** One lock (one open SQLite handle) per log per process: a server opens a guard, and so an AuditLog, per session. */
const locks = new Map<string, CrossProcessLock>();
const lockFor = (file: string) => {
  let lock = locks.get(file);
  if (!lock) {
    lock = new CrossProcessLock(lockFile(file));
    locks.set(file, lock);
  }
  return lock;
};

/**
 * Appends to the log. Several colleague processes may share one log (ten sessions on one home),
 * so each append holds a lock across processes and continues from the record that is last in
 * the file at that moment: the chain never forks, and a fork in it still means tampering.
 */
export class AuditLog {
  private readonly lock: CrossProcessLock;

  constructor(readonly file: string) {
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    this.lock = lockFor(path.resolve(file));
  }

  append(sessionId: string, kind: AuditKind, data: Record<string, unknown>): AuditRecord {
    return this.lock.hold(() => {
      const tail = this.tail();
      const body = { seq: tail.seq + 1, time: new Date().toISOString(), sessionId, kind, data, prev: tail.hash };
      const record: AuditRecord = { ...body, hash: recordHash(body) };
      appendFileSync(this.file, `${JSON.stringify(record)}\n`, { mode: 0o600 });
      writeHead(this.file, record);
      return record;
    });
  }

  /** Where the chain ends now: the file's last record, or the head file when that record is unreadable. */
  private tail(): { seq: number; hash: string } {
    const last = lastLine(this.file);
    if (last === undefined) return { seq: 0, hash: GENESIS };
    const record = safeJson(last);
    if (record && typeof record.seq === "number" && typeof record.hash === "string") return record;
    const head = existsSync(headFile(this.file)) ? safeJson(readFileSync(headFile(this.file), "utf8")) : undefined;
    return head ?? { seq: 0, hash: GENESIS };
  }
}

/**
 * Every head is this many bytes (the JSON, then spaces, then a newline), so the next head
 * overwrites it exactly: one small write at offset 0, no truncation and no rename. Renaming a
 * new file over the old one cost ~0.3–1.5 ms per append on ext4 (a replace-by-rename starts
 * writeback of the new file), three times per tool step; this write costs ~10 µs.
 */
const HEAD_BYTES = 128;
const headText = (record: AuditRecord) => `${JSON.stringify({ seq: record.seq, hash: record.hash })}`.padEnd(HEAD_BYTES - 1) + "\n";

/**
 * Writes the head in place. The write is one syscall of 128 bytes at offset 0, within one page:
 * a process killed around it leaves either the old head or the new one, and a head left behind
 * the log (killed between the append and this write) is caught up by the next append, which
 * continues from the log's last record. Appends hold the lock, so they never see a half-written
 * head; `verifyAuditLog` run during an append may report a mismatch, as it could with a rename.
 * A symlink in the head's place is not followed (O_NOFOLLOW): it is replaced by a rename instead.
 */
function writeHead(file: string, record: AuditRecord): void {
  const text = headText(record);
  let fd: number;
  try {
    fd = openSync(headFile(file), constants.O_WRONLY | constants.O_CREAT | constants.O_NOFOLLOW, 0o600);
  } catch {
    replaceHead(file, text);
    return;
  }
  try {
    writeSync(fd, text, 0);
    // A head longer than ours (edited by hand) would otherwise keep its tail after our newline.
    if (fstatSync(fd).size > HEAD_BYTES) ftruncateSync(fd, HEAD_BYTES);
  } finally {
    closeSync(fd);
  }
}

/** Replaced in one rename, so a reader never sees a half-written head. */
function replaceHead(file: string, text: string): void {
  const temp = `${headFile(file)}.${process.pid}`;
  writeFileSync(temp, text, { mode: 0o600 });
  renameSync(temp, headFile(file));
}

/** The last non-empty line, read from the end of the file: a log of a million records is not read whole. */
export function lastLine(file: string): string | undefined {
  let fd: number;
  try {
    fd = openSync(file, "r");
  } catch {
    return undefined;
  }
  try {
    const size = fstatSync(fd).size;
    // Records are mostly well under 4 KB; a longer one widens the window.
    for (let window = 4 * 1024; ; window *= 4) {
      const start = Math.max(0, size - window);
      const bytes = Buffer.alloc(size - start);
      readSync(fd, bytes, 0, bytes.length, start);
      let end = bytes.length;
      while (end > 0 && (bytes[end - 1] === 0x0a || bytes[end - 1] === 0x0d)) end--;
      if (end === 0) {
        if (start === 0) return undefined;
        continue;
      }
      const newline = bytes.lastIndexOf(0x0a, end - 1);
      if (newline >= 0 || start === 0) return bytes.subarray(newline + 1, end).toString("utf8");
    }
  } finally {
    closeSync(fd);
  }
}

export interface VerifyResult {
  ok: boolean;
  records: number;
  /** One line per problem found, with the line number. */
  problems: string[];
}

/** Checks every link: seq order, prev hash, own hash, and the head file. */
export function verifyAuditLog(file: string): VerifyResult {
  if (!existsSync(file)) return { ok: false, records: 0, problems: [`${file}: no audit log`] };
  const problems: string[] = [];
  const lines = readFileSync(file, "utf8").split("\n");
  if (lines.at(-1) === "") lines.pop();
  let prev = GENESIS;
  let expectedSeq = 1;
  let count = 0;
  lines.forEach((line, index) => {
    const where = `line ${index + 1}`;
    let record: AuditRecord;
    try {
      record = JSON.parse(line) as AuditRecord;
    } catch {
      problems.push(`${where}: not a JSON record`);
      return;
    }
    count++;
    if (record.seq !== expectedSeq) {
      problems.push(`${where}: seq ${record.seq} where ${expectedSeq} was expected (a record was removed or moved)`);
    }
    if (record.prev !== prev) problems.push(`${where}: does not chain to the record before it (removed, inserted or reordered)`);
    const { hash, ...body } = record;
    if (recordHash(body) !== hash) problems.push(`${where}: its content does not match its hash (edited)`);
    prev = hash;
    expectedSeq = (typeof record.seq === "number" ? record.seq : expectedSeq) + 1;
  });
  const head = existsSync(headFile(file)) ? safeJson(readFileSync(headFile(file), "utf8")) : undefined;
  if (!head) problems.push("the head file is missing or unreadable: records at the end may have been removed");
  else if (head.hash !== prev || head.seq !== expectedSeq - 1) {
    problems.push(`the log ends at seq ${expectedSeq - 1}, but the head says ${head.seq}: records at the end were removed or changed`);
  }
  return { ok: problems.length === 0, records: count, problems };
}

function safeJson(text: string): { seq: number; hash: string } | undefined {
  try {
    return JSON.parse(text) as { seq: number; hash: string };
  } catch {
    return undefined;
  }
}
