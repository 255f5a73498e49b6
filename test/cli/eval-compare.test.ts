import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startAnthropicFake } from "../fakes/anthropic.js";
import type { FakeServer } from "../fakes/http.js";
import { cleanEnv, runCli, scenarioFile } from "./cli-helpers.js";
import { withoutPartNotices } from "../helpers.js";

let judge: FakeServer | undefined;
afterAll(async () => {
  await judge?.close();
});

/** Two tasks that ask for a number in answer.txt; the checker wants the right one. */
function numberSuite(): string {
  const dir = path.join(mkdtempSync(path.join(os.tmpdir(), "colleague-compare-")), "numbers");
  for (const [name, n] of [["forty-two", 42], ["seven", 7]] as const) {
    mkdirSync(path.join(dir, name), { recursive: true });
    writeFileSync(path.join(dir, name, "task.json"), JSON.stringify({ instruction: `write ${n} to answer.txt` }));
    writeFileSync(
      path.join(dir, name, "check.mjs"),
      `import { readFileSync } from "node:fs";
export default ({ workspace }) => { let t = ""; try { t = readFileSync(workspace + "/answer.txt", "utf8"); } catch {} return { pass: t.trim() === "${n}", reasons: t ? [] : ["no answer.txt"] }; };
`,
    );
  }
  return dir;
}

/** The text of the judge's question. */
const questionOf = (body: unknown): string => JSON.stringify((body as { messages?: unknown }).messages ?? "");

describe("colleague eval compare, end to end", () => {
  it("judges two models' deliverables blind in both orders, rates them, and the report shows the ratings", async () => {
    // The judge prefers the deliverable whose diff writes the asked-for number into answer.txt,
    // wherever it stands: so the better model wins in both orders only if the CLI hands the
    // judge the real deliverables, and swaps them for the second order.
    judge = await startAnthropicFake((req) => {
      const q = questionOf(req.body);
      const wanted = /write (\d+) to answer\.txt/.exec(q)?.[1] ?? "?";
      const a = /<deliverable id=\\"A\\">([\s\S]*?)<\/deliverable>/.exec(q)?.[1] ?? "";
      const b = /<deliverable id=\\"B\\">([\s\S]*?)<\/deliverable>/.exec(q)?.[1] ?? "";
      const right = (d: string) => d.includes(`+${wanted}`);
      const winner = right(a) && !right(b) ? "A" : right(b) && !right(a) ? "B" : "TIE";
      return { kind: "reply", text: `WINNER: ${winner}\nthe one that wrote ${wanted}` };
    });
    const env = cleanEnv({ ANTHROPIC_API_KEY: "sk-ant-test", ANTHROPIC_BASE_URL: judge.url });
    const db = path.join(mkdtempSync(path.join(os.tmpdir(), "colleague-compare-db-")), "evals.db");
    const suite = numberSuite();
    const scripted = (n: string) => scenarioFile({ steps: [{ toolCalls: [{ name: "write_file", args: { path: "answer.txt", content: `${n}\n` } }] }, { text: `wrote ${n}` }] });
    // The hasty model writes 1 whatever the task; the careful one is each task's own solution
    // (the model "scripted" plays solution.json).
    const hasty = scripted("1");
    for (const [name, n] of [["forty-two", "42"], ["seven", "7"]] as const)
      writeFileSync(path.join(suite, name, "solution.json"), readFileSync(scripted(n), "utf8"));

    const run = await runCli(["eval", "run", suite, "--model", "scripted", "--model", `scripted:${hasty}`, "--db", db, "--json"], { env });
    expect(withoutPartNotices(run.stderr)).toBe("");
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.stdout.trim().split("\n").at(-1)!) as { evalId: string; models: { model: string; passes: number }[] };
    expect(summary.models.map((m) => m.passes)).toEqual([2, 0]);

    const compared = await runCli(["eval", "compare", "--judge", "anthropic:claude-opus-4-6", "--db", db, "--json"], { env });
    expect(withoutPartNotices(compared.stderr)).toBe("");
    expect(compared.code).toBe(0);
    const result = JSON.parse(compared.stdout) as { judgements: number; ratings: { model: string; elo: number; low: number; high: number }[] };
    expect(result.judgements).toBe(2);
    // Two tasks, both orders each: four questions to the judge.
    expect(judge.requests.filter((r) => r.path === "/v1/messages")).toHaveLength(4);
    const [first, second] = result.ratings;
    expect(first!.model).toBe("scripted");
    expect(first!.elo).toBeGreaterThan(second!.elo);
    expect(first!.low).toBeLessThanOrEqual(first!.elo);

    // Judged once: a second compare asks the judge nothing new.
    await runCli(["eval", "compare", "--judge", "anthropic:claude-opus-4-6", "--db", db, "--json"], { env });
    expect(judge.requests.filter((r) => r.path === "/v1/messages")).toHaveLength(4);

    const out = path.join(path.dirname(db), "report");
    const report = await runCli(["eval", "report", "--db", db, "--out", out], { env });
    expect(report.code).toBe(0);
    expect(readFileSync(path.join(out, "report.md"), "utf8")).toMatch(/Elo/);
  }, 120_000);
});
