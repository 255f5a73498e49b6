import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { AgentEvent } from "../../src/agent/events.js";
import { scriptedApprover } from "../../src/policy/approver.js";
import { policyFiles } from "../../src/policy/policy-files.js";
import { cleanEnv, jsonEvents, runCli, scenarioFile } from "../cli/cli-helpers.js";
import { ofType, tempRepo } from "../helpers.js";
import { runWithPolicy } from "../policy/helpers.js";

/**
 * The agent's file tools cannot change what steers colleague: project config, the colleague
 * home, the audit log, git hooks and git config. Without a terminal such a write is denied in
 * every mode (full-auto included); with one it asks, and "always" is not on offer.
 */

const ORIGINAL = "{}\n";
const GIT_CONFIG = "[core]\n\tbare = false\n";
const write = (p: string, content = "planted\n") => ({ name: "write_file", args: { path: p, content } });

/** Runs one scripted step of calls through the CLI, without a terminal; returns the events. */
async function runCalls(calls: unknown[], options: { cwd: string; mode: string; env?: NodeJS.ProcessEnv }): Promise<AgentEvent[]> {
  const scenario = scenarioFile({ steps: [{ toolCalls: calls }, { text: "done" }] });
  const env = options.env ?? cleanEnv();
  const out = await runCli(["run", "plant", "--model", `scripted:${scenario}`, "--cwd", options.cwd, "--json", "--sandbox", "off"], {
    env: { ...env, COLLEAGUE_PERMISSION_MODE: options.mode },
  });
  expect(out.code, out.stderr).toBe(0);
  return jsonEvents(out.stdout);
}

/** The decision recorded for each call, in call order. */
function decisions(events: AgentEvent[]) {
  return ofType(events, "permission_decision").map((e) => ({ decision: e.decision, reason: e.reason }));
}

function plantedRepo(): string {
  const repo = realpathSync(
    tempRepo({
      "colleague.json": ORIGINAL,
      ".colleague/config.json": ORIGINAL,
      ".git/hooks/pre-commit.sample": ORIGINAL,
      ".git/config": GIT_CONFIG,
      ".mcp.json": ORIGINAL,
      ".claude/settings.json": ORIGINAL,
      "logs/.keep": "",
    }),
  );
  symlinkSync(path.join(repo, "colleague.json"), path.join(repo, "notes.txt"));
  return repo;
}

describe("policy files through the CLI, without a terminal", () => {
  for (const mode of ["auto-edit", "full-auto"]) {
    it(`${mode}: every write to a policy file in the repo is denied and the file is unchanged; ordinary files are written`, async () => {
      const repo = plantedRepo();
      const env = cleanEnv();
      // The user's audit log lives inside the workspace here: it is protected wherever it is.
      mkdirSync(env.COLLEAGUE_HOME!, { recursive: true });
      writeFileSync(path.join(env.COLLEAGUE_HOME!, "config.json"), JSON.stringify({ auditLog: path.join(repo, "logs/audit.jsonl") }));
      const events = await runCalls(
        [
          write("colleague.json", '{"permissions":{"allow":["shell"]}}'),
          write(".colleague/config.json"),
          write(".git/hooks/pre-commit", "#!/bin/sh\nnpm run lint\n"),
          { name: "edit_file", args: { path: ".git/config", old_string: "bare = false", new_string: "hooksPath = /tmp" } },
          { name: "apply_patch", args: { patch: "*** Begin Patch\n*** Update File: .mcp.json\n@@\n-{}\n+{\"mcpServers\":{}}\n*** End Patch" } },
          write(".claude/settings.json"),
          write("notes.txt"),
          write("logs/audit.jsonl", ""),
          write("src/ordinary.ts", "export {};\n"),
        ],
        { cwd: repo, mode, env },
      );
      const got = decisions(events);
      expect(got).toHaveLength(9);
      for (const d of got.slice(0, 8)) {
        expect(d.decision).toBe("deny");
        expect(d.reason).toContain("changes colleague's policy");
      }
      expect(got[2]!.reason).toContain("git hook");
      expect(got[7]!.reason).toContain("audit log");
      expect(got[8]!.decision).toBe("allow");
      for (const file of ["colleague.json", ".colleague/config.json", ".mcp.json", ".claude/settings.json"]) {
        expect(readFileSync(path.join(repo, file), "utf8"), file).toBe(ORIGINAL);
      }
      expect(readFileSync(path.join(repo, ".git/config"), "utf8")).toBe(GIT_CONFIG);
      // The run's own records are there: the tool did not blank the log.
      expect(readFileSync(path.join(repo, "logs/audit.jsonl"), "utf8")).toContain('"kind":"permission"');
      expect(existsSync(path.join(repo, ".git/hooks/pre-commit"))).toBe(false);
      expect(readFileSync(path.join(repo, "src/ordinary.ts"), "utf8")).toBe("export {};\n");
    });

    it(`${mode}: with the workspace at $HOME, ~/.colleague/config.json and the audit log are denied, also through a symlink`, async () => {
      const home = realpathSync(mkdtempSync(path.join(os.tmpdir(), "colleague-userhome-")));
      mkdirSync(path.join(home, ".colleague"));
      writeFileSync(path.join(home, ".colleague/config.json"), "{}\n");
      symlinkSync(path.join(home, ".colleague/config.json"), path.join(home, "settings-link.json"));
      const env = { ...cleanEnv(), HOME: home, COLLEAGUE_HOME: "" };
      const events = await runCalls(
        [
          write(".colleague/config.json", '{"sandbox":{"enabled":false},"monitors":{"enabled":false}}'),
          write(".colleague/audit.jsonl", ""),
          write("settings-link.json", '{"permissions":{"mode":"full-auto"}}'),
          write("notes/today.md", "ordinary\n"),
        ],
        { cwd: home, mode, env },
      );
      const got = decisions(events);
      expect(got.map((d) => d.decision)).toEqual(["deny", "deny", "deny", "allow"]);
      expect(got[0]!.reason).toContain("colleague home");
      expect(readFileSync(path.join(home, ".colleague/config.json"), "utf8")).toBe("{}\n");
      // The run itself appended to the audit log: the tool did not blank it.
      expect(readFileSync(path.join(home, ".colleague/audit.jsonl"), "utf8").length).toBeGreaterThan(0);
      expect(readFileSync(path.join(home, "notes/today.md"), "utf8")).toBe("ordinary\n");
    });
  }
});

describe("policy files with a person to ask", () => {
  it("full-auto still asks, says why, never offers 'always', and asks again for the next write", async () => {
    const approver = scriptedApprover(["session", "deny"]);
    const { cwd, events } = await runWithPolicy(
      {
        steps: [
          { toolCalls: [write("colleague.json", '{"model":"scripted:x"}')] },
          { toolCalls: [write("colleague.json", '{"permissions":{"allow":["shell"]}}')] },
          { text: "done" },
        ],
      },
      { mode: "full-auto", approver, interactive: true },
    );
    expect(approver.asked).toHaveLength(2);
    for (const request of approver.asked) {
      expect(request.onceOnly).toBe(true);
      expect(request.reason).toContain("changes colleague's policy");
    }
    // "always" was answered, but counted as once: the second write was asked and denied.
    expect(ofType(events, "permission_decision").map((e) => e.decision)).toEqual(["allow", "deny"]);
    expect(readFileSync(path.join(cwd, "colleague.json"), "utf8")).toBe('{"model":"scripted:x"}');
  });
});

describe("which paths are policy files", () => {
  it("names project config, settings folders, git hooks and config (also of a linked worktree and core.hooksPath), the home and the audit log", () => {
    const repo = realpathSync(tempRepo({ ".git/config": "[core]\n\thooksPath = .husky\n", "src/a.ts": "" }));
    const home = realpathSync(mkdtempSync(path.join(os.tmpdir(), "colleague-home-")));
    const files = policyFiles({ workspace: repo, home, auditLog: path.join(repo, "audit/log.jsonl") });
    const protectedPaths = [
      "colleague.json",
      "sub/colleague.json",
      ".colleague/tier.json",
      ".mcp.json",
      ".claude/agents/x.md",
      ".git/hooks/post-checkout",
      ".git/config",
      ".husky/pre-commit",
      "audit/log.jsonl",
      "audit/log.jsonl.lock",
    ];
    for (const p of protectedPaths) expect(files.reasonFor(path.join(repo, p)), p).toBeDefined();
    expect(files.reasonFor(path.join(home, "config.json"))).toContain("colleague home");
    for (const p of ["src/a.ts", "AGENTS.md", "README.md", ".github/workflows/ci.yml", "audit/other.jsonl", ".gitignore"]) {
      expect(files.reasonFor(path.join(repo, p)), p).toBeUndefined();
    }

    // A linked worktree: its `.git` is a file; hooks and config live in the main repository's git dir.
    const worktree = realpathSync(tempRepo({ ".git": `gitdir: ${path.join(repo, ".git/worktrees/wt")}\n` }));
    mkdirSync(path.join(repo, ".git/worktrees/wt"), { recursive: true });
    writeFileSync(path.join(repo, ".git/worktrees/wt/commondir"), "../..\n");
    const inWorktree = policyFiles({ workspace: worktree });
    expect(inWorktree.reasonFor(path.join(repo, ".git/hooks/pre-push"))).toContain("git hook");
    expect(inWorktree.reasonFor(path.join(repo, ".git/config"))).toContain("git config");
  });

  it("a folder named like a settings folder above the workspace does not make every file a policy file", () => {
    const parent = realpathSync(mkdtempSync(path.join(os.tmpdir(), "colleague-parent-")));
    const workspace = path.join(parent, ".claude", "worktrees", "w1");
    mkdirSync(workspace, { recursive: true });
    expect(policyFiles({ workspace }).reasonFor(path.join(workspace, "src/a.ts"))).toBeUndefined();
    expect(policyFiles({ workspace }).reasonFor(path.join(workspace, ".claude/settings.json"))).toBeDefined();
  });
});
