import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";

/** Debian's Chromium, driven by playwright-core (which never downloads a browser). */
export const CHROMIUM = process.env.COLLEAGUE_CHROMIUM ?? "/usr/bin/chromium";

export const chromiumMissing = (): string | undefined => (existsSync(CHROMIUM) ? undefined : `no Chromium at ${CHROMIUM} (apt-get install chromium, or scripts/install-deps.sh)`);

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-dev-shm-usage"],
  });
}

/** Builds the dashboard from web/ into a fresh folder, so the test serves the sources it tests. */
export function buildDashboard(): string {
  const out = mkdtempSync(path.join(os.tmpdir(), "colleague-web-"));
  execFileSync(process.execPath, ["scripts/build-web.mjs", out], { stdio: "inherit" });
  return out;
}

/** Where the browser tests put their screenshots (and the docs take a few from). */
export const SHOTS = path.resolve("test-results/dashboard");

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SHOTS, { recursive: true });
  const file = path.join(SHOTS, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

/** axe-core's rules run in the page; the serious and critical violations, one line each. */
export async function seriousViolations(page: Page): Promise<string[]> {
  const source = readFileSync(path.resolve("node_modules/axe-core/axe.min.js"), "utf8");
  await page.addScriptTag({ content: source });
  const result = await page.evaluate(async () => {
    const page = globalThis as unknown as {
      document: unknown;
      axe: { run: (context: unknown, options: unknown) => Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }> };
    };
    return page.axe.run(page.document, { resultTypes: ["violations"] });
  });
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")})`);
}

/** A browser context signed in to `url` with the token through the form, as a person would. */
export async function signIn(browser: Browser, url: string, token: string, viewport = DESKTOP): Promise<{ context: BrowserContext; page: Page }> {
  // bypassCSP: only so that the test can inject axe-core's source; the page itself runs under the server's CSP.
  const context = await browser.newContext({ viewport, bypassCSP: true, acceptDownloads: true });
  const page = await context.newPage();
  await page.goto(`${url}/`);
  await page.getByLabel("Server token").fill(token);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: "Sessions" }).waitFor();
  return { context, page };
}
