import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { findComputerParts } from "../../src/computer/parts.js";
import { runTask } from "../../src/eval/run-task.js";
import type { Site } from "../../src/eval/site.js";
import { checkTask, loadSuite, type PreparedTask, prepareTask } from "../../src/eval/task.js";
import { Host } from "../../src/host/host.js";
import { describeIfAvailable } from "../requires.js";
import { tempRepo } from "../helpers.js";

/**
 * The computer-use suite: every task is solved by its scripted solution through the host (so
 * the real browser and desktop tools run), and every checker fails a wrong deliverable.
 */
const suiteDir = path.join(import.meta.dirname, "..", "..", "suites", "computer");
const tasks = loadSuite(suiteDir);
const parts = findComputerParts();
const missingFor = (needs: string[]): string | undefined => {
  if (needs.includes("chromium") && parts.browserMissing) return parts.browserMissing;
  if (needs.some((n) => ["xvfb", "xdotool", "imagemagick"].includes(n)) && parts.desktopMissing) return parts.desktopMissing;
  return undefined;
};

describe("the computer suite's shape", () => {
  it("has at least ten tasks, web and desktop, each with a solution", () => {
    expect(tasks.length).toBeGreaterThanOrEqual(10);
    expect(tasks.filter((t) => t.spec.tags.includes("web")).length).toBeGreaterThanOrEqual(6);
    expect(tasks.filter((t) => t.spec.tags.includes("desktop")).length).toBeGreaterThanOrEqual(2);
  });
});

/** A site that recorded nothing useful, or the wrong thing: what a failed run leaves behind. */
function fakeSite(state: Record<string, unknown> = {}, submissions: Site["submissions"] = []): Site {
  return { url: "http://127.0.0.1:9", state, submissions, close: async () => {} };
}
const post = (p: string, body: unknown) => ({ method: "POST", path: p, contentType: "application/json", body: JSON.stringify(body), fields: {}, at: "" });

/** For each task, a wrong deliverable its checker must refuse. */
const WRONG: Record<string, { files?: Record<string, string>; site?: Site }> = {
  "web-signup-wizard": { site: fakeSite({ accounts: [{ name: "Grace Hopper", email: "grace@navy.example", plan: "basic", terms: "yes" }] }) },
  "web-table-csv": { files: { "staff.csv": "name,department,start_date\nAda Lovelace,Research,2021-03-01\nAlan Turing,Security,2020-11-15\n" } },
  "web-download-report": { files: { "downloads/q3-report.csv": "month,region,revenue\n", "total.txt": "25885\n" } },
  "web-login-settings": { site: fakeSite({ settings: { display_name: "Ada L.", timezone: "UTC" } }) },
  "web-search-paginate": { files: { "blue.txt": "Blue kettle\nBlue scarf\nBlue notebook\nBlue pen\n" } },
  "web-validation-fix": { site: fakeSite({ accepted: { name: "Alan Turing", phone: "(555) 010-1912", born: "1912-06-23" } }) },
  "web-tabs-compare": { files: { "cheaper.txt": "Bolt Traders\n" }, site: fakeSite({ visited: ["/vendor-b.html"] }) },
  "web-wait-code": { files: { "code.txt": "Generating your code…\n" }, site: fakeSite({ code: "K7-Q2-93" }) },
  "desktop-canvas-pick": { site: fakeSite({}, [post("/pick", { color: "green", x: 1, y: 1 }), post("/pick", { color: "red", x: 250, y: 350 })]) },
  "desktop-slider-drag": { site: fakeSite({}, [post("/volume", { value: 60 })]) },
  "desktop-keypad": { site: fakeSite({}, [post("/unlock", { code: "481516234" })]) },
};

describe("every checker fails a wrong deliverable", () => {
  for (const task of tasks) {
    it(`${task.id} refuses a wrong deliverable and says why`, async () => {
      const wrong = WRONG[path.basename(task.dir)];
      expect(wrong, `a wrong deliverable for ${task.id}`).toBeDefined();
      const workspace = tempRepo(wrong!.files ?? {});
      const result = await checkTask(task, { workspace, ...(wrong!.site ? { site: wrong!.site } : {}) });
      expect(result.pass).toBe(false);
      expect(result.reasons.length).toBeGreaterThan(0);
      expect(result.reasons.join(" ")).not.toContain("the checker failed");
      // And an empty workspace with a fresh site fails too.
      expect((await checkTask(task, { workspace: tempRepo(), site: fakeSite() })).pass).toBe(false);
    });
  }
});

const home = tempRepo();
const host = new Host({ store: ":memory:", home });
const opened: PreparedTask[] = [];
afterAll(async () => {
  for (const p of opened) await p.close();
  host.close();
});

for (const task of tasks) {
  describeIfAvailable(`${task.id} (scripted)`, missingFor(task.spec.needs), () => {
    it("the scripted solution passes the checker through a guarded session", async () => {
      const prepared = await prepareTask(task);
      opened.push(prepared);
      const run = await runTask(host, prepared);
      const errors = run.session.error ?? "";
      expect(run.session.status, errors).toBe("completed");
      expect(run.check).toEqual({ pass: true, reasons: [] });
    }, 180_000);
  });
}
