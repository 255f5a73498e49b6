import { execFileSync } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

/**
 * CLI tests run the shipped entry point (bin → dist), so build it once first. Each run gets a
 * temporary folder of its own (TMPDIR, inherited by the workers and what they start), removed at
 * the end: thousands of test homes and workspaces a run makes would otherwise stay in /tmp.
 */
export default function setup(): () => void {
  execFileSync(process.execPath, ["scripts/build.mjs"], { stdio: "inherit" });
  // Short, so Unix socket paths below it stay far under their 108-byte limit.
  const run = mkdtempSync(path.join(os.tmpdir(), "colleague-run-"));
  // Open to every user, as /tmp is: the security tests run colleague as other users too.
  chmodSync(run, 0o1777);
  const before = process.env.TMPDIR;
  process.env.TMPDIR = run;
  return () => {
    if (before === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = before;
    try {
      rmSync(run, { recursive: true, force: true, maxRetries: 3 });
    } catch (error) {
      console.warn(`[teardown] left ${run}: ${(error as Error).message}`);
    }
  };
}
