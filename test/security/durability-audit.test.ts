import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { verifyAuditLog } from "../../src/policy/audit.js";
import { cleanEnv, runCli, scenarioFile } from "../cli/cli-helpers.js";

describe("10 concurrent sessions on one home", () => {
  it("leave one audit chain that `colleague audit verify` finds intact", { timeout: 300_000 }, async () => {
    const env = cleanEnv();
    const calls = Array.from({ length: 4 }, (_, i) => ({ toolCalls: [{ name: "write_file", args: { path: `f${i}.txt`, content: `${i}` } }] }));
    const model = `scripted:${scenarioFile({ steps: [...calls, { text: "done" }] })}`;
    const runs = await Promise.all(
      Array.from({ length: 10 }, () =>
        runCli(["run", "write files", "--model", model, "--cwd", mkdtempSync(path.join(os.tmpdir(), "colleague-audit-sessions-"))], { env }),
      ),
    );
    expect(runs.map((r) => r.code)).toEqual(Array(10).fill(0));

    const verify = await runCli(["audit", "verify", "--json"], { env });
    const result = JSON.parse(verify.stdout) as { ok: boolean; records: number; problems: string[] };
    expect(result.problems).toEqual([]);
    expect(result.ok).toBe(true);
    expect(verify.code).toBe(0);
    // Every session's calls are on record: a call and a result for each of 4 calls × 10 sessions, at least.
    expect(result.records).toBeGreaterThanOrEqual(80);
    expect(verifyAuditLog(path.join(env.COLLEAGUE_HOME!, "audit.jsonl")).ok).toBe(true);
  });
});
