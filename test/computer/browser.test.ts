import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { AgentEvent } from "../../src/agent/events.js";
import { findComputerParts } from "../../src/computer/parts.js";
import { pngSize } from "../../src/computer/scaling.js";
import { type Site, startSite } from "../../src/eval/site.js";
import { Host } from "../../src/host/host.js";
import { createScriptedModel } from "../../src/model/scripted.js";
import type { Scenario } from "../../src/model/scenario.js";
import { describeIfAvailable } from "../requires.js";
import { ofType, tempRepo } from "../helpers.js";
import { descendants } from "./processes.js";

const parts = findComputerParts();
const docsImages = path.join(import.meta.dirname, "..", "..", "docs", "images");

describeIfAvailable("the browser tools in a session", parts.browserMissing, () => {
  let site: Site;
  const home = tempRepo({ "config.json": JSON.stringify({ permissions: { allow: ["web: allowed.invalid"] } }) });
  const host = new Host({ store: ":memory:", home, env: { ...process.env, COLLEAGUE_DESKTOP: "off" } });
  beforeAll(async () => {
    site = await startSite(path.join(import.meta.dirname, "fixtures", "signup"));
  });
  afterAll(async () => {
    await site.close();
    host.close();
  });

  const run = async (scenario: Scenario) => {
    const events: AgentEvent[] = [];
    const session = await host.startSession(
      { task: "use the browser", cwd: tempRepo(), model: createScriptedModel(scenario), permissionMode: "full-auto", sandbox: "if-available" },
      { onEvent: (e) => events.push(e) },
    );
    return { session, finished: ofType(events, "tool_finished") };
  };

  it("a scripted model fills and submits a form by refs; the site receives it; the screenshot is the viewport's size", async () => {
    const { session, finished } = await run({
      steps: [
        { toolCalls: [{ name: "browser_navigate", args: { url: `${site.url}/` } }] },
        {
          expect: { lastMessageIncludes: ['textbox "Name" [ref=e5]', 'textbox "Email" [ref=e7]', 'combobox "Plan" [ref=e9]', 'button "Sign up" [ref=e10]'] },
          toolCalls: [
            { name: "browser_type", args: { ref: "e5", text: "Ada Lovelace" } },
            { name: "browser_type", args: { ref: "e7", text: "ada@example.com" } },
            { name: "browser_select_option", args: { ref: "e9", values: ["Pro"] } },
          ],
        },
        { expect: { toolResultsOk: true, lastMessageIncludes: ["Ada Lovelace"] }, toolCalls: [{ name: "browser_take_screenshot", args: {} }] },
        { toolCalls: [{ name: "browser_click", args: { ref: "e10" } }] },
        { expect: { lastMessageIncludes: ["your submission was received"] }, text: "Signed up." },
      ],
    });
    expect(session.status).toBe("completed");
    expect(site.submissions).toHaveLength(1);
    expect(site.submissions[0]).toMatchObject({ method: "POST", path: "/signup", fields: { name: "Ada Lovelace", email: "ada@example.com", plan: "pro" } });
    const shot = finished.find((e) => e.name === "browser_take_screenshot")!;
    const image = shot.content.find((p) => p.type === "image");
    expect(image?.type).toBe("image");
    const png = Buffer.from(image!.type === "image" ? image!.data : "", "base64");
    expect(pngSize(png)).toEqual({ width: 1280, height: 800 });
    mkdirSync(docsImages, { recursive: true });
    writeFileSync(path.join(docsImages, "browser-signup.png"), png);
    expect(descendants(/chrom/i)).toEqual([]);
  });

  it("Chromium runs while the session uses it and is gone when it ends", async () => {
    let during: number[] = [];
    const model = createScriptedModel({
      steps: [{ toolCalls: [{ name: "browser_navigate", args: { url: `${site.url}/` } }] }, { text: "done" }],
    });
    const watching = { ...model, stream: (request: Parameters<typeof model.stream>[0]) => {
      if (request.messages.some((m) => m.role === "tool")) during = descendants(/chrom/i);
      return model.stream(request);
    } };
    const session = await host.startSession({ task: "open it", cwd: tempRepo(), model: watching, permissionMode: "full-auto", sandbox: "if-available" });
    expect(session.status).toBe("completed");
    expect(during.length).toBeGreaterThan(0);
    expect(descendants(/chrom/i)).toEqual([]);
  });

  it("a host no rule allows is refused with a clear tool error; a page's request to it is blocked and reported", async () => {
    const { finished } = await run({
      steps: [
        { toolCalls: [{ name: "browser_navigate", args: { url: "http://blocked.invalid/" } }] },
        { toolCalls: [{ name: "browser_navigate", args: { url: `${site.url}/tracker.html` } }] },
        { toolCalls: [{ name: "browser_navigate", args: { url: "file:///etc/passwd" } }] },
        { toolCalls: [{ name: "browser_navigate", args: { url: "http://allowed.invalid/" } }] },
        { toolCalls: [{ name: "browser_navigate", args: { url: `${site.url}/away` } }] },
        { text: "done" },
      ],
    });
    const text = (i: number) => finished[i]!.content.map((p) => (p.type === "text" ? p.text : "")).join("");
    expect(finished[0]!.isError).toBe(true);
    expect(text(0)).toContain("the host blocked.invalid is blocked");
    expect(text(0)).toContain('"web: blocked.invalid"');
    expect(finished[1]!.isError).toBe(false);
    expect(text(1)).toContain("Blocked a request to tracker.invalid");
    expect(finished[2]!.isError).toBe(true);
    expect(text(2)).toContain("http and https pages only");
    // Allowed by the rule, so it gets past the check and fails only because the name does not resolve.
    expect(finished[3]!.isError).toBe(true);
    expect(text(3)).not.toContain("is blocked");
    expect(text(3)).toContain("Could not open");
    // A redirect from the local app to a blocked host names the host.
    expect(text(4)).toContain("Blocked a request to elsewhere.invalid");
    expect(text(4)).toContain("Could not open");
    expect(finished[4]!.isError).toBe(true);
  });
});
