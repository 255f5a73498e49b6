import { describe, expect, it } from "vitest";
import { judgeUrl } from "../../src/computer/browser/network.js";
import { renumberRefs } from "../../src/computer/browser/snapshot.js";
import { openGuard } from "../../src/host/guard.js";
import { denyingApprover } from "../../src/policy/approver.js";
import { tempRepo } from "../helpers.js";

describe("the browser's request routing", () => {
  const allows = (host: string) => host === "docs.example.org";
  it("lets the workspace's own app and allowed hosts through, and refuses the rest with a fix", () => {
    expect(judgeUrl("http://127.0.0.1:5173/app", allows)).toEqual({ ok: true });
    expect(judgeUrl("http://localhost:3000/", allows)).toEqual({ ok: true });
    expect(judgeUrl("http://[::1]:8080/", allows)).toEqual({ ok: true });
    expect(judgeUrl("https://docs.example.org/x", allows)).toEqual({ ok: true });
    expect(judgeUrl("data:text/html,hi", allows)).toEqual({ ok: true });
    const refused = judgeUrl("https://evil.example.com/steal", allows);
    expect(refused).toMatchObject({ ok: false, host: "evil.example.com" });
    expect(refused.ok === false && refused.reason).toContain('"web: evil.example.com"');
    expect(judgeUrl("file:///etc/passwd", allows)).toMatchObject({ ok: false });
    expect(judgeUrl("chrome://settings", allows)).toMatchObject({ ok: false });
    expect(judgeUrl("not a url", allows)).toMatchObject({ ok: false });
  });

  it("asks the session's permission rules: allow rules and the sandbox's hosts open a host, deny rules close it", async () => {
    const home = tempRepo({
      "config.json": JSON.stringify({ permissions: { allow: ["web: *.example.org"], deny: ["web: secret.example.org"] }, sandbox: { allowedHosts: ["registry.npmjs.org"] } }),
    });
    const guard = await openGuard({ workspace: tempRepo(), config: {}, env: {}, home, mode: "full-auto", sandbox: "if-available", approver: denyingApprover, interactive: false });
    expect(guard.allowsWebHost("docs.example.org")).toBe(true);
    expect(guard.allowsWebHost("registry.npmjs.org")).toBe(true);
    expect(guard.allowsWebHost("secret.example.org")).toBe(false);
    expect(guard.allowsWebHost("example.com")).toBe(false);
  });
});

describe("snapshot refs", () => {
  it("are renumbered in document order for each snapshot, whatever Playwright called them", () => {
    const raw = '- heading "A" [ref=e41]\n- textbox "Name" [ref=e42]\n- iframe [ref=e43]:\n  - button "Go" [ref=f1e2]';
    const { text, refs } = renumberRefs(raw);
    expect(text).toBe('- heading "A" [ref=e1]\n- textbox "Name" [ref=e2]\n- iframe [ref=e3]:\n  - button "Go" [ref=e4]');
    expect([...refs]).toEqual([
      ["e1", "e41"],
      ["e2", "e42"],
      ["e3", "e43"],
      ["e4", "f1e2"],
    ]);
    expect(renumberRefs(raw).text).toBe(text);
  });
});
