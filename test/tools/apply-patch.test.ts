import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { applyPatchTool } from "../../src/tools/apply-patch.js";
import { sandbox } from "./helpers.js";

const patch = (...body: string[]) => ["*** Begin Patch", ...body, "*** End Patch"].join("\n");

describe("apply_patch", () => {
  it("adds, updates, moves and deletes files, and lists what it did", async () => {
    const box = sandbox();
    box.write("src/a.ts", "one\ntwo\nthree\n");
    box.write("src/old.ts", "x\ny\n");
    box.write("gone.txt", "bye\n");
    const result = await box.call(applyPatchTool, {
      patch: patch(
        "*** Add File: docs/new.md",
        "+# New",
        "*** Update File: src/a.ts",
        "@@",
        " one",
        "-two",
        "+2",
        " three",
        "*** Update File: src/old.ts",
        "*** Move to: lib/new.ts",
        "@@",
        "-y",
        "+Y",
        "*** Delete File: gone.txt",
      ),
    });
    expect(result.isError).toBe(false);
    expect(result.text).toBe("A docs/new.md\nM src/a.ts\nR src/old.ts -> lib/new.ts\nD gone.txt");
    const read = (rel: string) => readFileSync(path.join(box.root, rel), "utf8");
    expect(read("docs/new.md")).toBe("# New\n");
    expect(read("src/a.ts")).toBe("one\n2\nthree\n");
    expect(read("lib/new.ts")).toBe("x\nY\n");
    expect(existsSync(path.join(box.root, "src/old.ts"))).toBe(false);
    expect(existsSync(path.join(box.root, "gone.txt"))).toBe(false);
  });

  it("applies a multi-hunk update with whitespace-tolerant context", async () => {
    const box = sandbox();
    box.write("m.py", "def a():   \n    return 1\n\ndef b():\n    return 2\n");
    const result = await box.call(applyPatchTool, {
      patch: patch(
        "*** Update File: m.py",
        "@@ def a():",
        "-    return 1",
        "+    return 10",
        "@@ def b():",
        "-    return 2",
        "+    return 20",
      ),
    });
    expect(result.text).toBe("M m.py");
    expect(readFileSync(path.join(box.root, "m.py"), "utf8")).toBe("def a():   \n    return 10\n\ndef b():\n    return 20\n");
  });

  it("writes nothing when a later operation fails", async () => {
    const box = sandbox();
    box.write("first.txt", "keep\n");
    box.write("second.txt", "alpha\n");
    const result = await box.call(applyPatchTool, {
      patch: patch(
        "*** Update File: first.txt",
        "-keep",
        "+changed",
        "*** Add File: added.txt",
        "+new",
        "*** Update File: second.txt",
        "-missing line",
        "+x",
      ),
    });
    expect(result.isError).toBe(true);
    expect(result.text).toBe("second.txt: could not find these lines:\nmissing line");
    expect(readFileSync(path.join(box.root, "first.txt"), "utf8")).toBe("keep\n");
    expect(existsSync(path.join(box.root, "added.txt"))).toBe(false);
  });

  it("reports parse errors and missing files as tool errors", async () => {
    const box = sandbox();
    const malformed = await box.call(applyPatchTool, { patch: "*** Begin Patch\n*** Frobnicate: x\n*** End Patch" });
    expect(malformed.isError).toBe(true);
    expect(malformed.text).toMatch(/^patch line 2: expected/);
    const missing = await box.call(applyPatchTool, { patch: patch("*** Delete File: nope.txt") });
    expect(missing.text).toBe("Delete File nope.txt: file not found.");
  });

  it("lets later operations see earlier ones in the same patch", async () => {
    const box = sandbox();
    const result = await box.call(applyPatchTool, {
      patch: patch("*** Add File: n.txt", "+a", "*** Update File: n.txt", "-a", "+b"),
    });
    expect(result.text).toBe("A n.txt\nM n.txt");
    expect(readFileSync(path.join(box.root, "n.txt"), "utf8")).toBe("b\n");
  });

  it("refuses absolute paths even inside the workspace", async () => {
    const box = sandbox();
    const file = box.write("a.txt", "a\n");
    const result = await box.call(applyPatchTool, { patch: patch(`*** Delete File: ${file}`) });
    expect(result.isError).toBe(true);
    expect(result.text).toContain("must be relative");
    expect(existsSync(file)).toBe(true);
  });
});
