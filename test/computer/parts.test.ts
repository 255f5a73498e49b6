import { describe, expect, it } from "vitest";
import { computerUseChecks } from "../../src/computer/doctor-checks.js";
import { openComputerUse } from "../../src/computer/index.js";
import { findComputerParts } from "../../src/computer/parts.js";
import { tempRepo } from "../helpers.js";

const bare = { PATH: tempRepo() };

describe("computer-use parts", () => {
  it("a machine without the parts offers no computer tools and says once, per part, why", async () => {
    const notices: string[] = [];
    const options = { workspace: tempRepo(), env: bare, allowsHost: () => false, onNotice: (line: string) => notices.push(line) };
    const first = openComputerUse(options);
    const second = openComputerUse(options);
    expect(first.tools).toEqual([]);
    expect(second.tools).toEqual([]);
    expect(notices).toEqual([
      "the desktop (computer tool) is off: xvfb, xdotool, imagemagick are not installed (apt-get install xvfb xdotool imagemagick, or scripts/install-deps.sh)",
      "the browser tools are off: chromium is not installed (apt-get install chromium, or scripts/install-deps.sh)",
    ]);
    await first.close();
  });

  it("COLLEAGUE_CHROMIUM naming a missing file is the reason given", () => {
    expect(findComputerParts({ ...bare, COLLEAGUE_CHROMIUM: "/nowhere/chromium" }).browserMissing).toBe("COLLEAGUE_CHROMIUM names /nowhere/chromium, which is not there");
  });

  it("the doctor lists each part and what is off", () => {
    const checks = computerUseChecks(bare);
    expect(checks.find((c) => c.name === "chromium")).toMatchObject({ ok: false, detail: "not found, so the browser tools are off (apt-get install chromium)" });
    expect(checks.find((c) => c.name === "xdotool")?.ok).toBe(false);
    expect(checks.find((c) => c.name === "computer")?.detail).toContain("desktop off: xvfb, xdotool, imagemagick are not installed");
  });

  it("COLLEAGUE_BROWSER=off and COLLEAGUE_DESKTOP=off turn the tools off where the parts exist", () => {
    const all = openComputerUse({ workspace: tempRepo(), allowsHost: () => false, parts: { parts: { chromium: "/c", xvfb: "/x", xdotool: "/d", imagemagick: "/i" } } });
    expect(all.tools.map((t) => t.name)).toContain("browser_navigate");
    expect(all.tools.map((t) => t.name)).toContain("computer");
    const none = openComputerUse({
      workspace: tempRepo(),
      allowsHost: () => false,
      env: { COLLEAGUE_BROWSER: "off", COLLEAGUE_DESKTOP: "off" },
      parts: { parts: { chromium: "/c", xvfb: "/x", xdotool: "/d", imagemagick: "/i" } },
    });
    expect(none.tools).toEqual([]);
  });
});
