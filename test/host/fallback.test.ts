import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { probeSandboxBackends } from "../../src/policy/sandbox/index.js";
import { cleanEnv, jsonEvents, runCli } from "../cli/cli-helpers.js";
import { tempRepo, withoutPartNotices } from "../helpers.js";
import { describeIfAvailable } from "../requires.js";

const unshare = probeSandboxBackends().find((b) => b.backend === "unshare")!;

function scenario(dir: string, steps: unknown[]): string {
  const file = path.join(dir, "s.json");
  writeFileSync(file, JSON.stringify({ steps }));
  return `scripted:${file}`;
}

describeIfAvailable("with bubblewrap unusable", unshare.ok ? undefined : `unshare does not work here: ${unshare.reason}`, () => {
  it("the session uses the unshare backend and says so", async () => {
    const ws = tempRepo();
    // A bwrap that cannot create a sandbox, first on PATH: the probe fails, the chain moves on.
    const bin = path.join(tempRepo(), "bin");
    mkdirSync(bin);
    writeFileSync(path.join(bin, "bwrap"), "#!/bin/sh\necho 'bwrap: setting up uid map: Permission denied' >&2\nexit 1\n");
    chmodSync(path.join(bin, "bwrap"), 0o755);
    const env = cleanEnv({ PATH: `${bin}:${process.env.PATH}` });
    const model = scenario(ws, [{ toolCalls: [{ name: "shell", args: { command: "echo inside > proof.txt && cat proof.txt" } }] }, { text: "done" }]);
    const out = await runCli(["run", "prove it", "--model", model, "--cwd", ws, "--json"], { env });
    expect(out.code, out.stderr).toBe(0);
    const events = jsonEvents(out.stdout);
    expect(events.find((e) => e.type === "session_started")).toMatchObject({ sandbox: "unshare" });
    // Said where people look, not as a warning on every run: the log, the run's header, the TUI's status line, doctor.
    expect(withoutPartNotices(out.stderr)).toBe("");
    const text = await runCli(["run", "prove it again", "--model", model, "--cwd", ws], { env });
    expect(text.stdout.split("\n")[0]).toMatch(/full-auto, unshare sandbox$/);
    const doctor = await runCli(["doctor", "--json"], { env });
    expect(JSON.parse(doctor.stdout)).toMatchObject({ session: { backend: "unshare" } });
  });
});

describe("where no sandbox works", () => {
  const env = () => cleanEnv({ COLLEAGUE_SANDBOX_BACKEND: "none" });

  it("full-auto refuses to start, in one line that names the fixes", async () => {
    const ws = tempRepo();
    const out = await runCli(["run", "hi", "--model", scenario(ws, [{ text: "hi" }]), "--cwd", ws], { env: env() });
    expect(out.code).toBe(2);
    expect(out.stderr.trim().split("\n")).toHaveLength(1);
    expect(out.stderr).toMatch(/full-auto needs a sandbox.*bubblewrap.*--sandbox off/);
  });

  it("ask mode keeps working: every command asks, even one a rule allows; edits follow the mode", async () => {
    const ws = tempRepo();
    const home = tempRepo({ "config.json": JSON.stringify({ permissions: { allow: ["shell: echo *"] } }) });
    const model = scenario(ws, [
      { toolCalls: [{ name: "shell", args: { command: "echo hi > made.txt" } }, { name: "write_file", args: { path: "w.txt", content: "w" } }] },
      { text: "done" },
    ]);
    const out = await runCli(["run", "try", "--model", model, "--cwd", ws, "--permission-mode", "auto-edit", "--json"], { env: { ...env(), COLLEAGUE_HOME: home } });
    expect(out.code, out.stderr).toBe(0);
    expect(out.stderr).toMatch(/no sandbox works here .*every shell command asks first/);
    const decisions = jsonEvents(out.stdout).filter((e) => e.type === "permission_decision");
    expect(decisions.map((d) => d.type === "permission_decision" && [d.name, d.decision, d.via])).toEqual([
      ["shell", "deny", "approval"],
      ["write_file", "allow", "mode"],
    ]);
    expect(decisions[0]!.type === "permission_decision" && decisions[0]!.reason).toMatch(/no sandbox works here.*apt-get install bubblewrap/);
  });

  it("--sandbox off is the explicit way to run commands unsandboxed, and they still get no API keys", async () => {
    const ws = tempRepo();
    const model = scenario(ws, [{ toolCalls: [{ name: "shell", args: { command: "env > env.txt" } }] }, { text: "done" }]);
    const out = await runCli(["run", "env", "--model", model, "--cwd", ws, "--permission-mode", "full-auto", "--sandbox", "off", "--json"], {
      env: { ...env(), ANTHROPIC_API_KEY: "sk-ant-secret", MY_SERVICE_TOKEN: "tok-secret" },
    });
    expect(out.code, out.stderr).toBe(0);
    expect(jsonEvents(out.stdout).find((e) => e.type === "session_started")).toMatchObject({ sandbox: "off" });
    const { readFileSync } = await import("node:fs");
    const seen = readFileSync(path.join(ws, "env.txt"), "utf8");
    expect(seen).not.toContain("sk-ant-secret");
    expect(seen).not.toContain("tok-secret");
    expect(seen).toContain("PATH=");
  });

  it("the demo still runs, saying its scripted commands run unsandboxed", async () => {
    const out = await runCli(["demo", "--fast"], { env: env() });
    expect(out.code, out.stderr).toBe(0);
    expect(out.stderr).toContain("no sandbox works here");
    expect(out.stdout).toContain("The repo is left at");
  });
});
