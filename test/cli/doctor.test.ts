import { existsSync, mkdtempSync, symlinkSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { cleanEnv, runCli } from "./cli-helpers.js";

/** A PATH with only these commands (found on the current PATH), e.g. util-linux without bwrap. */
function pathWith(names: string[]): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "colleague-path-"));
  for (const name of names) {
    const found = (process.env.PATH ?? "")
      .split(":")
      .map((d) => path.join(d, name))
      .find((p) => existsSync(p));
    if (found) symlinkSync(found, path.join(dir, name));
  }
  return dir;
}

describe("colleague doctor", () => {
  it("lists each backend with why and how to fix, and the one a session would use", async () => {
    const out = await runCli(["doctor"], { env: cleanEnv({ PATH: "/nonexistent" }) });
    expect(out.code).toBe(0);
    expect(out.stdout).toContain("bubblewrap  does not work: bubblewrap is not installed");
    expect(out.stdout).toContain("fix: apt-get install bubblewrap");
    expect(out.stdout).toContain("unshare     does not work: util-linux unshare is not installed");
    expect(out.stdout).toContain("A session here uses: none (no backend works here)");
    expect(out.stdout).toMatch(/ok {3}node {6}v\d+/);
  });

  it("--json, and COLLEAGUE_SANDBOX_BACKEND names the backend in use", async () => {
    const out = await runCli(["doctor", "--json"], { env: cleanEnv({ COLLEAGUE_SANDBOX_BACKEND: "none" }) });
    expect(out.code).toBe(0);
    const report = JSON.parse(out.stdout) as { backends: { backend: string }[]; session: { backend: string; why: string } };
    expect(report.backends.map((b) => b.backend)).toEqual(["bubblewrap", "unshare"]);
    expect(report.session).toEqual({ backend: "none", why: "forced by COLLEAGUE_SANDBOX_BACKEND=none" });
  });

  it("falls back to unshare when bwrap is not on PATH (where user namespaces work)", async () => {
    const env = cleanEnv({ PATH: pathWith(["unshare", "setpriv", "mount", "bash", "sh", "true"]) });
    const out = await runCli(["doctor", "--json"], { env });
    const report = JSON.parse(out.stdout) as { backends: { backend: string; ok: boolean }[]; session: { backend: string } };
    expect(report.backends[0]!.ok).toBe(false);
    expect(report.session.backend).toBe(report.backends[1]!.ok ? "unshare" : "none");
  });

  it("exits 2 for a bad flag", async () => {
    const out = await runCli(["doctor", "--nope"], { env: cleanEnv() });
    expect(out.code).toBe(2);
  });
});
