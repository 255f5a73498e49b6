import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { tempRepo } from "./helpers.js";

describe("the library entry", () => {
  it("`import { createAgent, run } from \"colleague\"` works from the built package", () => {
    const repo = tempRepo({ "hello.txt": "hi there" });
    const scenario = path.join(repo, "scenario.json");
    writeFileSync(
      scenario,
      JSON.stringify({
        steps: [
          { toolCalls: [{ name: "read_file", args: { path: "hello.txt" } }] },
          { expect: { lastMessageIncludes: ["hi there"] }, text: "it says hi" },
        ],
      }),
    );
    // Self-reference by package name resolves through package.json "exports", as for a user.
    const script = `
      import { createAgent, run } from "colleague";
      const result = await run("read hello.txt", { model: "scripted:${scenario}", cwd: "${repo}", store: ":memory:" });
      const agent = await createAgent({ model: "scripted:${scenario}", cwd: "${repo}", store: ":memory:" });
      const types = [];
      agent.subscribe((e) => types.push(e.type));
      const again = await agent.run("read it again");
      console.log(JSON.stringify({ status: result.status, answer: result.answer, again: again.status, sawTool: types.includes("tool_finished") }));
    `;
    const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], { cwd: process.cwd(), encoding: "utf8" });
    expect(JSON.parse(out)).toEqual({ status: "completed", answer: "it says hi", again: "completed", sawTool: true });
  });
});
