import type { Page } from "playwright-core";
import { z } from "zod";
import { type AnyTool, defineTool, ToolError, type ToolOutput } from "../../tools/define.js";
import type { BrowserSession } from "./browser-session.js";

/**
 * The browser tools, named as Playwright's MCP server names them (models have seen those
 * names): navigate, snapshot, click / type / select / press by ref, screenshot, tabs, wait.
 * Every action answers with the page after it (address, title, news such as downloads, and a
 * fresh snapshot), so the model never acts on a stale page.
 */

const ref = z.string().describe("an element's ref from the newest snapshot, e.g. e12");
const point = {
  x: z.number().optional().describe("instead of ref: x in pixels of the newest screenshot"),
  y: z.number().optional().describe("instead of ref: y in pixels of the newest screenshot"),
};
const WAIT_LIMIT_S = 30;

/** Playwright's errors carry a coloured call log; the model needs the first line. */
function plainError(error: unknown): never {
  if (error instanceof ToolError) throw error;
  const text = String((error as Error)?.message ?? error).replace(/\u001b\[[0-9;]*m/g, "");
  throw new ToolError(text.split("\n")[0]!.replace(/^(\w+\.\w+): Error: /, "$1: "));
}

/** How long an action waits for a download it may have started. */
const DOWNLOAD_GRACE_MS = 300;

export function createBrowserTools(browser: BrowserSession): AnyTool[] {
  return tools(browser).map((tool) => ({ ...tool, execute: (args, ctx) => tool.execute(args, ctx).catch(plainError) }) as AnyTool);
}

function tools(browser: BrowserSession): AnyTool[] {
  const after = async (page: Page, done: string): Promise<ToolOutput> => {
    await page.waitForLoadState("domcontentloaded").catch(() => {});
    // A click on a file link starts its download a moment after the click returns.
    await page.waitForEvent("download", { timeout: DOWNLOAD_GRACE_MS }).catch(() => {});
    await browser.settleDownloads();
    return { content: await pageReport(browser, done), details: { url: page.url() } };
  };

  const target = async (args: { ref?: string | undefined; x?: number | undefined; y?: number | undefined }) => {
    if (args.ref) return { locator: await browser.locate(args.ref) };
    if (args.x !== undefined && args.y !== undefined) return { point: browser.toPage(args.x, args.y) };
    throw new ToolError("Give a ref from the newest snapshot (or x and y from the newest screenshot).");
  };

  return [
    defineTool({
      name: "browser_navigate",
      description: "Open a URL in the current browser tab (http/https; the workspace's app on 127.0.0.1 is always reachable, other hosts only when permission rules allow them). Answers with the page's accessibility snapshot.",
      readOnly: false,
      parameters: z.object({ url: z.string().describe("the address to open, or \"back\" / \"forward\" for the tab's history") }),
      async execute({ url }) {
        if (url === "back" || url === "forward") {
          const page = await browser.page();
          await (url === "back" ? page.goBack() : page.goForward());
          return after(page, `Went ${url}.`);
        }
        const page = await browser.navigate(url);
        return after(page, `Opened ${url}.`);
      },
    }),
    defineTool({
      name: "browser_snapshot",
      description: "The current page as an accessibility snapshot: roles, names, values and states, with refs (e1, e2, … in document order) to use in the other browser tools.",
      readOnly: true,
      parameters: z.object({}),
      async execute() {
        await browser.page();
        return { content: await pageReport(browser, "") };
      },
    }),
    defineTool({
      name: "browser_click",
      description: "Click an element by its ref (or, as a fallback, at x,y of the newest screenshot).",
      readOnly: false,
      parameters: z.object({
        ref: ref.optional(),
        ...point,
        button: z.enum(["left", "right", "middle"]).optional(),
        double: z.boolean().optional().describe("double-click"),
      }),
      async execute(args) {
        const page = await browser.page();
        const where = await target(args);
        const options = { button: args.button ?? "left", clickCount: args.double ? 2 : 1 } as const;
        if (where.locator) await where.locator.click(options);
        else await page.mouse.click(where.point!.x, where.point!.y, options);
        return after(page, `Clicked ${args.ref ?? `(${args.x}, ${args.y})`}.`);
      },
    }),
    defineTool({
      name: "browser_type",
      description: "Type text into a field by its ref, replacing what it holds (or, as a fallback, click at x,y and type there).",
      readOnly: false,
      parameters: z.object({
        ref: ref.optional(),
        ...point,
        text: z.string(),
        submit: z.boolean().optional().describe("press Enter afterwards"),
      }),
      async execute(args) {
        const page = await browser.page();
        const where = await target(args);
        if (where.locator) {
          await where.locator.fill(args.text);
          if (args.submit) await where.locator.press("Enter");
        } else {
          await page.mouse.click(where.point!.x, where.point!.y);
          await page.keyboard.type(args.text);
          if (args.submit) await page.keyboard.press("Enter");
        }
        return after(page, `Typed into ${args.ref ?? `(${args.x}, ${args.y})`}.`);
      },
    }),
    defineTool({
      name: "browser_select_option",
      description: "Choose option(s) of a select element by its ref, by the options' values or labels.",
      readOnly: false,
      parameters: z.object({ ref, values: z.array(z.string()).min(1) }),
      async execute(args) {
        const page = await browser.page();
        const locator = await browser.locate(args.ref);
        const chosen = await locator.selectOption(args.values);
        return after(page, `Selected ${chosen.join(", ")} in ${args.ref}.`);
      },
    }),
    defineTool({
      name: "browser_press_key",
      description: "Press a key or chord (Enter, Tab, ArrowDown, Control+A, …), in the element of a ref or wherever the focus is.",
      readOnly: false,
      parameters: z.object({ key: z.string(), ref: ref.optional() }),
      async execute(args) {
        const page = await browser.page();
        if (args.ref) await (await browser.locate(args.ref)).press(args.key);
        else await page.keyboard.press(args.key);
        return after(page, `Pressed ${args.key}.`);
      },
    }),
    defineTool({
      name: "browser_take_screenshot",
      description: "A PNG of the current tab's viewport (or the whole page), scaled to fit the model's image limits. Coordinates in it can be given to browser_click and browser_type.",
      readOnly: true,
      parameters: z.object({ full_page: z.boolean().optional() }),
      async execute({ full_page: fullPage }) {
        const page = await browser.page();
        const shot = await browser.screenshot(fullPage === true);
        return {
          content: [
            { type: "text", text: `Screenshot of ${page.url()} (${shot.size.width}×${shot.size.height}${shot.scale !== 1 ? `, scaled by ${shot.scale.toFixed(3)}` : ""}).` },
            { type: "image", mediaType: "image/png", data: shot.png.toString("base64") },
          ],
          details: { width: shot.size.width, height: shot.size.height, scale: shot.scale },
        };
      },
    }),
    defineTool({
      name: "browser_tabs",
      description: "List, open, select or close browser tabs.",
      readOnly: false,
      parameters: z.object({
        action: z.enum(["list", "new", "select", "close"]),
        index: z.number().int().nonnegative().optional().describe("the tab for select / close (default: the current one for close)"),
        url: z.string().optional().describe("for new: the address to open"),
      }),
      async execute(args) {
        if (args.action === "new") await browser.newTab(args.url);
        else if (args.action === "select") browser.selectTab(args.index ?? -1);
        else if (args.action === "close") await browser.closeTab(args.index);
        else await browser.page();
        const tabs = browser.tabs();
        const lines = tabs.map((t) => `${t.current ? "*" : " "} ${t.index}: ${t.url}`);
        const list = `Tabs (* is current):\n${lines.join("\n") || "(none)"}`;
        // A tab just opened or chosen is the page the model acts on next: show it.
        if (args.action === "list" || tabs.length === 0) return { content: list };
        return after(await browser.page(), list);
      },
    }),
    defineTool({
      name: "browser_wait_for",
      description: `Wait until text appears or goes, a CSS selector is visible, the page has loaded, downloads under way are saved, or some seconds pass (at most ${WAIT_LIMIT_S}).`,
      readOnly: true,
      parameters: z.object({
        text: z.string().optional(),
        text_gone: z.string().optional(),
        selector: z.string().optional(),
        load: z.boolean().optional().describe("wait for the page's load event and a quiet network"),
        downloads: z.boolean().optional(),
        seconds: z.number().positive().max(WAIT_LIMIT_S).optional(),
      }),
      async execute(args) {
        const page = await browser.page();
        const timeout = (args.seconds ?? WAIT_LIMIT_S) * 1000;
        const waits: Array<Promise<unknown>> = [];
        if (args.text) waits.push(page.getByText(args.text).first().waitFor({ state: "visible", timeout }));
        if (args.text_gone) waits.push(page.getByText(args.text_gone).first().waitFor({ state: "hidden", timeout }));
        if (args.selector) waits.push(page.locator(args.selector).first().waitFor({ state: "visible", timeout }));
        if (args.load) waits.push(page.waitForLoadState("networkidle", { timeout }));
        if (args.downloads) waits.push(browser.settleDownloads());
        if (waits.length === 0) waits.push(page.waitForTimeout(timeout));
        try {
          await Promise.all(waits);
        } catch (error) {
          throw new ToolError(`Stopped waiting: ${(error as Error).message.split("\n")[0]}`);
        }
        return after(page, "Waited.");
      },
    }),
  ];
}

/** Address, title, tabs, news and the snapshot: what the model needs to take the next step. */
async function pageReport(browser: BrowserSession, done: string): Promise<string> {
  const page = await browser.page();
  const snapshot = await browser.snapshot();
  const tabs = browser.tabs();
  const news = browser.takeNews();
  return [
    ...(done ? [done] : []),
    `Page: ${page.url()}`,
    `Title: ${await page.title().catch(() => "")}`,
    ...(tabs.length > 1 ? [`Tabs: ${tabs.length} (current: ${tabs.findIndex((t) => t.current)}); see browser_tabs`] : []),
    ...news,
    "",
    snapshot,
  ].join("\n");
}
