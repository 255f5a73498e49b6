import { describe, expect, it } from "vitest";
import { applyHunks, PatchError, parsePatch } from "../../src/tools/patch.js";

const patch = (...body: string[]) => ["*** Begin Patch", ...body, "*** End Patch"].join("\n");

describe("parsePatch", () => {
  it("parses add, delete, and update with move, context headers and end-of-file", () => {
    const ops = parsePatch(
      patch(
        "*** Add File: new.txt",
        "+hello",
        "+",
        "*** Delete File: old.txt",
        "*** Update File: src/a.ts",
        "*** Move to: src/b.ts",
        "@@ function f() {",
        " keep",
        "-gone",
        "+came",
        "@@",
        "-last",
        "+final",
        "*** End of File",
      ),
    );
    expect(ops).toEqual([
      { type: "add", path: "new.txt", content: "hello\n\n" },
      { type: "delete", path: "old.txt" },
      {
        type: "update",
        path: "src/a.ts",
        moveTo: "src/b.ts",
        hunks: [
          { context: "function f() {", oldLines: ["keep", "gone"], newLines: ["keep", "came"], atEnd: false },
          { oldLines: ["last"], newLines: ["final"], atEnd: true },
        ],
      },
    ]);
  });

  it("accepts a first hunk without @@, CRLF input and a heredoc wrapper", () => {
    const text = `apply_patch <<'EOF'\r\n${patch("*** Update File: a", " x", "-y", "+z")}\r\nEOF\r\n`;
    expect(parsePatch(text)).toEqual([
      { type: "update", path: "a", hunks: [{ oldLines: ["x", "y"], newLines: ["x", "z"], atEnd: false }] },
    ]);
  });

  it.each([
    ["a missing begin marker", "*** Add File: a\n+x\n*** End Patch", /patch line 1: the first line must be "\*\*\* Begin Patch"/],
    ["a missing end marker", "*** Begin Patch\n*** Add File: a\n+x", /patch line 3: the last line must be "\*\*\* End Patch"/],
    ["an unknown header", patch("*** Rename File: a"), /patch line 2: expected "\*\*\* Add File:"/],
    ["an add line without +", patch("*** Add File: a", "oops"), /patch line 3: lines of an added file must start with "\+"/],
    ["a bad hunk line", patch("*** Update File: a", "@@", " x", "?y"), /patch line 5: hunk lines must start with/],
    ["an update without hunks", patch("*** Update File: a"), /patch line 2: "Update File: a" has no hunks/],
    ["a missing path", patch("*** Delete File: "), /patch line 2: missing path/],
  ])("rejects %s, naming the line", (_name, text, message) => {
    expect(() => parsePatch(text)).toThrow(PatchError);
    expect(() => parsePatch(text)).toThrow(message);
  });
});

describe("applyHunks", () => {
  const file = "a\nb\nc\nd\ne\nf\ng\n";

  it("applies several hunks in order", () => {
    const result = applyHunks(file, [
      { oldLines: ["a", "b"], newLines: ["a", "B"], atEnd: false },
      { oldLines: ["e", "f"], newLines: ["e", "F", "F2"], atEnd: false },
    ]);
    expect(result).toBe("a\nB\nc\nd\ne\nF\nF2\ng\n");
  });

  it("searches each hunk after the previous one and after its @@ context line", () => {
    const text = "f() {\n  x\n}\ng() {\n  x\n}\n";
    const result = applyHunks(text, [{ context: "g() {", oldLines: ["  x"], newLines: ["  y"], atEnd: false }]);
    expect(result).toBe("f() {\n  x\n}\ng() {\n  y\n}\n");
  });

  it("tolerates trailing whitespace, then surrounding whitespace, in the file", () => {
    expect(applyHunks("a  \nb\t\n", [{ oldLines: ["a", "b"], newLines: ["A"], atEnd: false }])).toBe("A\n");
    expect(applyHunks("  a\n", [{ oldLines: ["a"], newLines: ["  A"], atEnd: false }])).toBe("  A\n");
  });

  it("prefers an exact match over an earlier loose one", () => {
    const result = applyHunks("x \nx\n", [{ oldLines: ["x"], newLines: ["y"], atEnd: false }]);
    expect(result).toBe("x \ny\n");
  });

  it("matches an end-of-file hunk at the end", () => {
    const result = applyHunks("x\ny\nx\n", [{ oldLines: ["x"], newLines: ["z"], atEnd: true }]);
    expect(result).toBe("x\ny\nz\n");
  });

  it("adds pure insertions after the context line, or at the end", () => {
    expect(applyHunks("a\nb\n", [{ context: "a", oldLines: [], newLines: ["new"], atEnd: false }])).toBe("a\nnew\nb\n");
    expect(applyHunks("a\nb", [{ oldLines: [], newLines: ["c"], atEnd: false }])).toBe("a\nb\nc\n");
  });

  it("keeps CRLF line endings", () => {
    expect(applyHunks("a\r\nb\r\n", [{ oldLines: ["b"], newLines: ["B"], atEnd: false }])).toBe("a\r\nB\r\n");
  });

  it("names the file and the lines it could not find", () => {
    const apply = () => applyHunks(file, [{ oldLines: ["c", "zzz"], newLines: ["c"], atEnd: false }], "src/a.ts");
    expect(apply).toThrow(PatchError);
    expect(apply).toThrow("src/a.ts: could not find these lines:\nc\nzzz");
    const context = () => applyHunks(file, [{ context: "nope", oldLines: ["a"], newLines: [], atEnd: false }], "f");
    expect(context).toThrow("f: context line not found:\nnope");
  });
});
