import { existsSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { ToolCallPart } from "../../src/model/types.js";
import { PermissionPolicy } from "../../src/policy/permissions.js";
import { analyseShell } from "../../src/policy/shell/analyse.js";
import { shellParser } from "../../src/policy/shell/parser.js";
import { ofType } from "../helpers.js";
import { runWithPolicy } from "./helpers.js";

// Runs in its own process (vitest forks per file): the parser starts unloaded here.

const ROOT = "/work/repo";
const shell = (command: string): ToolCallPart => ({ type: "tool_call", id: "c1", name: "shell", args: { command } });

describe("before the shell parser has loaded", () => {
  it("reads plain lines exactly and treats every other line as unknown", () => {
    expect(shellParser()).toBeUndefined();
    expect(analyseShell("git status && npm test | tee out").commands.map((c) => c.text)).toEqual(["git status", "npm test", "tee out"]);
    expect(analyseShell("sudo rm x").commands.map((c) => c.text)).toEqual(["sudo rm x", "rm x"]);
    const quoted = analyseShell("sh -c 'rm x'");
    expect(quoted.reader).toBe("fallback");
    expect(quoted.unknown).toEqual(["the shell parser is not loaded"]);

    const policy = new PermissionPolicy({ user: { permissions: { mode: "full-auto", deny: ["shell: rm *"], allow: ["shell: git *"] } }, project: {} });
    expect(policy.decide(shell("/bin/rm x"), undefined, ROOT).decision).toBe("deny");
    expect(policy.decide(shell("sh -c 'git status'"), undefined, ROOT).decision).toBe("ask"); // unknown: never allowed, asks before the deny rule
    expect(shellParser()).toBeUndefined(); // a policy alone does not load it
  });

  it("the policy hooks load it at the first shell call, so rules read that very call", async () => {
    const { events, cwd } = await runWithPolicy(
      { steps: [{ toolCalls: [{ name: "shell", args: { command: "sh -c 'rm victim'" } }] }, { text: "done" }] },
      { layers: { user: { permissions: { mode: "full-auto", deny: ["shell: rm *"] } }, project: {} }, files: { victim: "x" }, interactive: false },
    );
    expect(shellParser()).toBeDefined();
    expect(existsSync(path.join(cwd, "victim"))).toBe(true);
    expect(ofType(events, "permission_decision")[0]).toMatchObject({ decision: "deny", via: "rule", rule: "shell: rm *" });
  });
});
