import path from "node:path";
import { describe, expect, it } from "vitest";
import { SqliteEvalStore } from "../../src/eval/eval-store.js";
import { missingNeeds } from "../../src/eval/needs.js";
import { runEval } from "../../src/eval/runner.js";
import { loadAnySuite } from "../../src/eval/suite-formats.js";
import { parseSimpleYaml, readTerminalBenchConfig } from "../../src/eval/terminal-bench.js";
import { Host } from "../../src/host/host.js";
import { tempRepo } from "../helpers.js";

const suite = path.join(import.meta.dirname, "fixtures", "terminal-bench");

describe("the Terminal-Bench task format", () => {
  it("reads task.yaml: block instruction, numbers, comments, lists", () => {
    const config = readTerminalBenchConfig(path.join(suite, "hello-world"));
    expect(config).toEqual({
      instruction: 'Create a file called hello.txt in the current directory.\nIt must contain "Hello, world!" followed by a newline.',
      timeoutSec: 180,
      testTimeoutSec: 30,
      tags: ["file-operations", "beginner"],
      difficulty: "easy",
      category: "file-operations",
    });
    expect(parseSimpleYaml("a: 'it''s'\nb: [x, \"y\"]\nc: >\n  one\n  two\nd: true\n")).toEqual({ a: "it's", b: ["x", "y"], c: "one two\n", d: true });
  });

  it("a folder of Terminal-Bench tasks loads as a suite; solution.sh becomes the scripted solution", () => {
    const loaded = loadAnySuite(suite);
    expect(loaded.tasks.map((t) => t.id)).toEqual(["terminal-bench/hello-world"]);
    const task = loaded.tasks[0]!;
    expect(task).toMatchObject({ format: "terminal-bench", spec: { needs: ["docker"], timeoutSec: 180, tags: ["terminal-bench", "file-operations", "beginner", "easy"] } });
    expect(JSON.parse(task.solution!).steps[0].toolCalls[0]).toEqual({ name: "shell", args: { command: '#!/bin/bash\necho "Hello, world!" > hello.txt\n' } });
  });

  it("eval run on it says what is missing instead of running the solution on this machine", async () => {
    const host = new Host({ store: ":memory:", home: tempRepo() });
    const store = new SqliteEvalStore(":memory:");
    const outcome = await runEval({ host, store, suiteDir: suite, models: ["scripted"] });
    host.close();
    expect(outcome.runs[0]).toMatchObject({ pass: false, status: "unavailable", cause: "environment" });
    expect(outcome.runs[0]!.reasons[0]).toMatch(/docker|container/);
    store.close();
  });
});

// Docker is not one of the system parts .ci/run installs (a daemon does not run in CI's container),
// so this block skips with its reason even where a missing requirement otherwise fails.
const dockerMissing = missingNeeds(["docker"])[0];
if (dockerMissing) process.stderr.write(`[skip] Terminal-Bench tasks in Docker: ${dockerMissing}\n`);
(dockerMissing ? describe.skip : describe)("Terminal-Bench tasks in Docker", () => {
  it("the checker fails the task's untouched container (run-tests.sh through docker compose)", async () => {
    const task = loadAnySuite(suite).tasks[0]!;
    const result = await task.checker!({ workspace: tempRepo() });
    expect(result.pass).toBe(false);
  }, 600_000);
});
