import { describe, expect, it } from "vitest";
import { cleanEnv, runCli } from "../cli/cli-helpers.js";
import { officeChecks } from "../../src/cli/doctor-office.js";

describe("colleague doctor and the office tools", () => {
  it("says that office_render is not offered, and how to install what it needs, when LibreOffice and pdftoppm are missing", async () => {
    const out = await runCli(["doctor"], { env: cleanEnv({ PATH: "/nonexistent" }) });
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/FAIL soffice {3}not found: office_render is not offered \(apt-get install libreoffice-calc libreoffice-impress libreoffice-writer\)/);
    expect(out.stdout).toMatch(/FAIL pdftoppm {2}not found: office_render is not offered \(apt-get install poppler-utils\)/);
  });

  it("finds them on PATH", () => {
    const checks = officeChecks({ PATH: "/usr/bin:/bin" });
    for (const check of checks) if (check.ok) expect(check.detail).toMatch(/^\/.*(soffice|pdftoppm)$/);
    expect(checks.map((c) => c.name)).toEqual(["soffice", "pdftoppm"]);
  });
});
