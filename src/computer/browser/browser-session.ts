import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Browser, BrowserContext, Download, Locator, Page } from "playwright-core";
import { ToolError } from "../../tools/define.js";
import { IMAGE_LIMITS, type Size, shotSize } from "../scaling.js";
import { type EgressProxy, startEgressProxy } from "./egress-proxy.js";
import { type HostCheck, isLocalHost, judgeUrl } from "./network.js";
import { renumberRefs } from "./snapshot.js";

/**
 * One session's browser: Debian's Chromium driven by playwright-core, started on first use and
 * closed when the session ends. Headless, unless the session's virtual desktop is up, in which
 * case it opens there so the `computer` tool sees it too. Every request is routed through the
 * host check; downloads land in the workspace's downloads/ folder.
 */
export interface BrowserOptions {
  chromium: string;
  workspace: string;
  allowsHost: HostCheck;
  /** The desktop to open on when it is running (headed, filling the screen); undefined: headless. */
  desktop?: () => { display: string; screen: Size } | undefined;
  viewport?: Size;
}

/** Flags for a browser that lives inside a sandboxed agent session: no phoning home, no first-run UI. */
const CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-dev-shm-usage"];
const ACTION_TIMEOUT_MS = 15_000;
const NAVIGATION_TIMEOUT_MS = 30_000;
export const DEFAULT_VIEWPORT: Size = { width: 1280, height: 800 };

export interface Screenshot {
  png: Buffer;
  size: Size;
  /** Screenshot pixels per CSS pixel. */
  scale: number;
}

/** Fullscreen hides the tab strip and address bar, so the page's pixels are the screen's. */
async function fillScreen(page: Page): Promise<void> {
  try {
    const cdp = await page.context().newCDPSession(page);
    const { windowId } = (await cdp.send("Browser.getWindowForTarget")) as { windowId: number };
    await cdp.send("Browser.setWindowBounds", { windowId, bounds: { windowState: "fullscreen" } });
    await page.waitForFunction("innerWidth === screen.width && innerHeight === screen.height", undefined, { timeout: 5000 }).catch(() => {});
    await cdp.detach();
  } catch {
    // A window that cannot go fullscreen still works; only its coordinates are offset by the browser's chrome.
  }
}

export class BrowserSession {
  private browser?: Browser;
  private proxy?: EgressProxy;
  private context?: BrowserContext;
  private starting?: Promise<BrowserContext>;
  private readonly pages: Page[] = [];
  private current = 0;
  private refs = new Map<string, string>();
  private lastScale = 1;
  private readonly pendingDownloads = new Set<Promise<void>>();
  private readonly news: string[] = [];
  private closed = false;
  private headed = false;
  /** Windows being made fullscreen on the desktop: a page is used only once its window fills the screen. */
  private readonly fullscreen = new Set<Promise<void>>();

  constructor(private readonly options: BrowserOptions) {}

  get viewport(): Size {
    return this.options.viewport ?? DEFAULT_VIEWPORT;
  }

  get started(): boolean {
    return this.context !== undefined;
  }

  /** The current tab, starting the browser (and opening a first tab) when needed. */
  async page(): Promise<Page> {
    const context = await this.start();
    if (this.pages.length === 0) await context.newPage();
    await Promise.all([...this.fullscreen]);
    return this.pages[this.current] ?? this.pages[0]!;
  }

  private start(): Promise<BrowserContext> {
    if (this.closed) return Promise.reject(new ToolError("the browser was closed with its session"));
    this.starting ??= this.launch().catch((error: Error) => {
      this.starting = undefined;
      throw new ToolError(`could not start Chromium (${this.options.chromium}): ${error.message.split("\n")[0]}`);
    });
    return this.starting;
  }

  private async launch(): Promise<BrowserContext> {
    const { chromium } = await import("playwright-core");
    const desktop = this.options.desktop?.();
    // On the desktop the page fills the screen without browser chrome, so a page pixel is a screen pixel.
    const headed = desktop ? ["--window-position=0,0", `--window-size=${desktop.screen.width},${desktop.screen.height}`] : [];
    const allows = (host: string) => isLocalHost(host) || this.options.allowsHost(host.toLowerCase());
    this.proxy = await startEgressProxy(allows, (host) => this.news.push(`Blocked a request to ${host}: no permission rule allows it (add "web: ${host}" to permissions.allow)`));
    const browser = await chromium.launch({
      executablePath: this.options.chromium,
      headless: !desktop,
      args: [...CHROMIUM_ARGS, ...headed, `--proxy-server=${this.proxy.url}`],
      ...(desktop ? { env: { ...process.env, DISPLAY: desktop.display } } : {}),
    });
    this.browser = browser;
    this.headed = desktop !== undefined;
    const context = await browser.newContext({ viewport: desktop ? null : this.viewport, acceptDownloads: true, serviceWorkers: "block" });
    context.setDefaultTimeout(ACTION_TIMEOUT_MS);
    context.setDefaultNavigationTimeout(NAVIGATION_TIMEOUT_MS);
    await context.route("**/*", async (route) => {
      const verdict = judgeUrl(route.request().url(), this.options.allowsHost);
      if (verdict.ok) return route.continue();
      this.news.push(`Blocked a request to ${verdict.host || route.request().url()}: ${verdict.reason}`);
      return route.abort("blockedbyclient");
    });
    context.on("page", (page) => this.track(page));
    this.context = context;
    if (this.closed) await this.close();
    return context;
  }

  private track(page: Page): void {
    if (this.headed) this.fullscreen.add(fillScreen(page));
    this.pages.push(page);
    this.current = this.pages.length - 1;
    page.on("download", (download) => this.save(download));
    page.on("close", () => {
      const index = this.pages.indexOf(page);
      if (index >= 0) this.pages.splice(index, 1);
      if (this.current >= this.pages.length) this.current = Math.max(0, this.pages.length - 1);
    });
  }

  private save(download: Download): void {
    const folder = path.join(this.options.workspace, "downloads");
    const name = path.basename(download.suggestedFilename()) || "download";
    const target = path.join(folder, name);
    const saving = (async () => {
      mkdirSync(folder, { recursive: true });
      await download.saveAs(target);
      this.news.push(`Downloaded ${path.relative(this.options.workspace, target)} (from ${download.url()})`);
    })().catch((error: Error) => {
      this.news.push(`A download of ${name} failed: ${error.message}`);
    });
    this.pendingDownloads.add(saving);
    void saving.finally(() => this.pendingDownloads.delete(saving));
  }

  /** Waits for downloads under way to be saved. */
  async settleDownloads(): Promise<void> {
    while (this.pendingDownloads.size > 0) await Promise.all([...this.pendingDownloads]);
  }

  /** What happened since the last call (downloads, blocked requests), one line each. */
  takeNews(): string[] {
    return this.news.splice(0);
  }

  async navigate(url: string): Promise<Page> {
    const verdict = judgeUrl(url, this.options.allowsHost);
    if (!verdict.ok) throw new ToolError(`Not opened: ${verdict.reason}`);
    const page = await this.page();
    try {
      await page.goto(url, { waitUntil: "domcontentloaded" });
    } catch (error) {
      const message = (error as Error).message.split("\n")[0] ?? "";
      // A redirect to a host the rules do not allow: say which host, and how to allow it. Its
      // abort can surface as ERR_ABORTED too, so this is settled before the download case.
      const blocked = this.takeBlocked();
      if (blocked.length) throw new ToolError(`Could not open ${url}: ${blocked.join("; ")}`);
      // A link to a file is a download, not a page: Chromium aborts the navigation and saves it.
      if (/net::ERR_ABORTED|Download is starting/.test(message)) return page;
      throw new ToolError(`Could not open ${url}: ${message}`);
    }
    // A redirect's target is not always offered to the route above: the egress proxy then
    // refuses it with its own page, and the navigation "succeeds" at a host no rule allows.
    if (!judgeUrl(page.url(), this.options.allowsHost).ok) {
      const blocked = this.takeBlocked();
      throw new ToolError(`Could not open ${url}: ${blocked.length ? blocked.join("; ") : `it led to ${page.url()}, which no permission rule allows`}`);
    }
    return page;
  }

  /** The news of blocked requests, taken out of the news (a refused navigation reports them itself). */
  private takeBlocked(): string[] {
    const blocked = this.news.filter((line) => line.startsWith("Blocked"));
    this.news.splice(0, this.news.length, ...this.news.filter((line) => !line.startsWith("Blocked")));
    return blocked;
  }

  /** The accessibility snapshot of the current tab, with fresh refs. */
  async snapshot(): Promise<string> {
    const page = await this.page();
    const raw = await page.ariaSnapshot({ mode: "ai" });
    const numbered = renumberRefs(raw);
    this.refs = numbered.refs;
    return numbered.text;
  }

  /** The element a ref of the newest snapshot names. */
  async locate(ref: string): Promise<Locator> {
    const theirs = this.refs.get(ref);
    if (!theirs) throw new ToolError(`No element ${ref} in the newest snapshot; call browser_snapshot and use a ref from it.`);
    const page = await this.page();
    return page.locator(`aria-ref=${theirs}`);
  }

  /** A point of the last screenshot, in the page's CSS pixels. */
  toPage(x: number, y: number): { x: number; y: number } {
    return { x: x / this.lastScale, y: y / this.lastScale };
  }

  /** A PNG of the viewport (or the whole page), scaled down to fit the models' image limits. */
  async screenshot(fullPage = false): Promise<Screenshot> {
    const page = await this.page();
    const session = await page.context().newCDPSession(page);
    try {
      const metrics = (await session.send("Page.getLayoutMetrics")) as { cssContentSize: { width: number; height: number } };
      const css: Size = fullPage
        ? { width: Math.ceil(metrics.cssContentSize.width), height: Math.ceil(metrics.cssContentSize.height) }
        : (page.viewportSize() ?? (await page.evaluate<Size>("({ width: innerWidth, height: innerHeight })")));
      const size = shotSize(css, IMAGE_LIMITS);
      const scale = size.width / css.width;
      const clipHeight = size.height / scale;
      const scroll = fullPage ? { x: 0, y: 0 } : await page.evaluate<{ x: number; y: number }>("({ x: scrollX, y: scrollY })");
      const { data } = (await session.send("Page.captureScreenshot", {
        format: "png",
        captureBeyondViewport: fullPage,
        clip: { x: scroll.x, y: scroll.y, width: css.width, height: clipHeight, scale },
      })) as { data: string };
      if (!fullPage) this.lastScale = scale;
      return { png: Buffer.from(data, "base64"), size, scale };
    } finally {
      await session.detach().catch(() => {});
    }
  }

  tabs(): Array<{ index: number; url: string; current: boolean }> {
    return this.pages.map((page, index) => ({ index, url: page.url(), current: index === this.current }));
  }

  async newTab(url?: string): Promise<void> {
    const context = await this.start();
    await context.newPage();
    if (url) await this.navigate(url);
  }

  selectTab(index: number): void {
    if (!this.pages[index]) throw new ToolError(`No tab ${index}; there are ${this.pages.length} (0 to ${this.pages.length - 1}).`);
    this.current = index;
    void this.pages[index]!.bringToFront().catch(() => {});
  }

  async closeTab(index = this.current): Promise<void> {
    const page = this.pages[index];
    if (!page) throw new ToolError(`No tab ${index}.`);
    await page.close();
  }

  /** Ends the browser and its processes; safe to call more than once, and before it started. */
  async close(): Promise<void> {
    this.closed = true;
    const browser = this.browser;
    this.browser = undefined;
    this.context = undefined;
    if (browser) await browser.close().catch(() => {});
    const proxy = this.proxy;
    this.proxy = undefined;
    await proxy?.close();
  }
}
