import { describe, expect, it } from "vitest";
import { toolSpec } from "../../src/tools/define.js";
import { defaultTools, readFileTool } from "../../src/tools/index.js";
import { sandbox } from "./helpers.js";

describe("defaultTools", () => {
  it("lists the core tools in a stable order (newer ones last) with snake_case parameters", () => {
    const tools = defaultTools();
    expect(tools.map((t) => t.name)).toEqual([
      "read_file",
      "list",
      "glob",
      "grep",
      "edit_file",
      "apply_patch",
      "write_file",
      "shell",
      "repo_map",
      "web_fetch",
    ]);
    for (const spec of tools.map(toolSpec)) {
      const props = Object.keys((spec.parameters.properties ?? {}) as Record<string, unknown>);
      for (const p of props) expect(p).toMatch(/^[a-z]+(_[a-z]+)*$/);
    }
  });

  it("marks exactly the searching and fetching tools read-only", () => {
    const readOnly = defaultTools()
      .filter((t) => t.readOnly)
      .map((t) => t.name);
    expect(readOnly).toEqual(["read_file", "list", "glob", "grep", "repo_map", "web_fetch"]);
  });

  it("keeps all tool specs together under about 5 KB", () => {
    const size = JSON.stringify(defaultTools().map(toolSpec)).length;
    console.log(`tool specs: ${size} bytes`);
    expect(size).toBeLessThan(5_500);
  });
});

describe("runTool with the core tools", () => {
  it("answers arguments of the wrong type with the validation message, naming each field", async () => {
    const box = sandbox();
    const result = await box.call(readFileTool, { path: 5, offset: "3" });
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/^Invalid arguments for read_file: path: .*; offset: .*Fix the arguments/);
    const missing = await box.call(readFileTool, {});
    expect(missing.text).toMatch(/^Invalid arguments for read_file: path: /);
  });
});
