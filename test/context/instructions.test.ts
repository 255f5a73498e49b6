import { mkdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { buildSystemPrompt } from "../../src/agent/system-prompt.js";
import { INSTRUCTIONS_CAP, findProjectRoot, loadInstructions } from "../../src/context/instructions.js";
import { tempRepo } from "../helpers.js";

describe("AGENTS.md instructions", () => {
  it("collects one file per folder from the repo root down to cwd, root first, AGENTS.md before CLAUDE.md", () => {
    const repo = tempRepo({
      "AGENTS.md": "root rules",
      "CLAUDE.md": "ignored: AGENTS.md wins in the same folder",
      "pkg/CLAUDE.md": "package rules",
      "pkg/app/AGENTS.md": "app rules",
      "other/AGENTS.md": "not on the path",
    });
    mkdirSync(path.join(repo, ".git"));
    const user = tempRepo({ "AGENTS.md": "user rules" });
    const files = loadInstructions(path.join(repo, "pkg/app"), user);
    expect(files.map((f) => f.text)).toEqual(["user rules", "root rules", "package rules", "app rules"]);
    expect(findProjectRoot(path.join(repo, "pkg/app"))).toBe(repo);
    const prompt = buildSystemPrompt({ workspace: repo, projectRoot: repo, instructions: files, date: "2026-11-25" });
    expect(prompt.indexOf("root rules")).toBeLessThan(prompt.indexOf("app rules"));
    expect(prompt).toContain('<instructions path="pkg/CLAUDE.md">');
  });

  it("caps the total and says so", () => {
    const repo = tempRepo({ "AGENTS.md": "a".repeat(INSTRUCTIONS_CAP + 5000), "sub/AGENTS.md": "never reached" });
    mkdirSync(path.join(repo, ".git"));
    const files = loadInstructions(path.join(repo, "sub"));
    expect(files).toHaveLength(1);
    expect(files[0]!.text).toContain("capped at 32768 bytes");
    expect(Buffer.byteLength(files[0]!.text)).toBeLessThan(INSTRUCTIONS_CAP + 200);
  });

  it("stops at the folder itself when there is no repository", () => {
    const dir = tempRepo({ "AGENTS.md": "here" });
    expect(loadInstructions(dir).map((f) => f.text)).toEqual(["here"]);
  });
});
