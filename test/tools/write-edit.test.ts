import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { editFileTool, whitespaceInsensitiveMatches } from "../../src/tools/edit-file.js";
import { writeFileTool } from "../../src/tools/write-file.js";
import { sandbox } from "./helpers.js";

describe("write_file", () => {
  it("creates parent folders, then overwrites", async () => {
    const box = sandbox();
    const first = await box.call(writeFileTool, { path: "deep/er/new.txt", content: "a\nb\n" });
    expect(first.text).toBe("Created deep/er/new.txt (2 lines)");
    expect(first.details).toEqual({ created: true, bytes: 4 });
    const second = await box.call(writeFileTool, { path: "deep/er/new.txt", content: "é" });
    expect(second.text).toBe("Overwrote deep/er/new.txt (1 line)");
    expect(second.details).toEqual({ created: false, bytes: 2 });
    expect(readFileSync(path.join(box.root, "deep/er/new.txt"), "utf8")).toBe("é");
  });

  it("refuses to write over a directory", async () => {
    const box = sandbox();
    box.write("dir/x", "");
    const result = await box.call(writeFileTool, { path: "dir", content: "x" });
    expect(result.isError).toBe(true);
    expect(result.text).toContain("is a directory");
  });
});

describe("edit_file", () => {
  const read = (root: string, rel: string) => readFileSync(path.join(root, rel), "utf8");

  it("replaces one exact occurrence and reports a diff for UIs", async () => {
    const box = sandbox();
    box.write("a.ts", "const a = 1;\nconst b = 2;\nconst c = 3;\n");
    const result = await box.call(editFileTool, { path: "a.ts", old_string: "b = 2", new_string: "b = 20;\n// b" });
    expect(result.isError).toBe(false);
    expect(result.text).toBe("Edited a.ts: replaced 1 occurrence (-1 +2 lines)");
    expect(read(box.root, "a.ts")).toBe("const a = 1;\nconst b = 20;\n// b;\nconst c = 3;\n");
    expect(result.details).toMatchObject({
      replacements: 1,
      added: 2,
      removed: 1,
      diff: "@@ -2,1 +2,2 @@\n-const b = 2;\n+const b = 20;\n+// b;",
    });
  });

  it("says when old_string is absent, and where it matches if whitespace is ignored", async () => {
    const box = sandbox();
    box.write("a.py", "def f():\n\tif x:\n\t\treturn 1\n");
    const absent = await box.call(editFileTool, { path: "a.py", old_string: "return 2", new_string: "x" });
    expect(absent.isError).toBe(true);
    expect(absent.text).toBe("old_string not found in a.py. Read the file again and copy the exact text.");
    const spaced = await box.call(editFileTool, {
      path: "a.py",
      old_string: "    if x:\n        return 1",
      new_string: "x",
    });
    expect(spaced.isError).toBe(true);
    expect(spaced.text).toContain("matches line(s) 2-3 if whitespace is ignored");
    expect(read(box.root, "a.py")).toBe("def f():\n\tif x:\n\t\treturn 1\n");
  });

  it("refuses an ambiguous old_string unless replace_all is set", async () => {
    const box = sandbox();
    box.write("a.txt", "x = 1\nx = 1\nx = 1\n");
    const ambiguous = await box.call(editFileTool, { path: "a.txt", old_string: "x = 1", new_string: "y" });
    expect(ambiguous.isError).toBe(true);
    expect(ambiguous.text).toBe("old_string found 3 times in a.txt; include more surrounding lines or set replace_all.");
    expect(read(box.root, "a.txt")).toBe("x = 1\nx = 1\nx = 1\n");
    const all = await box.call(editFileTool, { path: "a.txt", old_string: "x = 1", new_string: "y", replace_all: true });
    expect(all.text).toBe("Edited a.txt: replaced 3 occurrences (-3 +3 lines)");
    expect(read(box.root, "a.txt")).toBe("y\ny\ny\n");
  });

  it("inserts replacement text literally, without $ patterns", async () => {
    const box = sandbox();
    box.write("a.txt", "price\n");
    await box.call(editFileTool, { path: "a.txt", old_string: "price", new_string: "$& $1 $$" });
    expect(read(box.root, "a.txt")).toBe("$& $1 $$\n");
  });

  it("keeps CRLF line endings when old_string uses LF", async () => {
    const box = sandbox();
    box.write("w.txt", "a\r\nb\r\nc\r\n");
    const result = await box.call(editFileTool, { path: "w.txt", old_string: "a\nb", new_string: "a\nB" });
    expect(result.isError).toBe(false);
    expect(read(box.root, "w.txt")).toBe("a\r\nB\r\nc\r\n");
  });

  it("refuses identical strings, and a missing file unless old_string is empty", async () => {
    const box = sandbox();
    box.write("a.txt", "abc\n");
    const same = await box.call(editFileTool, { path: "a.txt", old_string: "abc", new_string: "abc" });
    expect(same.text).toContain("identical");
    const missing = await box.call(editFileTool, { path: "b.txt", old_string: "x", new_string: "y" });
    expect(missing.isError).toBe(true);
    expect(missing.text).toContain("File not found: b.txt");
    const existing = await box.call(editFileTool, { path: "a.txt", old_string: "", new_string: "y" });
    expect(existing.isError).toBe(true);
    const created = await box.call(editFileTool, { path: "new/b.txt", old_string: "", new_string: "hello\n" });
    expect(created.text).toBe("Created new/b.txt");
    expect(read(box.root, "new/b.txt")).toBe("hello\n");
  });

  it("finds whitespace-insensitive matches inside lines and across lines", () => {
    const text = "a  =  1;\nfoo(\n    bar,\n    baz)\n";
    expect(whitespaceInsensitiveMatches(text, "a = 1")).toEqual([1]);
    expect(whitespaceInsensitiveMatches(text, "foo(\n bar,\n baz)")).toEqual([2]);
    expect(whitespaceInsensitiveMatches(text, "qux")).toEqual([]);
  });
});
