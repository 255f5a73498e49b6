import path from "node:path";
import { describe, expect, it } from "vitest";
import { CommandRegistry } from "../../src/commands/registry.js";
import { createScriptedModel } from "../../src/model/scripted.js";
import { ofType } from "../helpers.js";
import { collect, hostFor, places, scenarioFile } from "./ext-helpers.js";

const review = (model: string) =>
  `---\ndescription: Review a file\nargument-hint: [file] [focus]\nmodel: ${model}\nallowed-tools: Read, Grep\n---\nReview $1 with a focus on $2. Notes: @notes.md\nAll: $ARGUMENTS\n`;

describe("custom slash commands", () => {
  it("come from the project's and the user's folders; subfolders namespace; bad frontmatter is one notice", () => {
    const p = places({
      project: {
        ".colleague/commands/review.md": review("inherit"),
        ".claude/commands/frontend/component.md": "Make a $1 component",
        ".claude/commands/broken.md": "---\ndescription: never closed\nx\n",
      },
      user: { ".claude/commands/standup.md": "---\ndescription: Write my standup\n---\nSummarise yesterday." },
    });
    const { host, notices } = hostFor(p);
    const registry = host.commands(host.workplace(p.ws));
    expect(registry.list().map((c) => [c.name, c.source, c.description])).toEqual([
      ["frontend:component", "project", "Make a $1 component"],
      ["review", "project", "Review a file"],
      ["standup", "user", "Write my standup"],
    ]);
    expect(registry.find("review")?.argumentHint).toBe("[file] [focus]");
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(/skipped the command \/broken .*never closes/);
    host.close();
  });

  it("`/review a.ts security` runs the expanded prompt with the command's model and only its tools", async () => {
    const p = places({ project: { "notes.md": "NOTES-CONTENT", "a.ts": "export const a = 1;\n" } });
    const commandModel = scenarioFile(p.home, "review.json", {
      steps: [
        {
          expect: { lastMessageIncludes: ["Review a.ts with a focus on security.", "All: a.ts security", "NOTES-CONTENT"] },
          toolCalls: [{ name: "read_file", args: { path: "a.ts" } }],
        },
        { expect: { toolResultsOk: true }, text: "reviewed" },
      ],
    });
    const { writeFileSync, mkdirSync } = await import("node:fs");
    mkdirSync(path.join(p.ws, ".colleague/commands"), { recursive: true });
    writeFileSync(path.join(p.ws, ".colleague/commands/review.md"), review(commandModel));
    const { host } = hostFor(p);
    const { events, onEvent } = collect();
    // The session's own model would fail at once: the command's model must be the one that answers.
    const fallback = createScriptedModel({ steps: [{ error: { status: 400, message: "wrong model" } }] });
    const result = await host.startSession({ task: "/review a.ts security", cwd: p.ws, model: fallback, sandbox: "off" }, { onEvent });
    expect(result.status, result.error).toBe("completed");
    expect(result.answer).toBe("reviewed");
    const started = ofType(events, "session_started")[0]!;
    expect(started.model).toBe(commandModel);
    expect(started.tools).toEqual(["read_file", "grep"]);
    host.close();
  });

  it("text that names no command is the task as written", async () => {
    const p = places();
    const { host } = hostFor(p);
    const { events, onEvent } = collect();
    const model = createScriptedModel({ steps: [{ expect: { lastMessageIncludes: ["/nope do it"] }, text: "ok" }] });
    const result = await host.startSession({ task: "/nope do it", cwd: p.ws, model, sandbox: "off" }, { onEvent });
    expect(result.status, result.error).toBe("completed");
    expect(ofType(events, "user_message")[0]!.text).toBe("/nope do it");
    host.close();
  });

  it("the registry takes other prompt sources (MCP prompts) without letting them shadow files", async () => {
    const registry = new CommandRegistry([{ name: "fix", description: "from a file", source: "project", expand: async (a) => ({ prompt: `file ${a}` }) }]);
    registry.add([
      { name: "fix", description: "from mcp", source: "mcp:gh", expand: async () => ({ prompt: "mcp" }) },
      { name: "gh:issue", description: "from mcp", source: "mcp:gh", expand: async (a) => ({ prompt: `issue ${a}` }) },
    ]);
    expect((await registry.expand("/fix 1"))?.prompt).toBe("file 1");
    expect((await registry.expand("/gh:issue 42"))?.prompt).toBe("issue 42");
    expect(await registry.expand("/other")).toBeUndefined();
  });
});
