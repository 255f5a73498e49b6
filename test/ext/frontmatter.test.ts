import { describe, expect, it } from "vitest";
import { parseInvocation } from "../../src/commands/command.js";
import { splitArguments, substituteArguments } from "../../src/commands/expand.js";
import { FrontmatterError, listField, parseFrontmatter } from "../../src/config/frontmatter.js";
import { defaultTools } from "../../src/tools/index.js";
import { pickTools } from "../../src/tools/tool-lists.js";

describe("frontmatter", () => {
  it("splits YAML from the body, and a file without it is all body", () => {
    expect(parseFrontmatter("---\nname: a\ndescription: >\n  two\n  lines\n---\n\n# Body\n")).toMatchObject({ data: { name: "a", description: "two lines\n" }, body: "# Body" });
    expect(parseFrontmatter("Just a prompt $ARGUMENTS")).toEqual({ data: {}, raw: {}, body: "Just a prompt $ARGUMENTS" });
  });

  it("rejects an unclosed block, bad YAML and a non-map in one line each", () => {
    expect(() => parseFrontmatter("---\nname: a\n")).toThrow(FrontmatterError);
    expect(() => parseFrontmatter("---\nname: a\n  tools: [\n---\nx")).toThrow(/not valid YAML/);
    expect(() => parseFrontmatter("---\n- a\n---\nx")).toThrow(/not a map/);
  });

  it("reads Claude Code files that are not strict YAML line by line", () => {
    const parsed = parseFrontmatter("---\nargument-hint: [file] [focus]\ndescription: Fix: the bug\n---\nbody");
    expect(parsed.data).toEqual({ "argument-hint": "[file] [focus]", description: "Fix: the bug" });
    expect(parseFrontmatter("---\nargument-hint: [message]\n---\nb").raw).toEqual({ "argument-hint": "[message]" });
  });

  it("reads tool lists written either way", () => {
    expect(listField({ t: "Read, Grep, Bash(git add:*, git status:*)" }, "t")).toEqual(["Read", "Grep", "Bash(git add:*, git status:*)"]);
    expect(listField({ t: ["Read", "Glob"] }, "t")).toEqual(["Read", "Glob"]);
    expect(listField({ t: "Read Grep" }, "t")).toEqual(["Read", "Grep"]);
  });

  it("maps Claude Code's tool names onto ours, in our order, and names the unknown", () => {
    const { tools, unknown } = pickTools(defaultTools(), ["Grep", "Bash(git status:*)", "Read", "NotebookEdit"]);
    expect(tools.map((t) => t.name)).toEqual(["read_file", "grep", "shell"]);
    expect(unknown).toEqual(["NotebookEdit"]);
  });
});

describe("command arguments", () => {
  it("$ARGUMENTS is the whole text, $1…$9 the positional ones (quotes group)", () => {
    expect(substituteArguments("Fix issue #$ARGUMENTS now", "123 urgent")).toBe("Fix issue #123 urgent now");
    expect(substituteArguments("Review PR #$1 with priority $2 and $3.", '456 "very high"')).toBe("Review PR #456 with priority very high and .");
    expect(splitArguments(`a "b c" 'd e' f\\"`)).toEqual(["a", "b c", "d e", 'f\\"']);
  });

  it("a body with no placeholder still gets the arguments", () => {
    expect(substituteArguments("Tidy up.", "src/a.ts")).toBe("Tidy up.\n\nARGUMENTS: src/a.ts");
    expect(substituteArguments("Tidy up.", "")).toBe("Tidy up.");
  });

  it("parses /name args, with namespaces, and nothing else", () => {
    expect(parseInvocation("/frontend:component Button big")).toEqual({ name: "frontend:component", args: "Button big" });
    expect(parseInvocation("/review")).toEqual({ name: "review", args: "" });
    expect(parseInvocation("/usr/bin is broken")).toBeUndefined();
    expect(parseInvocation("fix /review")).toBeUndefined();
  });
});
