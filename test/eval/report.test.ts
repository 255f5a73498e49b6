import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { evalArenaCommand } from "../../src/cli/eval-arena.js";
import { SqliteEvalStore, type RunRecord } from "../../src/eval/eval-store.js";
import { htmlReport, markdownReport } from "../../src/eval/report.js";
import { describeIfAvailable } from "../requires.js";
import { chromiumMissing, launchChromium } from "../web/browser.js";

const evaluation = { id: "eval-demo", suite: "coding", suiteDir: "/suites/coding", models: ["anthropic:claude-opus-4-6", "openai:gpt-5.3-codex", "scripted"], k: 2, createdAt: "" };

/** Runs with known numbers, so the report's figures can be checked. */
function demoRuns(): RunRecord[] {
  const runs: RunRecord[] = [];
  const tasks = ["py-median-even", "js-chunk", "ts-merge-intervals", "sh-count-words", "c-stack", "py-roman"];
  const causes = ["tool_misuse", "claimed_success_without_evidence", "timeout", "gave_up_early"];
  let n = 0;
  evaluation.models.forEach((model, mi) => {
    tasks.forEach((task, ti) => {
      for (let attempt = 0; attempt < 2; attempt++) {
        const pass = (ti + attempt + mi) % (mi + 2) !== 0;
        runs.push({
          evalId: evaluation.id, taskId: `coding/${task}`, model, attempt, pass, reasons: pass ? [] : ["hidden tests failed (exit 1)"], status: "completed",
          steps: 4 + ti, inputTokens: 1000 * (mi + 1), outputTokens: 200, costUsd: 0.01 * (3 - mi), durationMs: 2000 + 1500 * ti + 900 * mi, finishedAt: "",
          ...(pass ? {} : { cause: causes[n++ % causes.length]!, evidence: ["#12 tool_finished shell: command not found: pytset"] }),
        });
      }
    });
  });
  return runs;
}

describe("eval report", () => {
  it("the markdown has the pass rates with intervals, pass@k, causes and failed runs with evidence", () => {
    const md = markdownReport({ evaluation, runs: demoRuns(), ratings: [{ model: "scripted", elo: 1560, low: 1500, high: 1620 }] });
    expect(md).toMatch(/\| scripted \| \d+\/12 \| \d+% \(\d+%–\d+%\) \| \d+% \| \d+% \|/);
    expect(md).toContain("pass@2");
    expect(md).toContain("tool misuse:");
    expect(md).toContain("`#12 tool_finished shell: command not found: pytset`");
    expect(md).toContain("| scripted | 1560 | 1500–1620 |");
  });

  it("the HTML is self-contained: four SVG plots, no script, no external resource", () => {
    const html = htmlReport({ evaluation, runs: demoRuns() });
    expect(html.match(/<svg /g)).toHaveLength(4);
    expect(html).not.toMatch(/<script|src="http|href="http/);
    for (const id of ["pass-rate", "cost", "time", "causes"]) expect(html).toContain(`<figure id="${id}">`);
  });
});

describeIfAvailable("eval report in Chromium", chromiumMissing(), () => {
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => browser?.close());

  it("opens, shows its plots, and is saved as docs/images/eval-report.png", async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 1400 } });
    await page.setContent(htmlReport({ evaluation, runs: demoRuns(), ratings: [{ model: "anthropic:claude-opus-4-6", elo: 1580, low: 1510, high: 1650 }] }));
    const boxes = await page.$$eval("figure svg", (svgs) => svgs.map((s) => s.getBoundingClientRect()).map((r) => ({ w: r.width, h: r.height })));
    expect(boxes).toHaveLength(4);
    for (const b of boxes) expect(b.w * b.h).toBeGreaterThan(10_000);
    // The pass-rate plot draws one bar per model.
    expect(await page.locator("#pass-rate rect").count()).toBe(3);
    await page.screenshot({ path: path.resolve("docs/images/eval-report.png"), fullPage: true });
    expect(existsSync("docs/images/eval-report.png")).toBe(true);
    await page.close();
  });
});

describe("colleague eval run | report | export (the command)", () => {
  it("runs a suite with the scripted model, then writes the report and the predictions", async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), "eval-cli-"));
    const db = path.join(home, "evals.db");
    const suite = path.join(import.meta.dirname, "fixtures", "arena");
    const env = { ...process.env, COLLEAGUE_HOME: home };
    const written: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string) => {
      written.push(String(chunk));
      return true;
    }) as typeof process.stdout.write;
    try {
      expect(await evalArenaCommand(["run", suite, "--model", "scripted", "--id", "cli-eval", "--db", db, "--task", "ok", "--task", "wrong"], env)).toBe(0);
      expect(await evalArenaCommand(["report", "--id", "cli-eval", "--db", db, "--out", path.join(home, "report")], env)).toBe(0);
      expect(await evalArenaCommand(["export", "--id", "cli-eval", "--db", db, "--out", path.join(home, "preds.jsonl")], env)).toBe(0);
      await expect(evalArenaCommand(["report", "--id", "nope", "--db", db], env)).rejects.toThrow(/no evaluation "nope"/);
    } finally {
      process.stdout.write = write;
    }
    const text = written.join("");
    expect(text).toMatch(/PASS {2}arena\/ok/);
    expect(text).toMatch(/FAIL {2}arena\/wrong .*claimed_success_without_evidence/);
    expect(text).toContain("scripted: 1/2 passed");
    expect(readFileSync(path.join(home, "report", "report.html"), "utf8")).toContain("<svg");
    const preds = readFileSync(path.join(home, "preds.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
    expect(preds).toHaveLength(2);
    expect(preds[0]).toMatchObject({ instance_id: "ok", model_name_or_path: "scripted" });
    expect(preds[0].model_patch).toContain("+ok");
    const store = new SqliteEvalStore(db);
    expect(store.runs("cli-eval")).toHaveLength(2);
    store.close();
  }, 300_000);
});
