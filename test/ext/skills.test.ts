import { describe, expect, it } from "vitest";
import { createScriptedModel } from "../../src/model/scripted.js";
import { loadSkills } from "../../src/skills/skills.js";
import { ofType } from "../helpers.js";
import { collect, hostFor, places } from "./ext-helpers.js";

const skill = (name: string, description: string, body: string) => `---\nname: ${name}\ndescription: ${description}\nlicense: MIT\n---\n${body}\n`;

const files = {
  project: {
    ".colleague/skills/release-notes/SKILL.md": skill("release-notes", "Write release notes from the git log", "Group changes by area."),
    ".colleague/skills/release-notes/template.md": "## Added\n",
    // Broken YAML: one notice, the skill is left out, the session goes on.
    ".claude/skills/broken/SKILL.md": "---\nname: broken\n  description: [x\n---\nbody\n",
  },
  user: {
    ".claude/skills/commit-msg/SKILL.md": skill("commit-msg", "Write a commit message in the team's style", "Use the imperative. SECRET-BODY-MARKER"),
    ".claude/skills/commit-msg/scripts/lint.sh": "echo lint-script-content\n",
  },
};

describe("skills", () => {
  it("are found in the user's home and the project, sorted, and a broken one is skipped with one notice", () => {
    const p = places(files);
    const notices: string[] = [];
    const skills = loadSkills({ cwd: p.ws, home: p.home, userHome: p.user }, {}, (line) => notices.push(line));
    expect(skills.map((s) => [s.name, s.scope])).toEqual([
      ["commit-msg", "user"],
      ["release-notes", "project"],
    ]);
    expect(skills[1]).toMatchObject({ license: "MIT" });
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(/skipped the skill in .*broken: the frontmatter is not valid YAML/);
  });

  it("a project skill replaces the user's skill of the same name", () => {
    const p = places({ ...files, project: { ".claude/skills/commit-msg/SKILL.md": skill("commit-msg", "The project's way", "x") } });
    const skills = loadSkills({ cwd: p.ws, home: p.home, userHome: p.user });
    expect(skills.find((s) => s.name === "commit-msg")).toMatchObject({ description: "The project's way", scope: "project" });
  });

  it("list name and description in the system prompt; the body and files are read on demand, inside the skill only", async () => {
    const p = places(files);
    const { host, notices } = hostFor(p);
    const model = createScriptedModel({
      steps: [
        {
          expect: { systemIncludes: ["- commit-msg: Write a commit message in the team's style", "- release-notes: Write release notes from the git log"] },
          toolCalls: [{ name: "skill", args: { name: "commit-msg" } }],
        },
        {
          expect: { lastMessageIncludes: ["Use the imperative. SECRET-BODY-MARKER", "scripts/lint.sh"], toolResultsOk: true },
          toolCalls: [{ name: "skill", args: { name: "commit-msg", file: "scripts/lint.sh" } }],
        },
        { expect: { lastMessageIncludes: ["lint-script-content"] }, toolCalls: [{ name: "skill", args: { name: "commit-msg", file: "../../../.ssh/id_rsa" } }] },
        { expect: { lastMessageIncludes: ["outside the workspace"], toolResultsOk: false }, text: "done" },
      ],
    });
    const { events, onEvent } = collect();
    const result = await host.startSession({ task: "write a commit message", cwd: p.ws, model, sandbox: "off" }, { onEvent });
    expect(result.status, result.error).toBe("completed");
    const started = ofType(events, "session_started")[0]!;
    expect(started.tools).toContain("skill");
    // Only names and descriptions go into the (cached) prefix.
    expect(started.system).not.toContain("SECRET-BODY-MARKER");
    expect(notices.filter((n) => n.includes("broken"))).toHaveLength(1);
    host.close();
  });

  it("a session with no skills gets neither the section nor the tool", async () => {
    const p = places();
    const { host } = hostFor(p);
    const { events, onEvent } = collect();
    await host.startSession({ task: "hi", cwd: p.ws, model: createScriptedModel({ steps: [{ text: "hi" }] }), sandbox: "off" }, { onEvent });
    const started = ofType(events, "session_started")[0]!;
    expect(started.tools).not.toContain("skill");
    expect(started.system).not.toContain("# Skills");
    host.close();
  });
});
