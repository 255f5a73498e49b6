import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { AuditLog, verifyAuditLog } from "../../src/policy/audit.js";
import { cleanEnv, runCli } from "../cli/cli-helpers.js";

// The children load the built package (test/global-setup.ts builds it), as a colleague process would.
const DIST = pathToFileURL(path.resolve("dist/index.js")).href;

/** A separate node process running `body` with AuditLog imported. */
function child(body: string): ChildProcess {
  const script = `import { AuditLog } from ${JSON.stringify(DIST)};\n${body}`;
  return spawn(process.execPath, ["--input-type=module", "-e", script], { stdio: ["ignore", "pipe", "pipe"] });
}

function exited(proc: ChildProcess): Promise<{ code: number | null; stderr: string }> {
  let stderr = "";
  proc.stderr!.on("data", (d: Buffer) => (stderr += d));
  return new Promise((resolve) => proc.on("close", (code) => resolve({ code, stderr })));
}

const freshFile = () => path.join(mkdtempSync(path.join(os.tmpdir(), "colleague-audit-race-")), "audit.jsonl");

describe("the audit log shared by several processes", () => {
  it("keeps one intact chain when 10 processes append at once", async () => {
    const file = freshFile();
    const perProcess = 60;
    const appenders = Array.from({ length: 10 }, (_, n) =>
      child(`const log = new AuditLog(${JSON.stringify(file)});
for (let i = 0; i < ${perProcess}; i++) log.append("s${n}", "tool_call", { callId: "c" + i, name: "shell", args: { command: "echo " + i } });`),
    );
    const results = await Promise.all(appenders.map(exited));
    expect(results.map((r) => r.stderr).join("")).toBe("");
    expect(results.every((r) => r.code === 0)).toBe(true);

    expect(verifyAuditLog(file)).toEqual({ ok: true, records: 10 * perProcess, problems: [] });
    // Every process's records all made it, interleaved in one chain.
    const sessions = readFileSync(file, "utf8").trimEnd().split("\n").map((l) => (JSON.parse(l) as { sessionId: string }).sessionId);
    for (let n = 0; n < 10; n++) expect(sessions.filter((s) => s === `s${n}`)).toHaveLength(perProcess);

    // Tampering with the concurrently written log is still told apart from concurrency.
    const lines = readFileSync(file, "utf8").trimEnd().split("\n");
    lines.splice(300, 1);
    writeFileSync(file, `${lines.join("\n")}\n`);
    const tampered = verifyAuditLog(file);
    expect(tampered.ok).toBe(false);
    expect(tampered.problems.join("\n")).toContain("line 301: seq 302 where 301 was expected");
  });

  it("`colleague audit verify` reports the concurrently written log intact", async () => {
    const file = freshFile();
    await Promise.all(
      Array.from({ length: 4 }, (_, n) =>
        exited(child(`const log = new AuditLog(${JSON.stringify(file)});
for (let i = 0; i < 50; i++) log.append("s${n}", "approval", { answer: "once" });`)),
      ),
    );
    const verify = await runCli(["audit", "verify", "--file", file], { env: cleanEnv() });
    expect(verify.stdout).toContain("audit log intact: 200 records");
    expect(verify.code).toBe(0);
  });

  it("goes on when the process holding the lock is killed (kill -9 mid-append)", async () => {
    const file = freshFile();
    new AuditLog(file).append("s0", "approval", { answer: "once" });
    // The child takes the lock and never lets go, as a process frozen mid-append would.
    const holder = child(`const log = new AuditLog(${JSON.stringify(file)});
log.lock.hold(() => { process.stdout.write("holding\\n"); Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0); });`);
    await new Promise<void>((resolve) => holder.stdout!.once("data", () => resolve()));
    holder.kill("SIGKILL");
    await exited(holder);

    const log = new AuditLog(file);
    log.append("s1", "approval", { answer: "deny" });
    expect(verifyAuditLog(file)).toEqual({ ok: true, records: 2, problems: [] });
  });

  it("continues the chain after a process died between appending a record and updating the head", () => {
    const file = freshFile();
    const log = new AuditLog(file);
    log.append("s1", "approval", { answer: "once" });
    const staleHead = readFileSync(`${file}.head`, "utf8");
    log.append("s1", "approval", { answer: "once" });
    writeFileSync(`${file}.head`, staleHead);
    // The next append chains to the file's last record, not the stale head, and heals the head.
    log.append("s2", "approval", { answer: "deny" });
    expect(verifyAuditLog(file)).toEqual({ ok: true, records: 3, problems: [] });
  });
});
