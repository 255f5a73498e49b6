import { describe, expect, it } from "vitest";
import { unifiedDiff } from "../../src/policy/diff.js";
import { approvalPreview } from "../../src/policy/preview.js";
import { tempRepo } from "../helpers.js";

describe("approval previews", () => {
  it("diffs an edit with three lines of context, removals before additions", () => {
    const before = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"].join("\n");
    const after = ["a", "b", "c", "d", "E", "f", "g", "h", "i", "j"].join("\n");
    expect(unifiedDiff(before, after, "x.txt")).toBe(["--- a/x.txt", "+++ b/x.txt", "@@ -2,7 +2,7 @@", " b", " c", " d", "-e", "+E", " f", " g", " h"].join("\n"));
  });

  it("splits distant changes into hunks and diffs a new file against /dev/null", () => {
    const lines = Array.from({ length: 30 }, (_, i) => `line ${i}`);
    const changed = [...lines];
    changed[2] = "TWO";
    changed[25] = "TWENTY-FIVE";
    const diff = unifiedDiff(lines.join("\n"), changed.join("\n"), "f");
    expect(diff.match(/^@@/gm)).toHaveLength(2);
    expect(diff).toContain("-line 25\n+TWENTY-FIVE");
    expect(unifiedDiff("", "new\n", "n.txt")).toBe("--- /dev/null\n+++ b/n.txt\n@@ -0,0 +1,1 @@\n+new");
  });

  it("shows the command for shell, the diff for edit_file and write_file, nothing outside the workspace", () => {
    const ws = tempRepo({ "a.txt": "one\ntwo\n" });
    const call = (name: string, args: Record<string, unknown>) => ({ type: "tool_call" as const, id: "c", name, args });
    expect(approvalPreview(call("shell", { command: "make && make test" }), ws)).toBe("make && make test");
    expect(approvalPreview(call("edit_file", { path: "a.txt", old_string: "two", new_string: "2" }), ws)).toContain("-two\n+2");
    expect(approvalPreview(call("write_file", { path: "a.txt", content: "one\n" }), ws)).toContain("-two");
    expect(approvalPreview(call("write_file", { path: "../x.txt", content: "x" }), ws)).toBeUndefined();
  });
});
