import { expect, it } from "vitest";
import { ripgrepPath } from "../../src/tools/ripgrep.js";

it("finds the same rg binary that @vscode/ripgrep's own module names, without loading it", async () => {
  const { rgPath } = (await import("@vscode/ripgrep")) as { rgPath: string };
  expect(await ripgrepPath()).toBe(rgPath);
  expect(rgPath).toMatch(/\/node_modules\/@vscode\/ripgrep-[a-z0-9]+-[a-z0-9]+\/bin\/rg$/);
});
