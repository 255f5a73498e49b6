import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";
import { gitAvailable } from "../../src/checkpoints/git.js";
import { cleanEnv, jsonEvents, runCli, scenarioFile } from "../cli/cli-helpers.js";
import { tempRepo } from "../helpers.js";
import { describeIfAvailable } from "../requires.js";

const git = (cwd: string, ...args: string[]) =>
  execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@t", ...args], { cwd, encoding: "utf8" });
const gitState = (ws: string) => execFileSync("sh", ["-c", "cd .git && find . -type f | sort | xargs sha1sum"], { cwd: ws, encoding: "utf8" });

/** Step 1 edits b.txt, step 2 deletes a.txt with a shell command, step 3 answers. */
const scenario = {
  steps: [
    { toolCalls: [{ name: "edit_file", args: { path: "b.txt", old_string: "b1", new_string: "b2" } }] },
    { toolCalls: [{ name: "shell", args: { command: "rm a.txt && echo made > new.txt" } }] },
    { text: "done" },
  ],
};

describeIfAvailable("colleague rewind", gitAvailable() ? undefined : "git is not installed", () => {
  it("restores a file deleted by a shell command and one changed by edit_file, forks the conversation, and leaves .git alone", async () => {
    const ws = tempRepo({ "a.txt": "a1\n", "b.txt": "b1\n" });
    git(ws, "init", "-q");
    git(ws, "add", "-A");
    git(ws, "commit", "-q", "-m", "first");
    const env = cleanEnv();
    const model = `scripted:${scenarioFile(scenario)}`;
    const run = await runCli(["run", "change things", "--model", model, "--cwd", ws, "--sandbox", "off", "--json"], { env });
    expect(run.code, run.stderr).toBe(0);
    expect(existsSync(path.join(ws, "a.txt"))).toBe(false);
    const events = jsonEvents(run.stdout);
    const checkpoints = events.filter((e) => e.type === "checkpoint");
    expect(checkpoints.map((c) => [c.type === "checkpoint" && c.step, c.type === "checkpoint" && c.tool])).toEqual([
      [1, "edit_file"],
      [2, "shell"],
    ]);
    const sessionId = events[0]!.sessionId;
    const gitBefore = gitState(ws);

    const listed = await runCli(["rewind", sessionId, "--list"], { env });
    expect(listed.stdout).toMatch(/ 1 .*edit_file b\.txt/);
    expect(listed.stdout).toMatch(/ 2 .*shell rm a\.txt/);

    // Before step 2: only the shell command's changes go back.
    const code = await runCli(["rewind", sessionId, "--to", "2", "--code", "--json"], { env });
    expect(code.code, code.stderr).toBe(0);
    expect(JSON.parse(code.stdout)).toMatchObject({ step: 2, restored: ["a.txt"], removed: ["new.txt"] });
    expect(readFileSync(path.join(ws, "a.txt"), "utf8")).toBe("a1\n");
    expect(readFileSync(path.join(ws, "b.txt"), "utf8")).toBe("b2\n");
    expect(existsSync(path.join(ws, "new.txt"))).toBe(false);

    // Before step 1, files and conversation.
    const both = await runCli(["rewind", sessionId, "--to", "1"], { env });
    expect(both.code, both.stderr).toBe(0);
    expect(readFileSync(path.join(ws, "b.txt"), "utf8")).toBe("b1\n");
    const fork = /colleague resume (\S+)/.exec(both.stdout)?.[1];
    expect(fork).toBeDefined();
    const shown = await runCli(["show", fork!, "--json"], { env });
    const forked = jsonEvents(shown.stdout);
    expect(forked.some((e) => e.type === "step_started")).toBe(false);
    expect(forked.find((e) => e.type === "user_message")).toMatchObject({ text: "change things" });

    expect(gitState(ws)).toBe(gitBefore);
    expect(git(ws, "status", "--porcelain")).toBe("");
    expect(git(ws, "log", "--oneline").trim().split("\n")).toHaveLength(1);
  });

  it("says in one line why a rewind cannot be done", async () => {
    const ws = tempRepo({ "a.txt": "a\n" });
    const env = cleanEnv();
    const model = `scripted:${scenarioFile({ steps: [{ text: "nothing to change" }] })}`;
    const run = await runCli(["run", "look", "--model", model, "--cwd", ws, "--json"], { env });
    const sessionId = jsonEvents(run.stdout)[0]!.sessionId;
    const out = await runCli(["rewind", sessionId], { env });
    expect(out.code).toBe(2);
    expect(out.stderr.trim().split("\n")).toHaveLength(1);
    expect(out.stderr).toMatch(/has no checkpoint/);
    const bad = await runCli(["rewind", sessionId, "--to", "7", "--conversation"], { env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/step 7 is not a step/);
  });
});
