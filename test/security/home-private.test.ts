import { chmodSync, mkdtempSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { cleanEnv, runCli, scenarioFile } from "../cli/cli-helpers.js";
import { tempRepo } from "../helpers.js";

/** Another local user must not read transcripts, the audit log, the token or checkpoints. */
describe("the colleague home is private", () => {
  it("a first run makes the home 0700 and the session store and audit log 0600", async () => {
    const home = path.join(mkdtempSync(path.join(os.tmpdir(), "colleague-parent-")), "home");
    const ws = tempRepo({ "a.txt": "hello\n" });
    const scenario = { steps: [{ toolCalls: [{ name: "write_file", args: { path: "b.txt", content: "x" } }] }, { text: "done" }] };
    const out = await runCli(["run", "write b", "--model", `scripted:${scenarioFile(scenario)}`, "--cwd", ws, "--sandbox", "off"], {
      env: cleanEnv({ COLLEAGUE_HOME: home }),
    });
    expect(out.code, out.stderr).toBe(0);
    const mode = (file: string) => statSync(file).mode & 0o777;
    expect(mode(home)).toBe(0o700);
    expect(mode(path.join(home, "sessions.db"))).toBe(0o600);
    expect(mode(path.join(home, "audit.jsonl"))).toBe(0o600);
  });

  it("doctor says when an existing home is readable by others, and how to fix it", async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), "colleague-home-"));
    chmodSync(home, 0o755);
    const open = await runCli(["doctor"], { env: cleanEnv({ COLLEAGUE_HOME: home }) });
    expect(open.stdout).toContain(`${home} is readable by other users: chmod 700 ${home}`);
    chmodSync(home, 0o700);
    const closed = await runCli(["doctor"], { env: cleanEnv({ COLLEAGUE_HOME: home }) });
    expect(closed.stdout).toMatch(/ok\s+home/);
  });
});
