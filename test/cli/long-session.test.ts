import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { cleanEnv, runCli, scenarioFile } from "./cli-helpers.js";

describe("a long session with default settings", () => {
  it("runs 500 scripted steps to completion (no step limit flag, no config)", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "colleague-long-"));
    writeFileSync(path.join(dir, "notes.txt"), "one line\n");
    const steps = [
      ...Array.from({ length: 499 }, (_, i) => ({ toolCalls: [{ name: "read_file", args: { path: "notes.txt" } }], ...(i === 0 ? { text: "Reading, many times." } : {}) })),
      { text: "Read it 499 times." },
    ];
    const out = await runCli(["-p", "read the notes, a lot", "--model", `scripted:${scenarioFile({ steps })}`, "--output-format", "json"], {
      env: cleanEnv(),
      cwd: dir,
    });
    expect(out.code).toBe(0);
    expect(JSON.parse(out.stdout)).toMatchObject({ status: "completed", num_turns: 500, result: "Read it 499 times." });
  }, 180_000);
});
