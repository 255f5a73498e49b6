import { describe, expect, it } from "vitest";
import type { ToolCallPart } from "../../src/model/types.js";
import type { PolicyLayers } from "../../src/policy/config.js";
import { effectiveMode, PermissionPolicy, parseRule, targetsOf } from "../../src/policy/permissions.js";
import type { AnyTool } from "../../src/tools/define.js";

// Rule by rule, what decides a call: written for the mutants of permissions.ts that no test
// killed (ask rules, tool names and groups, patterns, apply_patch targets, flags, the mode's reasons).

const ROOT = "/work/repo";
const call = (name: string, args: Record<string, unknown>): ToolCallPart => ({ type: "tool_call", id: "c1", name, args });
const shell = (command: string) => call("shell", { command });
const write = (p: string) => call("write_file", { path: p, content: "" });
const policy = (user: NonNullable<PolicyLayers["user"]["permissions"]>, extraAllow?: string[]) =>
  new PermissionPolicy({ user: { permissions: user }, project: {} }, extraAllow ? { extraAllow } : {});
const readOnlyTool = { readOnly: true } as unknown as AnyTool;

describe("permission rules, one by one", () => {
  it("parses `tool: pattern`, a bare tool, and trims both", () => {
    expect(parseRule("  Shell :  git push * ", "user")).toEqual({ text: "  Shell :  git push * ", tool: "shell", pattern: "git push *", layer: "user" });
    expect(parseRule("write", "project")).toEqual({ text: "write", tool: "write", layer: "project" });
    expect(parseRule(":x", "flag")).toMatchObject({ tool: "", pattern: "x" });
  });

  it("an ask rule asks even where an allow rule and the mode would allow; a deny still wins", () => {
    const p = policy({ mode: "full-auto", allow: ["shell: git *"], ask: ["shell: git push *"], deny: ["shell: git push --force*"] });
    expect(p.decide(shell("git push origin main"), undefined, ROOT)).toEqual({
      decision: "ask",
      via: "rule",
      rule: "shell: git push *",
      reason: 'user rule "shell: git push *" asks first',
    });
    expect(p.decide(shell("git status && git push"), undefined, ROOT)).toMatchObject({ decision: "ask", via: "rule" });
    expect(p.decide(shell("git push --force"), undefined, ROOT)).toMatchObject({ decision: "deny" });
    expect(p.decide(shell("git status"), undefined, ROOT)).toEqual({ decision: "allow", via: "rule", rule: "shell: git *", reason: 'allowed by user rule "shell: git *"' });
  });

  it("a rule names a group, an alias (edit, bash), an exact tool or `*`; other tools are their own group", () => {
    const p = policy({ mode: "ask", deny: ["edit: secrets/**", "bash: curl *", "read_file: .env", "*: danger/**", "mcp_deploy"] });
    expect(p.decide(write("secrets/a"), undefined, ROOT).decision).toBe("deny");
    expect(p.decide(call("edit_file", { path: "secrets/a" }), undefined, ROOT).decision).toBe("deny");
    expect(p.decide(shell("curl x"), undefined, ROOT).decision).toBe("deny");
    expect(p.decide(call("read_file", { path: ".env" }), undefined, ROOT).decision).toBe("deny");
    expect(p.decide(call("grep", { pattern: "x", path: ".env" }), undefined, ROOT).decision).toBe("allow"); // read_file only
    expect(p.decide(call("list", { path: "danger/x" }), undefined, ROOT).decision).toBe("deny");
    expect(p.decide(call("mcp_deploy", {}), undefined, ROOT).decision).toBe("deny");
    expect(p.decide(call("mcp_other", {}), undefined, ROOT)).toMatchObject({ decision: "ask", via: "mode", reason: "ask mode asks before running mcp_other" });
    // A group rule never reaches tools outside our groups, even a rule named "other".
    const other = policy({ mode: "ask", deny: ["other"] });
    expect(other.decide(call("mcp_other", {}), undefined, ROOT).decision).toBe("ask");
    // A read-only tool of an extension counts as a read.
    expect(policy({ mode: "ask" }).decide(call("mcp_lookup", {}), readOnlyTool, ROOT)).toMatchObject({ decision: "allow", reason: "reading is allowed" });
  });

  it("no pattern or `*` matches every call of the tool; shell patterns match the trimmed command", () => {
    const p = policy({ mode: "ask", allow: ["write: *"], deny: ["shell"] });
    expect(p.decide(write("a/b/c.txt"), undefined, ROOT).decision).toBe("allow");
    expect(p.decide(shell("ls"), undefined, ROOT).decision).toBe("deny");
    expect(policy({ mode: "ask", allow: ["shell: ls *"] }).decide(shell("  ls -la  "), undefined, ROOT).decision).toBe("allow");
  });

  it("an allow covers a shell line only when it has commands and no substitution", () => {
    const p = policy({ mode: "ask", allow: ["shell: *"] });
    expect(p.decide(shell("echo $(id)"), undefined, ROOT).decision).toBe("ask");
    expect(p.decide(shell(" ; "), undefined, ROOT).decision).toBe("ask");
    expect(p.decide(shell("echo a; echo b"), undefined, ROOT).decision).toBe("allow");
  });

  it("targets: paths relative to the workspace; apply_patch names every file, the destination of a move too", () => {
    expect(targetsOf(write(`${ROOT}/src/a.ts`), ROOT)).toEqual(["src/a.ts"]);
    expect(targetsOf(call("list", {}), ROOT)).toEqual(["."]);
    expect(targetsOf(call("list", { path: ROOT }), ROOT)).toEqual(["."]);
    expect(targetsOf(call("list", { path: 7 }), ROOT)).toEqual(["."]);
    const patch = "*** Begin Patch\n*** Update File: a.txt\n*** Move to: secrets/a.txt\n@@\n-x\n+y\n*** Add File: b.txt\n+b\n*** End Patch";
    expect(targetsOf(call("apply_patch", { patch }), ROOT)).toEqual(["a.txt", "secrets/a.txt", "b.txt"]);
    expect(targetsOf(call("apply_patch", { patch: "not a patch" }), ROOT)).toEqual(["."]);
    expect(policy({ mode: "full-auto", deny: ["write: secrets/**"] }).decide(call("apply_patch", { patch }), undefined, ROOT).decision).toBe("deny");
  });

  it("--allow rules from the command line allow, and say so", () => {
    const p = policy({ mode: "ask" }, ["shell: make *"]);
    expect(p.decide(shell("make test"), undefined, ROOT)).toEqual({ decision: "allow", via: "rule", rule: "shell: make *", reason: 'allowed by flag rule "shell: make *"' });
    expect(p.decide(shell("rm x"), undefined, ROOT).decision).toBe("ask");
  });

  it("each mode's default, with its reason", () => {
    const w = write("a.txt");
    expect(policy({ mode: "read-only" }).decide(w, undefined, ROOT)).toEqual({ decision: "deny", via: "mode", reason: "the permission mode is read-only" });
    expect(policy({ mode: "read-only" }).decide(call("read_file", { path: "a" }), undefined, ROOT)).toEqual({ decision: "allow", via: "mode", reason: "reading is allowed" });
    expect(policy({ mode: "ask" }).decide(w, undefined, ROOT)).toEqual({ decision: "ask", via: "mode", reason: "ask mode asks before editing files" });
    expect(policy({ mode: "ask" }).decide(shell("ls"), undefined, ROOT)).toEqual({ decision: "ask", via: "mode", reason: "ask mode asks before running shell" });
    expect(policy({ mode: "auto-edit" }).decide(w, undefined, ROOT)).toEqual({ decision: "allow", via: "mode", reason: "auto-edit mode" });
    expect(policy({ mode: "full-auto" }).decide(shell("ls"), undefined, ROOT)).toEqual({ decision: "allow", via: "mode", reason: "full-auto mode" });
    expect(new PermissionPolicy({ user: {}, project: {} }).mode).toBe("ask");
  });

  it("the project may tighten the mode to an equal or stricter one, never loosen it", () => {
    const layers = (user: "ask" | "auto-edit", project: "ask" | "read-only" | "full-auto"): PolicyLayers => ({
      user: { permissions: { mode: user } },
      project: { permissions: { mode: project } },
    });
    expect(effectiveMode(layers("ask", "ask"))).toBe("ask");
    expect(effectiveMode(layers("auto-edit", "read-only"))).toBe("read-only");
    expect(effectiveMode(layers("ask", "full-auto"))).toBe("ask");
    expect(effectiveMode(layers("ask", "full-auto"), "full-auto")).toBe("full-auto");
  });

  it("a session grant covers the same program or group afterwards, never a substitution", () => {
    const p = policy({ mode: "ask" });
    expect(p.grant(shell("npm test"), undefined)).toBe("shell:npm");
    expect(p.decide(shell("npm run build"), undefined, ROOT)).toEqual({ decision: "allow", via: "grant", reason: "allowed for this session" });
    expect(p.decide(shell("npm test && rm -rf x"), undefined, ROOT).decision).toBe("ask");
    expect(p.grant(shell("npm $(x)"), undefined)).toBeUndefined();
    expect(p.grant(call("mcp_x", {}), undefined)).toBe("tool:mcp_x");
    expect(p.decide(call("mcp_x", {}), undefined, ROOT).decision).toBe("allow");
    expect(p.decide(call("mcp_y", {}), undefined, ROOT).decision).toBe("ask");
  });
});
