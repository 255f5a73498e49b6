import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runTask } from "../../src/eval/run-task.js";
import { loadSuite, loadTask, prepareTask, type PreparedTask, TaskError } from "../../src/eval/task.js";
import { Host } from "../../src/host/host.js";
import { tempRepo } from "../helpers.js";

const demo = path.join(import.meta.dirname, "fixtures", "demo");
const host = new Host({ store: ":memory:", home: tempRepo() });
const opened: PreparedTask[] = [];
afterAll(async () => {
  for (const p of opened) await p.close();
  host.close();
});
const prepare = async () => {
  const prepared = await prepareTask(loadTask(path.join(demo, "greeting")));
  opened.push(prepared);
  return prepared;
};

describe("evaluation tasks", () => {
  it("a malformed task.json is one error naming the file and the fields", () => {
    expect(() => loadSuite(demo)).toThrow(TaskError);
    expect(() => loadTask(path.join(demo, "broken"))).toThrow(/broken[/\\]task\.json: instruction: .*; \(root\): .*extra/);
  });

  it("prepares a fresh workspace and serves the site, with placeholders filled", async () => {
    const prepared = await prepare();
    expect(prepared.instruction).toContain(`${prepared.site!.url}/style.txt`);
    expect(prepared.instruction).not.toContain("{{site}}");
    const style = await fetch(`${prepared.site!.url}/style.txt`).then((r) => r.text());
    expect(style).toContain("exclamation");
    expect((await fetch(`${prepared.site!.url}/server.mjs`)).status).toBe(404);
    const post = await fetch(`${prepared.site!.url}/signup`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "name=Ada&plan=pro" });
    expect(post.status).toBe(200);
    expect(prepared.site!.submissions).toMatchObject([{ path: "/signup", fields: { name: "Ada", plan: "pro" } }]);
  });

  it("the scripted solution passes the checker through a guarded session", async () => {
    const prepared = await prepare();
    const run = await runTask(host, prepared);
    expect(run.session.status).toBe("completed");
    expect(run.check).toEqual({ pass: true, reasons: [] });
  });

  it("the checker fails a wrong deliverable and says why", async () => {
    const prepared = await prepare();
    writeFileSync(path.join(prepared.workspace, "greeting.txt"), "Hello, Ada\nHello, Grace!\n");
    expect(await prepared.check()).toEqual({ pass: false, reasons: ['expected the line "Hello, Ada!"'] });
  });
});
