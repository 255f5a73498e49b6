import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type RunRecord, SqliteEvalStore } from "../../src/eval/eval-store.js";
import { describeIfAvailable } from "../requires.js";
import { TOKEN, type TestServer, testServer } from "../server/server-helpers.js";
import { buildDashboard, chromiumMissing, launchChromium, screenshot, seriousViolations, signIn } from "./browser.js";

vi.setConfig({ testTimeout: 120_000 });

const EVAL_ID = "eval-20261202T050000-ab12";
const MODELS = ["anthropic:claude-opus-4-6", "openai:gpt-5.3-codex"];

/**
 * An evaluation as the runner leaves it in the colleague home's evals.db (where `serve` looks
 * by default): 8 tasks, two models; the first passes 7, the second 4, its failures diagnosed.
 */
function seedEvaluation(home: string): void {
  const store = new SqliteEvalStore(path.join(home, "evals.db"));
  store.createEval({ id: EVAL_ID, suite: "coding", suiteDir: "/suites/coding", models: MODELS, k: 1, createdAt: new Date().toISOString() });
  const causes = ["gave_up_early", "tool_misuse", "gave_up_early", "claimed_success_without_evidence"];
  for (let t = 0; t < 8; t++)
    for (const [m, model] of MODELS.entries()) {
      const pass = m === 0 ? t !== 5 : t < 4;
      const run: RunRecord = {
        evalId: EVAL_ID, taskId: `coding/task-${t}`, model, attempt: 0, pass, reasons: pass ? [] : ["the hidden test failed"], status: "completed",
        steps: 6 + t, inputTokens: 12_000, outputTokens: 900, costUsd: m === 0 ? 0.21 + t * 0.01 : 0.08, durationMs: 20_000 + t * 3_000, finishedAt: new Date().toISOString(),
        ...(pass ? {} : { cause: m === 0 ? "wrong_result" : causes[t - 4]!, evidence: ["#12 tool_finished: error"] }),
      };
      store.recordRun(run);
    }
  for (let t = 0; t < 8; t++) store.recordJudgement({ evalId: EVAL_ID, taskId: `coding/task-${t}`, a: MODELS[0]!, b: MODELS[1]!, winner: t < 6 ? "a" : "tie", reason: "both orders" });
  store.close();
}

describe("GET /evals", () => {
  let t: TestServer;
  let home: string;
  beforeAll(async () => {
    home = mkdtempSync(path.join(os.tmpdir(), "colleague-evals-home-"));
    seedEvaluation(home);
    t = await testServer({ webDir: false, env: { COLLEAGUE_HOME: home } });
  });
  afterAll(async () => {
    await t?.close();
    rmSync(home, { recursive: true, force: true });
  });

  it("lists the evaluations and gives one's summary, plots, ratings and runs; an unknown id is a 404; no token, no data", async () => {
    const auth = { authorization: `Bearer ${TOKEN}` };
    const list = (await (await fetch(`${t.server.url}/evals`, { headers: auth })).json()) as { evals: { id: string; runs: number; passes: number }[] };
    expect(list.evals).toEqual([expect.objectContaining({ id: EVAL_ID, runs: 16, passes: 11 })]);
    const one = (await (await fetch(`${t.server.url}/evals/${EVAL_ID}`, { headers: auth })).json()) as {
      summary: { models: { model: string; passes: number; interval: { low: number; high: number } }[]; causes: { cause: string; count: number }[] };
      plots: { id: string; svg: string }[];
      ratings: { model: string; elo: number }[];
      runs: unknown[];
    };
    expect(one.summary.models.map((m) => [m.model, m.passes])).toEqual([[MODELS[0], 7], [MODELS[1], 4]]);
    expect(one.summary.causes).toContainEqual({ cause: "gave_up_early", count: 2 });
    expect(one.plots.map((p) => p.id)).toEqual(["pass-rate", "cost", "time", "causes"]);
    expect(one.ratings[0]!.model).toBe(MODELS[0]);
    expect(one.ratings[0]!.elo).toBeGreaterThan(one.ratings[1]!.elo);
    expect(one.runs).toHaveLength(16);
    const missing = await fetch(`${t.server.url}/evals/nope`, { headers: auth });
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe("not_found");
    expect((await fetch(`${t.server.url}/evals`)).status).toBe(401);
  });
});

describeIfAvailable("the evaluation report in the dashboard (Chromium)", chromiumMissing(), () => {
  let t: TestServer;
  let browser: Browser;
  let webDir: string;
  let home: string;

  beforeAll(async () => {
    webDir = buildDashboard();
    home = mkdtempSync(path.join(os.tmpdir(), "colleague-evals-home-"));
    seedEvaluation(home);
    t = await testServer({ webDir, env: { COLLEAGUE_HOME: home } });
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    if (webDir) rmSync(webDir, { recursive: true, force: true });
    rmSync(home, { recursive: true, force: true });
  });

  it("shows pass rates with intervals per model, cost against pass rate, failure causes, ratings and runs", async () => {
    const { context, page } = await signIn(browser, t.server.url, TOKEN);
    await page.getByRole("link", { name: "Evals" }).click();
    await page.getByRole("heading", { name: "Evaluations" }).waitFor();
    await page.getByRole("link", { name: EVAL_ID }).click();
    await page.getByRole("heading", { name: `Evaluation ${EVAL_ID}` }).waitFor();

    const models = page.getByRole("region", { name: "models" });
    await expect.poll(() => models.locator("tbody tr").count()).toBe(2);
    expect(await models.locator("tbody tr").first().textContent()).toMatch(/7\/8.*88% \(\d+%–\d+%\)/);
    // The report's plots, drawn: one bar per model, a point per model, a bar per cause.
    const plot = (id: string) => page.locator(`figure[data-plot="${id}"] svg`);
    await plot("pass-rate").waitFor();
    expect(await plot("pass-rate").getAttribute("aria-label")).toContain("Pass rate per model");
    expect(await plot("pass-rate").textContent()).toContain("openai:gpt-5.3-codex");
    expect(await plot("cost").getAttribute("aria-label")).toBe("Cost against pass rate");
    expect(await plot("causes").textContent()).toContain("gave up early");
    const ratings = page.getByRole("region", { name: "ratings" });
    expect(await ratings.locator("tbody tr").first().textContent()).toContain(MODELS[0]);
    await expect.poll(() => page.getByRole("region", { name: "runs" }).locator("tbody tr").count()).toBe(16);
    expect(await page.getByRole("region", { name: "runs" }).textContent()).toContain("gave up early");
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, "eval-report-desktop");
    await page.setViewportSize({ width: 1280, height: 1600 });
    await screenshot(page, "eval-report-full");
    await context.close();
  });
});
