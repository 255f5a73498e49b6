import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { hostInScope, loadTier } from "../../src/policy/tiers.js";

const admin = { profile: "security-research", profiles: { "security-research": { scope: { hosts: ["*.lab.internal", "10.10.*"], paths: [] } } } };

function adminFile(dir: string, content: unknown = admin): string {
  const file = path.join(dir, "policy.json");
  writeFileSync(file, JSON.stringify(content));
  chmodSync(file, 0o644);
  return file;
}

describe("trusted access tiers", () => {
  it("loads the administrator's profile from outside the workspace", () => {
    const workspace = mkdtempSync(path.join(os.tmpdir(), "colleague-ws-"));
    const file = adminFile(mkdtempSync(path.join(os.tmpdir(), "colleague-admin-")));
    const { tier, warning } = loadTier(workspace, { COLLEAGUE_ADMIN_CONFIG: file });
    expect(warning).toBeUndefined();
    expect(tier.name).toBe("security-research");
    expect([...tier.unlocks]).toEqual(["exploitation", "dos"]);
    expect(hostInScope(tier, "web.lab.internal")).toBe(true);
    expect(hostInScope(tier, "10.10.3.0/24")).toBe(true);
    expect(hostInScope(tier, "lab.internal.evil.com")).toBe(false);
    expect(hostInScope(tier, "10.100.0.1")).toBe(false);
  });

  it("ignores an admin file the agent could have written: inside the workspace, or world-writable", () => {
    const workspace = mkdtempSync(path.join(os.tmpdir(), "colleague-ws-"));
    const inside = adminFile(workspace);
    expect(loadTier(workspace, { COLLEAGUE_ADMIN_CONFIG: inside })).toMatchObject({ tier: { name: "standard" }, warning: expect.stringContaining("inside the workspace") });
    const open = adminFile(mkdtempSync(path.join(os.tmpdir(), "colleague-admin-")));
    chmodSync(open, 0o666);
    expect(loadTier(workspace, { COLLEAGUE_ADMIN_CONFIG: open })).toMatchObject({ tier: { name: "standard" }, warning: expect.stringContaining("world-writable") });
  });

  it("no admin file means the standard tier", () => {
    expect(loadTier(os.tmpdir(), { COLLEAGUE_ADMIN_CONFIG: "/nonexistent/policy.json" }).tier.name).toBe("standard");
  });
});
