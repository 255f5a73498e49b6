import { type Dirent, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { mergeFindings } from "../../src/team/workflows/findings.js";
import { planReview } from "../../src/team/workflows/review.js";
import { type SourceFile, sliceFiles } from "../../src/team/workflows/slices.js";
import type { AgentEvent } from "../../src/agent/events.js";
import { cleanEnv, jsonEvents, runCli, startCli } from "../cli/cli-helpers.js";
import { withoutPartNotices } from "../helpers.js";

const require = createRequire(import.meta.url);
// CommonJS packages whose module.exports is the class / plugin itself.
interface Validator {
  (data: unknown): boolean;
  errors?: unknown;
}
const Ajv = require("ajv-draft-04") as new (options: Record<string, unknown>) => { compile(schema: unknown): Validator };
const addFormats = require("ajv-formats") as (ajv: unknown) => void;
/** The official SARIF 2.1.0 schema (final, rtm.5), as shipped by Microsoft's SARIF test matchers. */
const schemaPath = require.resolve("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json");

function sarifValidator() {
  // The schema has a pattern ("]?") that is invalid in unicode mode; it was written for plain JS regexps.
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  return ajv.compile(JSON.parse(readFileSync(schemaPath, "utf8")));
}

const planted = JSON.parse(readFileSync("examples/review/planted.json", "utf8")).findings as { file: string; line: number; category: string }[];

describe("colleague review on the sample repo with scripted reviewers", () => {
  it("writes a schema-valid review.sarif holding each planted finding exactly once, and review.md", async () => {
    const out = mkdtempSync(path.join(os.tmpdir(), "colleague-review-"));
    const run = await runCli(
      ["review", "examples/review-repo", "--size", "4", "--teammate", "scripted:examples/review/scenario.json", "--out", out],
      { env: cleanEnv() },
    );
    expect(withoutPartNotices(run.stderr)).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("✓ team completed");
    const sarif = JSON.parse(readFileSync(path.join(out, "review.sarif"), "utf8"));
    const validate = sarifValidator();
    expect(validate(sarif), JSON.stringify(validate.errors, null, 2)).toBe(true);
    const results = sarif.runs[0].results as {
      ruleId: string;
      locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; endLine: number } } }[];
    }[];
    expect(results).toHaveLength(planted.length);
    for (const p of planted) {
      const hits = results.filter((r) => {
        const loc = r.locations[0]!.physicalLocation;
        return loc.artifactLocation.uri === p.file && loc.region.startLine <= p.line && p.line <= loc.region.endLine && r.ruleId === p.category;
      });
      expect(hits, `${p.file}:${p.line}`).toHaveLength(1);
    }
    const md = readFileSync(path.join(out, "review.md"), "utf8");
    expect(md).toContain("5 finding(s): 1 critical, 2 high, 2 medium.");
    expect(md).toContain("reported by reviewer-1, reviewer-2"); // the SQL injection, reported twice, merged
  });

  it("rejects a SARIF log that breaks the schema (the validator is real)", () => {
    const validate = sarifValidator();
    expect(validate({ version: "2.1.0", runs: [{ tool: { driver: {} } }] })).toBe(false);
  });
});

describe("a review killed with SIGKILL", () => {
  it("resumes, finishes, and still reports each planted finding once", async () => {
    const out = mkdtempSync(path.join(os.tmpdir(), "colleague-review-kill-"));
    const scenario = JSON.parse(readFileSync("examples/review/scenario.json", "utf8"));
    scenario.agents["reviewer-1"].steps[2].delayMs = 3000; // reviewer-1 is slow to report
    const file = path.join(out, "scenario.json");
    writeFileSync(file, JSON.stringify(scenario));
    const env = cleanEnv();
    const child = startCli(["review", "examples/review-repo", "--teammate", `scripted:${file}`, "--out", out, "--json"], { env });
    const seen: AgentEvent[] = [];
    await new Promise<void>((resolve, reject) => {
      let buffer = "";
      child.stdout!.on("data", (d: Buffer) => {
        buffer += d;
        for (let nl = buffer.indexOf("\n"); nl >= 0; nl = buffer.indexOf("\n")) {
          seen.push(JSON.parse(buffer.slice(0, nl)) as AgentEvent);
          buffer = buffer.slice(nl + 1);
          const done = seen.filter((e) => e.type === "task_updated" && e.status === "completed").length;
          if (done === 3) resolve(); // the other three are done; reviewer-1 is in its slow step
        }
      });
      child.on("exit", () => reject(new Error("the review ended before the kill")));
    });
    child.kill("SIGKILL");
    await new Promise((r) => child.on("close", r));
    const resumed = await runCli(["resume", seen[0]!.sessionId, "--json"], { env });
    expect(withoutPartNotices(resumed.stderr)).toBe("");
    expect(resumed.code, resumed.stdout.split("\n").filter((l) => /error|finished|idle/.test(l)).join("\n")).toBe(0);
    const after = jsonEvents(resumed.stdout);
    // Only reviewer-1's review was unfinished: nobody else reports or completes anything again.
    expect(after.filter((e) => e.type === "finding_reported").every((e) => e.agentId === "reviewer-1")).toBe(true);
    expect(after.filter((e) => e.type === "task_updated" && e.status === "completed").map((e) => (e as { taskId: string }).taskId)).toEqual(["T1"]);
    const sarif = JSON.parse(readFileSync(path.join(out, "review.sarif"), "utf8"));
    expect(sarifValidator()(sarif)).toBe(true);
    expect(sarif.runs[0].results).toHaveLength(planted.length);
  });
});

describe("review planning", () => {
  it("slices by directory and size, keeping directories whole where they fit", () => {
    const files: SourceFile[] = [
      { path: "a/1.js", bytes: 100 },
      { path: "a/2.js", bytes: 100 },
      { path: "b/1.js", bytes: 150 },
      { path: "c/1.js", bytes: 50 },
      { path: "c/2.js", bytes: 40 },
    ];
    const slices = sliceFiles(files, 2);
    expect(slices.map((s) => s.files.map((f) => f.path))).toEqual([["a/1.js", "a/2.js"], ["b/1.js", "c/1.js", "c/2.js"]]);
    expect(sliceFiles(files, 10).length).toBe(5); // more reviewers than directories: directories split
  });

  it("gives each reviewer a focus and splits the code between reviewers of one focus", () => {
    const plan = planReview("examples/review-repo", 8, ["correctness", "security", "performance", "tests"]);
    expect(plan.map((r) => r.focus)).toEqual([["correctness"], ["security"], ["performance"], ["tests"], ["correctness"], ["security"], ["performance"], ["tests"]]);
    // Every file of the repository, listed independently of the planner (it skips nothing here).
    const everyFile = (readdirSync("examples/review-repo", { recursive: true, withFileTypes: true }) as Dirent[])
      .filter((e) => e.isFile())
      .map((e) => path.relative("examples/review-repo", path.join(e.parentPath, e.name)).split(path.sep).join("/"))
      .sort();
    expect(everyFile).toContain("src/db/users.js");
    for (const focus of ["correctness", "security", "performance", "tests"]) {
      const covered = plan.flatMap((r) => r.tasks.filter((t) => t.focus === focus).flatMap((t) => t.slice.files.map((f) => f.path)));
      // Each file reviewed exactly once per focus: none dropped, none twice.
      expect(covered.sort(), focus).toEqual(everyFile);
    }
    const two = planReview("examples/review-repo", 2, ["correctness", "security", "performance", "tests"]);
    expect(two.map((r) => r.focus)).toEqual([["correctness", "performance"], ["security", "tests"]]);
    for (const reviewer of two) {
      for (const task of reviewer.tasks) expect(task.slice.files.map((f) => f.path).sort(), `${reviewer.name} ${task.focus}`).toEqual(everyFile);
    }
  });

  it("merges duplicates across reviewers but keeps distinct problems on the same lines apart", () => {
    const base = { file: "x.js", startLine: 3, endLine: 4, severity: "low" as const, explanation: "e", suggestedFix: "f" };
    const merged = mergeFindings([
      { finding: { ...base, category: "security", title: "SQL injection in query" }, by: "r1" },
      { finding: { ...base, file: "./x.js", startLine: 4, endLine: 4, severity: "high", category: "security", title: "injectable" }, by: "r2" },
      { finding: { ...base, category: "performance", title: "slow loop" }, by: "r3" },
    ]);
    expect(merged.map((m) => [m.category, m.severity, m.reportedBy])).toEqual([
      ["security", "high", ["r1", "r2"]],
      ["performance", "low", ["r3"]],
    ]);
  });
});
