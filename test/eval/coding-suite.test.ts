import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { SqliteEvalStore } from "../../src/eval/eval-store.js";
import { runEval } from "../../src/eval/runner.js";
import { checkTask, loadSuite } from "../../src/eval/task.js";
import { Host } from "../../src/host/host.js";
import { tempRepo } from "../helpers.js";

const suiteDir = path.join(import.meta.dirname, "..", "..", "suites", "coding");
const tasks = loadSuite(suiteDir);
// The checker tests below cover every task; the full pipeline takes seconds per run, so one per language.
const ONE_PER_LANGUAGE = ["py-median-even", "js-chunk", "ts-merge-intervals", "sh-count-words", "c-stack"];
const scratch = mkdtempSync(path.join(os.tmpdir(), "coding-suite-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Call {
  name: string;
  args: { path: string; content?: string; old_string?: string; new_string?: string };
}

/** The solution's file changes applied straight to a workspace (the agent's tools do the same). */
function applySolution(taskDir: string, workspace: string): void {
  const scenario = JSON.parse(readFileSync(path.join(taskDir, "solution.json"), "utf8")) as { steps: { toolCalls?: Call[] }[] };
  for (const call of scenario.steps.flatMap((s) => s.toolCalls ?? [])) {
    const file = path.join(workspace, call.args.path);
    if (call.name === "write_file") {
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, call.args.content ?? "");
    } else if (call.name === "edit_file") {
      const text = readFileSync(file, "utf8");
      if (!text.includes(call.args.old_string!)) throw new Error(`${call.args.path}: old_string not found`);
      writeFileSync(file, text.replace(call.args.old_string!, call.args.new_string!));
    }
  }
}

const copyWorkspace = (taskDir: string, name: string) => {
  const dir = path.join(scratch, name);
  cpSync(path.join(taskDir, "workspace"), dir, { recursive: true });
  return dir;
};

describe("the coding suite", () => {
  it("has at least 20 tasks in four languages, with bug fixes, features and refactors", () => {
    expect(tasks.length).toBeGreaterThanOrEqual(20);
    const tags = tasks.flatMap((t) => t.spec.tags);
    for (const lang of ["python", "javascript", "typescript", "shell", "c"]) expect(tags).toContain(lang);
    for (const kind of ["bugfix", "feature", "refactor"]) expect(tags).toContain(kind);
  });

  it("keeps hidden tests out of the workspace the agent gets", () => {
    for (const task of tasks) {
      const seen = JSON.stringify(readdirDeep(path.join(task.dir, "workspace")));
      expect(seen, task.id).not.toMatch(/hidden|test_hidden|test_main/);
    }
  });

  for (const task of tasks) {
    it(`${task.id}: the checker fails the starting workspace and passes the solution`, async () => {
      const untouched = copyWorkspace(task.dir, `${path.basename(task.dir)}-start`);
      const before = await checkTask(task, { workspace: untouched });
      expect(before.pass, before.reasons.join("\n")).toBe(false);
      expect(before.reasons[0]).toMatch(/hidden tests failed/);
      const solved = copyWorkspace(task.dir, `${path.basename(task.dir)}-solved`);
      applySolution(task.dir, solved);
      const after = await checkTask(task, { workspace: solved });
      expect(after, after.reasons.join("\n")).toEqual({ pass: true, reasons: [] });
    }, 300_000);
  }

  it("scripted solutions pass through the whole pipeline (host, guarded session, checker), one task per language", async () => {
    const host = new Host({ store: ":memory:", home: tempRepo() });
    const store = new SqliteEvalStore(":memory:");
    const outcome = await runEval({ host, store, suiteDir, models: ["scripted"], concurrency: 2, only: ONE_PER_LANGUAGE });
    host.close();
    const failed = outcome.runs.filter((r) => !r.pass).map((r) => `${r.taskId}: ${r.status} ${r.reasons.join(" | ")}`);
    expect(failed).toEqual([]);
    expect(outcome.runs).toHaveLength(ONE_PER_LANGUAGE.length);
    store.close();
  }, 600_000);
});

function readdirDeep(dir: string): string[] {
  return readdirSync(dir, { recursive: true }).map(String);
}
