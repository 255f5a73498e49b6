import { createHash } from "node:crypto";
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

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

export class AuditLog {
  private seq = 0;
  private prev = GENESIS;

  constructor(readonly file: string) {
    mkdirSync(path.dirname(file), { recursive: true });
    if (existsSync(file)) {
      const last = lastRecord(file);
      if (last) {
        this.seq = last.seq;
        this.prev = last.hash;
      }
    }
  }

  append(sessionId: string, kind: AuditKind, data: Record<string, unknown>): AuditRecord {
    // Another colleague process may have appended since: continue from the head it left.
    const head = existsSync(headFile(this.file)) ? safeJson(readFileSync(headFile(this.file), "utf8")) : undefined;
    if (head && head.seq > this.seq) {
      this.seq = head.seq;
      this.prev = head.hash;
    }
    const body = { seq: this.seq + 1, time: new Date().toISOString(), sessionId, kind, data, prev: this.prev };
    const record: AuditRecord = { ...body, hash: recordHash(body) };
    appendFileSync(this.file, `${JSON.stringify(record)}\n`);
    writeFileSync(headFile(this.file), `${JSON.stringify({ seq: record.seq, hash: record.hash })}\n`);
    this.seq = record.seq;
    this.prev = record.hash;
    return record;
  }
}

function lastRecord(file: string): AuditRecord | undefined {
  const lines = readFileSync(file, "utf8").split("\n").filter((l) => l.trim());
  const last = lines.at(-1);
  if (!last) return undefined;
  try {
    return JSON.parse(last) as AuditRecord;
  } catch {
    return undefined;
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
