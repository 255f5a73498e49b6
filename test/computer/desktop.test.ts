import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openComputerUse } from "../../src/computer/index.js";
import { findComputerParts } from "../../src/computer/parts.js";
import { pngSize, shotSize, toScreen, toShot } from "../../src/computer/scaling.js";
import { type Site, startSite } from "../../src/eval/site.js";
import { type AnyTool, runTool, type ToolContext } from "../../src/tools/define.js";
import { describeIfAvailable } from "../requires.js";
import { tempRepo } from "../helpers.js";
import { descendants } from "./processes.js";

const parts = findComputerParts();
const docsImages = path.join(import.meta.dirname, "..", "..", "docs", "images");

describe("screenshot scaling", () => {
  it("keeps a screen that fits the image limits as it is, and shrinks a larger one within them", () => {
    expect(shotSize({ width: 1280, height: 800 })).toEqual({ width: 1280, height: 800 });
    const big = shotSize({ width: 1920, height: 1080 });
    expect(big.width * big.height).toBeLessThanOrEqual(1_150_000);
    expect(big.width / big.height).toBeCloseTo(1920 / 1080, 2);
    expect(shotSize({ width: 3000, height: 400 }).width).toBe(1568);
  });

  it("maps screenshot points onto the screen and back, clamped to the screen", () => {
    const screen = { width: 1920, height: 1080 };
    const shot = shotSize(screen);
    expect(toScreen([0, 0], shot, screen)).toEqual([0, 0]);
    expect(toScreen([shot.width, shot.height], shot, screen)).toEqual([1919, 1079]);
    for (const p of [[100, 100], [777, 333], [shot.width - 1, shot.height - 1]] as const) {
      const back = toShot(toScreen(p, shot, screen), shot, screen);
      expect(Math.abs(back[0] - p[0])).toBeLessThanOrEqual(1);
      expect(Math.abs(back[1] - p[1])).toBeLessThanOrEqual(1);
    }
  });
});

const desktopMissing = parts.desktopMissing ?? parts.browserMissing;

describeIfAvailable("the desktop under Xvfb", desktopMissing, () => {
  let site: Site;
  beforeAll(async () => {
    site = await startSite(path.join(import.meta.dirname, "fixtures", "clicks"));
  });
  afterAll(async () => {
    await site.close();
  });

  const context = (workspace: string): ToolContext =>
    ({ workspace: { root: workspace }, signal: new AbortController().signal, sessionId: "desktop-test", callId: "call" }) as unknown as ToolContext;

  for (const screen of [
    { width: 1280, height: 800 },
    { width: 1920, height: 1080 },
  ]) {
    it(`at ${screen.width}×${screen.height}: screenshots have the offered size and a click lands on the screen pixel the screenshot showed`, async () => {
      const workspace = tempRepo();
      const computer = openComputerUse({ workspace, allowsHost: () => false, screen, env: { ...process.env, COLLEAGUE_BROWSER: "on" } });
      const tool = (name: string) => computer.tools.find((t) => t.name === name) as AnyTool;
      const shot = shotSize(screen);
      try {
        expect(tool("computer").native).toEqual({ kind: "computer", display: shot });
        const first = await runTool(tool("computer"), { action: "screenshot" }, context(workspace));
        expect(first.isError).toBe(false);
        const image = first.content.find((p) => p.type === "image");
        expect(pngSize(Buffer.from(image?.type === "image" ? image.data : "", "base64"))).toEqual(shot);

        // Chromium opens on the running desktop, filling the screen without browser chrome.
        const opened = await runTool(tool("browser_navigate"), { url: `${site.url}/` }, context(workspace));
        expect(opened.isError).toBe(false);
        expect(opened.content[0]!.type === "text" && opened.content[0]!.text).toContain("Not clicked");

        const target: [number, number] = [Math.round(shot.width * 0.3), Math.round(shot.height * 0.7)];
        const clicked = await runTool(tool("computer"), { action: "left_click", coordinate: target }, context(workspace));
        expect(clicked.isError).toBe(false);
        await expect.poll(() => site.submissions.length, { timeout: 10_000 }).toBeGreaterThan(0);
        const click = JSON.parse(site.submissions.at(-1)!.body) as { x: number; y: number; button: number };
        expect([click.x, click.y]).toEqual(toScreen(target, shot, screen));
        expect(click.button).toBe(0);
        const snapshot = await runTool(tool("browser_snapshot"), {}, context(workspace));
        expect(snapshot.content[0]!.type === "text" && snapshot.content[0]!.text).toContain(`Clicked (button 0) at ${click.x}, ${click.y}`);

        const after = await runTool(tool("computer"), { action: "screenshot" }, context(workspace));
        const png = Buffer.from((after.content.find((p) => p.type === "image") as { data: string }).data, "base64");
        expect(pngSize(png)).toEqual(shot);
        if (screen.width === 1280) {
          mkdirSync(docsImages, { recursive: true });
          writeFileSync(path.join(docsImages, "desktop-click.png"), png);
        }

        const where = await runTool(tool("computer"), { action: "cursor_position" }, context(workspace));
        expect(where.content[0]!.type === "text" && where.content[0]!.text).toContain(`[${target[0]}, ${target[1]}]`);
        site.submissions.length = 0;
        const right = await runTool(tool("computer"), { action: "right_click", coordinate: [10, 10] }, context(workspace));
        expect(right.isError).toBe(false);
        await expect.poll(() => site.submissions.length, { timeout: 10_000 }).toBeGreaterThan(0);
        expect(JSON.parse(site.submissions.at(-1)!.body)).toMatchObject({ button: 2 });

        const outside = await runTool(tool("computer"), { action: "left_click", coordinate: [shot.width + 5, 5] }, context(workspace));
        expect(outside.isError).toBe(true);
        expect(outside.content[0]!.type === "text" && outside.content[0]!.text).toContain("outside the screenshot");
      } finally {
        await computer.close();
      }
      await expect.poll(() => descendants(/Xvfb|openbox|chrom/i), { timeout: 10_000 }).toEqual([]);
    }, 120_000);
  }
});
