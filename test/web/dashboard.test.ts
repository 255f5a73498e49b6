import { cpSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import type { AgentEvent } from "../../src/agent/events.js";
import { type AnthropicFakeTurn, startAnthropicFake } from "../fakes/anthropic.js";
import type { FakeServer } from "../fakes/http.js";
import { describeIfAvailable } from "../requires.js";
import { follow, TOKEN, type TestServer, testServer } from "../server/server-helpers.js";
import { buildDashboard, chromiumMissing, DESKTOP, launchChromium, PHONE, screenshot, seriousViolations, signIn } from "./browser.js";

// A browser, a server and scripted runs per test; on a shared, busy machine that takes a while.
vi.setConfig({ testTimeout: 120_000 });

const call = (name: string, args: Record<string, unknown>) => ({ name, args });

let t: TestServer;
let browser: Browser;
let fake: FakeServer;
let webDir: string;

/** The Anthropic fake answers the steering test: its first turn is slow, so a steer lands mid-run. */
const anthropicScript = (_req: unknown, index: number): AnthropicFakeTurn =>
  index === 0
    ? { kind: "reply", delayMs: 8000, chunkDelayMs: 20, text: "Looking at the server configuration first.", toolCalls: [{ name: "read_file", args: { path: "server.js" } }] }
    : { kind: "reply", chunkDelayMs: 20, text: "Done: the server now listens on **port 8080**." };

describeIfAvailable("the dashboard in Chromium against colleague serve", chromiumMissing(), () => {
  beforeAll(async () => {
    webDir = buildDashboard();
    fake = await startAnthropicFake(anthropicScript);
    t = await testServer({ webDir, env: { ANTHROPIC_API_KEY: "sk-ant-test", ANTHROPIC_BASE_URL: fake.url, COLLEAGUE_RETRY_BASE_MS: "1" } });
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await fake?.close();
    if (webDir) rmSync(webDir, { recursive: true, force: true });
  });

  it("requires sign-in: no cookie, no data; the token once sets an HttpOnly SameSite=Strict cookie the page cannot read", async () => {
    const context = await browser.newContext({ viewport: DESKTOP });
    const page = await context.newPage();
    await page.goto(`${t.server.url}/`);
    await page.getByLabel("Server token").waitFor();
    // A request without the cookie is refused, from the page and from anywhere else.
    expect(await page.evaluate(async () => (await fetch("/sessions")).status)).toBe(401);
    expect((await fetch(`${t.server.url}/sessions`)).status).toBe(401);
    await page.getByLabel("Server token").fill("not-the-token");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("alert").filter({ hasText: "not this server's token" }).waitFor();
    await page.getByLabel("Server token").fill(TOKEN);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Sessions" }).waitFor();
    const [cookie] = await context.cookies();
    expect(cookie).toMatchObject({ name: "colleague_session", httpOnly: true, sameSite: "Strict" });
    expect(cookie!.value).not.toContain(TOKEN);
    expect(page.url()).not.toContain(TOKEN);
    expect(await page.evaluate(() => (globalThis as unknown as { document: { cookie: string } }).document.cookie)).toBe("");
    expect(await page.evaluate(async () => (await fetch("/sessions")).status)).toBe(200);
    // The cookie alone does not let a page change state: the dashboard's header is required.
    expect(await page.evaluate(async () => (await fetch("/sessions", { method: "POST", body: "{}" })).status)).toBe(403);
    await context.close();
  });

  it("starts a session from the form and watches it stream to the end", async () => {
    const cwd = t.workspace({ "a.txt": "hello\n" });
    const model = t.scripted({
      steps: [
        { delayMs: 300, thinking: "The file is small; read it.", text: "Reading the file.", toolCalls: [call("read_file", { path: "a.txt" })] },
        { delayMs: 300, text: "It says **hello**.\n\n- one line\n- no surprises" },
      ],
    });
    const { context, page } = await signIn(browser, t.server.url, TOKEN);
    await page.getByRole("link", { name: "New session" }).first().click();
    await page.getByLabel("Folder").fill(cwd);
    await page.getByLabel("Model").fill(model);
    await page.getByLabel("Permissions").selectOption("auto-edit");
    await page.getByLabel("Task").fill("What does a.txt say?");
    await page.getByRole("button", { name: "Start session" }).click();
    await page.waitForURL(/#\/s\//);
    const transcript = page.getByRole("log", { name: "transcript" });
    await transcript.getByText("What does a.txt say?").waitFor();
    await transcript.getByText("Reading the file.").waitFor();
    await transcript.getByRole("article", { name: "tool call read_file" }).waitFor();
    await transcript.getByText("no surprises").waitFor();
    await transcript.getByText(/Session completed/).waitFor();
    // Thinking is there, collapsed.
    const thinking = transcript.locator("details.thinking").first();
    expect(await thinking.getAttribute("open")).toBeNull();
    await expect.poll(() => page.locator(".plot svg rect").count()).toBe(2);
    const id = /#\/s\/([\w-]+)/.exec(page.url())![1]!;
    expect((await t.client.getSession(id)).session.status).toBe("completed");
    await page.getByText(`colleague attach ${id}`).waitFor();
    await screenshot(page, "session-stream-desktop");
    // Fork from the first answer: a new session with the history up to there.
    await transcript.getByRole("article", { name: "assistant message" }).first().hover();
    await transcript.getByRole("article", { name: "assistant message" }).first().getByRole("button", { name: "Fork from here" }).click();
    await page.waitForURL((u) => !u.hash.includes(id) && /#\/s\//.test(u.hash));
    const forkId = /#\/s\/([\w-]+)/.exec(page.url())![1]!;
    await page.getByRole("log", { name: "transcript" }).getByText("Reading the file.").waitFor();
    expect(await page.getByRole("log", { name: "transcript" }).getByText("no surprises").count()).toBe(0);
    expect((await t.client.getSession(forkId)).session.id).toBe(forkId);
    await context.close();
  });

  it("steers mid-run: the steer shows in the transcript and reaches the provider's next request", async () => {
    const cwd = t.workspace({ "server.js": "const port = 3000;\nserve({ port });\n" });
    const { context, page } = await signIn(browser, t.server.url, TOKEN);
    // Started after sign-in: the provider's first answer takes 8 s, the steer lands within them.
    const session = await t.client.createSession({ task: "Set up the dev server", cwd, model: "anthropic:claude-opus-4-6", permissionMode: "auto-edit" });
    await page.goto(`${t.server.url}/#/s/${session.id}`);
    const box = page.getByLabel("Message", { exact: true });
    await box.fill("use port 8080");
    await page.getByRole("button", { name: "Steer", exact: true }).click();
    await page.getByRole("status").filter({ hasText: "Steered" }).waitFor();
    const transcript = page.getByRole("log", { name: "transcript" });
    await transcript.getByRole("article", { name: "steer message" }).getByText("use port 8080").waitFor();
    await transcript.getByText(/Session completed/).waitFor({ timeout: 20_000 });
    await transcript.getByText("port 8080", { exact: true }).waitFor();
    // The call the model asked for before the steer is shown, finished (the loop may skip it for the steer).
    await expect.poll(() => transcript.getByRole("article", { name: "tool call read_file" }).locator(".tool-state").textContent()).not.toBe("running");
    expect(fake.requests.length).toBeGreaterThanOrEqual(2);
    expect(fake.requests[0]!.rawBody).not.toContain("use port 8080");
    expect(fake.requests.at(-1)!.rawBody).toContain("use port 8080");
    await screenshot(page, "session-desktop");
    await page.setViewportSize(PHONE);
    await screenshot(page, "session-phone");
    await page.setViewportSize(DESKTOP);
    await page.emulateMedia({ colorScheme: "dark" });
    await screenshot(page, "session-desktop-dark");
    await page.emulateMedia({ colorScheme: "light" });
    expect(await seriousViolations(page), "axe").toEqual([]);
    await context.close();
  });

  it("approves an edit from its card (with the diff) and denies a command with a reason the model reads", async () => {
    const cwd = t.workspace({ "notes.md": "one\n" });
    const model = t.scripted({
      steps: [
        { text: "I will add a line.", toolCalls: [call("write_file", { path: "notes.md", content: "one\ntwo\n" })] },
        { expect: { toolResultsOk: true }, toolCalls: [call("shell", { command: "rm -rf build" })] },
        { expect: { lastMessageIncludes: ["keep the build folder"] }, text: "Left the build folder alone." },
      ],
    });
    const session = await t.client.createSession({ task: "edit notes", cwd, model, permissionMode: "ask" });
    const { context, page } = await signIn(browser, t.server.url, TOKEN);
    await page.goto(`${t.server.url}/#/s/${session.id}`);
    const edit = page.getByRole("region", { name: /write_file/ });
    await edit.locator(".diff .add", { hasText: "two" }).waitFor();
    await screenshot(page, "approval-desktop");
    expect(await seriousViolations(page), "axe").toEqual([]);
    await edit.getByRole("button", { name: "Allow once" }).click();
    const command = page.getByRole("region", { name: /shell/ });
    await command.getByText("rm -rf build").first().waitFor();
    await command.getByRole("button", { name: "Deny…" }).click();
    await command.getByLabel(/Why not/).fill("keep the build folder");
    await command.getByRole("button", { name: "Deny", exact: true }).click();
    const transcript = page.getByRole("log", { name: "transcript" });
    await transcript.getByText("Left the build folder alone.").waitFor();
    expect(readFileSync(path.join(cwd, "notes.md"), "utf8")).toBe("one\ntwo\n");
    const events = await follow(t.client, session.id);
    const decisions = events.filter((e): e is Extract<AgentEvent, { type: "permission_decision" }> => e.type === "permission_decision");
    expect(decisions.map((d) => [d.name, d.decision, d.answer])).toEqual([
      ["write_file", "allow", "once"],
      ["shell", "deny", "deny"],
    ]);
    expect(decisions[1]!.reason).toContain("keep the build folder");
    await context.close();
  });

  it("interrupts a running turn from the steering box", async () => {
    const cwd = t.workspace();
    const model = t.scripted({ steps: [{ toolCalls: [call("shell", { command: "sleep 30" })] }, { text: "never" }] });
    const session = await t.client.createSession({ task: "wait a long time", cwd, model, permissionMode: "full-auto" });
    const { context, page } = await signIn(browser, t.server.url, TOKEN);
    await page.goto(`${t.server.url}/#/s/${session.id}`);
    await page.locator(".tool-state.running").waitFor();
    await page.getByRole("button", { name: "Interrupt" }).click();
    const transcript = page.getByRole("log", { name: "transcript" });
    await transcript.getByText(/Session interrupted/).waitFor();
    await t.server.service.settled(session.id);
    expect((await t.client.getSession(session.id)).session.status).toBe("interrupted");
    await context.close();
  });

  it("switches a running session's model from the steering box; the transcript shows the switch", async () => {
    const cwd = t.workspace();
    const a = t.scripted({ steps: [{ delayMs: 6000, toolCalls: [call("list", {})] }, { text: "A answered" }] });
    const b = t.scripted({ steps: [{ text: "unused" }, { text: "B answered" }] });
    const session = await t.client.createSession({ task: "look around", cwd, model: a });
    const { context, page } = await signIn(browser, t.server.url, TOKEN);
    await page.goto(`${t.server.url}/#/s/${session.id}`);
    await page.getByLabel("Model", { exact: true }).fill(b);
    await page.getByRole("button", { name: "Switch", exact: true }).click();
    await page.getByRole("status").filter({ hasText: "from the next step" }).waitFor();
    const transcript = page.getByRole("log", { name: "transcript" });
    await transcript.getByText(`Model switched from ${a} to ${b}`).waitFor({ timeout: 20_000 });
    await transcript.getByText("B answered").waitFor({ timeout: 20_000 });
    const events = await follow(t.client, session.id);
    expect(events.filter((e) => e.type === "model_changed")).toMatchObject([{ from: a, to: b }]);
    expect(await seriousViolations(page), "axe").toEqual([]);
    await context.close();
  });

  it("shows a team's board updating live, and steers one teammate", async () => {
    const cwd = t.workspace();
    const team = t.scripted({
      agents: {
        lead: {
          steps: [
            { toolCalls: [call("create_task", { title: "Write the release note", owner: "writer" }), call("create_task", { title: "Proofread the note", owner: "lead", dependsOn: ["T1"] })] },
            { toolCalls: [call("spawn_teammate", { name: "writer", role: "technical writer", task: "Do T1." })] },
            { toolCalls: [call("wait", { until: "all_tasks_done" })] },
            { text: "The team is done." },
          ],
        },
        writer: {
          steps: [
            { delayMs: 6000, toolCalls: [call("claim_task", { id: "T1" })] },
            { delayMs: 1500, expect: { lastMessageIncludes: ["mention the new flag"] }, toolCalls: [call("send_message", { to: "lead", text: "T1 is written, with the flag." })] },
            { toolCalls: [call("complete_task", { id: "T1", result: "written, flag mentioned" })] },
            { text: "T1 done." },
          ],
        },
      },
    });
    const { context, page } = await signIn(browser, t.server.url, TOKEN);
    // The writer's first step takes 6 s: the board shows T1 open, and the steer reaches the writer before its second step.
    const session = await t.client.createTeam({ task: "Ship the release note", cwd, lead: team, teammates: [team], size: 1, permissionMode: "auto-edit" });
    await page.goto(`${t.server.url}/#/s/${session.id}`);
    const board = page.getByRole("region", { name: "task board" });
    const card = board.locator('[data-task="T1"]');
    await card.waitFor();
    // Seen before it is done, then done without a reload.
    expect(await card.getAttribute("data-status")).not.toBe("completed");
    await page.getByRole("region", { name: "teammates" }).locator('[data-member="writer"]').waitFor();
    await page.getByLabel("To", { exact: true }).selectOption("writer");
    await page.getByLabel("Message", { exact: true }).fill("mention the new flag");
    await page.getByRole("button", { name: "Send", exact: true }).click();
    await page.getByRole("status").filter({ hasText: "Sent to writer" }).waitFor();
    await board.locator('[data-task="T1"][data-status="completed"]').waitFor({ timeout: 20_000 });
    await page.getByRole("region", { name: "mailbox" }).getByText("T1 is written, with the flag.").waitFor();
    await board.getByText("after T1").waitFor();
    await screenshot(page, "team-desktop");
    expect(await seriousViolations(page), "axe").toEqual([]);
    await page.setViewportSize(PHONE);
    await screenshot(page, "team-phone");
    await context.close();
  });

  it("opens a review: findings by severity with code and fix; SARIF downloads", async () => {
    const repo = path.join(t.root, "review-repo");
    cpSync(path.resolve("examples/review-repo"), repo, { recursive: true });
    const reviewers = `scripted:${path.resolve("examples/review/scenario.json")}`;
    const session = await t.client.createReview({ cwd: repo, size: 4, teammates: [reviewers] });
    await follow(t.client, session.id);
    const { context, page } = await signIn(browser, t.server.url, TOKEN);
    await page.goto(`${t.server.url}/#/s/${session.id}`);
    await page.locator(".finding").first().waitFor();
    // The merged findings: the same list that goes into the SARIF file.
    const merged = await t.client.reviewFindings(session.id);
    expect(merged.length).toBeGreaterThanOrEqual(3);
    await expect.poll(() => page.locator(".finding").count()).toBe(merged.length);
    const findings = merged.length;
    await page.locator(".finding .excerpt").first().waitFor();
    await page.locator(".finding .fix").first().waitFor();
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download SARIF" }).click()]);
    const sarif = JSON.parse(readFileSync((await download.path())!, "utf8")) as { version: string; runs: { results: unknown[] }[] };
    expect(download.suggestedFilename()).toBe(`review-${session.id}.sarif`);
    expect(sarif.version).toBe("2.1.0");
    expect(sarif.runs[0]!.results.length).toBe(findings);
    await screenshot(page, "review-desktop");
    expect(await seriousViolations(page), "axe").toEqual([]);
    await page.setViewportSize(PHONE);
    await screenshot(page, "review-phone");
    await context.close();
  });

  it("lists sessions with search and paging, and passes axe on the list and the form", async () => {
    const cwd = t.workspace();
    for (const task of ["tidy the changelog", "bump the parser version"]) {
      const s = await t.client.createSession({ task, cwd, model: t.scripted({ steps: [{ text: "done" }] }) });
      await t.server.service.settled(s.id);
    }
    const { context, page } = await signIn(browser, t.server.url, TOKEN);
    await page.getByRole("link", { name: "tidy the changelog" }).waitFor();
    await page.getByLabel("Search sessions").fill("parser version");
    await page.getByRole("link", { name: "bump the parser version" }).waitFor();
    await expect.poll(() => page.getByRole("link", { name: "tidy the changelog" }).count()).toBe(0);
    await page.getByLabel("Search sessions").fill("");
    await expect.poll(() => page.locator("table.sessions tbody tr").count()).toBeGreaterThanOrEqual(2);
    await screenshot(page, "sessions-desktop");
    expect(await seriousViolations(page), "axe").toEqual([]);
    await page.setViewportSize(PHONE);
    await screenshot(page, "sessions-phone");
    await page.setViewportSize(DESKTOP);
    await page.getByRole("link", { name: "New session" }).first().click();
    await page.getByLabel("Task").waitFor();
    expect(await seriousViolations(page), "axe").toEqual([]);
    await screenshot(page, "new-session-desktop");
    // Keyboard: the first Tab reaches the skip button, which moves focus to the content.
    await page.reload();
    await page.getByLabel("Task").waitFor();
    await page.keyboard.press("Tab");
    await page.keyboard.press("Enter");
    expect(await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { id: string } | null } }).document.activeElement?.id)).toBe("content");
    await context.close();
  });
});
