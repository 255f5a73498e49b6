import { describe, expect, it } from "vitest";
import { callSummary, toolGist, toolOutputText } from "../../src/cli/tool-summary.js";

const text = (t: string) => [{ type: "text" as const, text: t }];

describe("the one tool summariser (run and the TUI)", () => {
  it("names the argument worth showing", () => {
    expect(callSummary("shell", { command: "npm  test\n-- --watch" })).toBe("npm test -- --watch");
    expect(callSummary("grep", { pattern: "TODO", path: "src" })).toBe("TODO in src");
    expect(callSummary("apply_patch", { patch: "*** Begin Patch\n*** Update File: a.ts\n*** Add File: b.ts\n" })).toBe("a.ts, b.ts");
  });

  it("gives a command's exit status with its test summary, else the first line and a count", () => {
    expect(toolGist({ content: text("running\n# pass 3\n# fail 1\n[exit code 1, 0.4 s]"), isError: true })).toBe("exit code 1 · # fail 1");
    expect(toolGist({ content: text("a\nb\nc"), isError: false })).toBe("a (+2 lines)");
    expect(toolGist({ content: text("noise\nError: no such file"), isError: true })).toBe("Error: no such file (+1 lines)");
    expect(toolGist({ content: text("x".repeat(100)), isError: false }, 10)).toBe(`${"x".repeat(9)}…`);
  });

  it("keeps the whole output for the key that expands it", () => {
    expect(toolOutputText([...text("one\ntwo"), { type: "image", mediaType: "image/png", data: "" }])).toBe("one\ntwo\n[image image/png]");
  });
});
