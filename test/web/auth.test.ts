import { afterEach, describe, expect, it } from "vitest";
import { TOKEN, type TestServer, testServer } from "../server/server-helpers.js";

let t: TestServer | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

/** Signs in like the dashboard's form and returns the cookie pair the server set. */
async function signIn(url: string, headers: Record<string, string> = {}): Promise<{ status: number; setCookie: string | null }> {
  const response = await fetch(`${url}/auth/session`, { method: "POST", headers: { "content-type": "application/json", "x-colleague-csrf": "1", ...headers }, body: JSON.stringify({ token: TOKEN }) });
  return { status: response.status, setCookie: response.headers.get("set-cookie") };
}

describe("browser sign-in on colleague serve", () => {
  it("sets an HttpOnly SameSite=Strict cookie that is not the token; the cookie reads, and state changes need the dashboard's header from the same origin", async () => {
    t = await testServer({ webDir: false });
    const url = t.server.url;
    const { status, setCookie } = await signIn(url, { origin: url, "sec-fetch-site": "same-origin" });
    expect(status).toBe(200);
    expect(setCookie).toMatch(/^colleague_session=[\w-]+; Path=\/; HttpOnly; SameSite=Strict; Max-Age=\d+$/);
    expect(setCookie).not.toContain(TOKEN);
    const cookie = setCookie!.split(";")[0]!;
    expect((await fetch(`${url}/sessions`, { headers: { cookie } })).status).toBe(200);
    expect((await fetch(`${url}/sessions`)).status).toBe(401);
    expect((await fetch(`${url}/sessions`, { headers: { cookie: "colleague_session=forged" } })).status).toBe(401);
    // The cookie cannot be used as a bearer token, nor the token as a cookie.
    expect((await fetch(`${url}/sessions`, { headers: { authorization: `Bearer ${cookie.split("=")[1]}` } })).status).toBe(401);
    expect((await fetch(`${url}/sessions`, { headers: { cookie: `colleague_session=${TOKEN}` } })).status).toBe(401);

    const body = JSON.stringify({ task: "x", cwd: t.workspace(), model: t.scripted({ steps: [{ text: "hi" }] }) });
    const post = (headers: Record<string, string>) => fetch(`${url}/sessions`, { method: "POST", headers: { "content-type": "application/json", cookie, ...headers }, body });
    const refused = async (headers: Record<string, string>) => {
      const response = await post(headers);
      expect(response.status).toBe(403);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe("forbidden");
    };
    await refused({}); // no custom header
    await refused({ "x-colleague-csrf": "1", "sec-fetch-site": "cross-site" });
    await refused({ "x-colleague-csrf": "1", origin: "http://evil.example" });
    expect((await post({ "x-colleague-csrf": "1", origin: url, "sec-fetch-site": "same-origin" })).status).toBe(201);
    // Bearer-token clients are unchanged: no custom header, no origin.
    const bearer = await fetch(`${url}/sessions`, { method: "POST", headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" }, body });
    expect(bearer.status).toBe(201);
  });

  it("refuses a wrong token and a cross-site sign-in; signing out clears the cookie", async () => {
    t = await testServer({ webDir: false });
    const url = t.server.url;
    const wrong = await fetch(`${url}/auth/session`, { method: "POST", headers: { "x-colleague-csrf": "1" }, body: JSON.stringify({ token: "nope" }) });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get("set-cookie")).toBeNull();
    expect((await signIn(url, { origin: "http://evil.example" })).status).toBe(403);
    expect((await signIn(url, { "sec-fetch-site": "cross-site" })).status).toBe(403);
    // A sign-in without the dashboard's header could come from a cross-site form post.
    expect((await fetch(`${url}/auth/session`, { method: "POST", body: JSON.stringify({ token: TOKEN }) })).status).toBe(403);
    const out = await fetch(`${url}/auth/signout`, { method: "POST" });
    expect(out.headers.get("set-cookie")).toMatch(/colleague_session=; .*Max-Age=0/);
  });

  it("marks the cookie Secure behind https", async () => {
    t = await testServer({ webDir: false });
    const { setCookie } = await signIn(t.server.url, { "x-forwarded-proto": "https" });
    expect(setCookie).toMatch(/; Secure$/);
  });
});

describe("the dashboard's files", () => {
  it("serves index.html and assets without sign-in, with a strict CSP; no path reaches outside the folder", async () => {
    const { mkdtempSync, mkdirSync, writeFileSync } = await import("node:fs");
    const os = await import("node:os");
    const path = await import("node:path");
    const dir = mkdtempSync(path.join(os.tmpdir(), "web-"));
    mkdirSync(path.join(dir, "assets"));
    writeFileSync(path.join(dir, "index.html"), "<!doctype html><title>colleague</title>");
    writeFileSync(path.join(dir, "assets", "app-abc.js"), "console.log(1)");
    t = await testServer({ webDir: dir });
    const index = await fetch(`${t.server.url}/`);
    expect(index.status).toBe(200);
    expect(index.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect(await index.text()).toContain("<title>colleague</title>");
    const asset = await fetch(`${t.server.url}/assets/app-abc.js`);
    expect(asset.headers.get("content-type")).toContain("text/javascript");
    expect(asset.headers.get("cache-control")).toContain("immutable");
    expect((await fetch(`${t.server.url}/assets/..%2f..%2fetc%2fpasswd`)).status).toBe(401);
    expect((await fetch(`${t.server.url}/assets/missing.js`)).status).toBe(401);
  });
});

describe("paged sessions for the dashboard", () => {
  it("pages, counts, searches and filters on the server", async () => {
    t = await testServer({ webDir: false });
    const cwd = t.workspace();
    const model = t.scripted({ steps: [{ text: "ok" }] });
    for (const task of ["fix the login bug", "write docs", "fix the 100% CPU loop", "add tests"]) {
      const s = await t.client.createSession({ task, cwd, model });
      await t.server.service.settled(s.id);
    }
    const all = await t.client.pageSessions({ limit: 3 });
    expect(all.total).toBe(4);
    expect(all.sessions.map((s) => s.task)).toEqual(["add tests", "fix the 100% CPU loop", "write docs"]);
    const second = await t.client.pageSessions({ limit: 3, offset: 3 });
    expect(second.sessions.map((s) => s.task)).toEqual(["fix the login bug"]);
    const fix = await t.client.pageSessions({ q: "fix" });
    expect(fix.total).toBe(2);
    // LIKE wildcards in a search are literal.
    expect((await t.client.pageSessions({ q: "100%" })).sessions.map((s) => s.task)).toEqual(["fix the 100% CPU loop"]);
    expect((await t.client.pageSessions({ q: "FIX login" })).sessions.map((s) => s.task)).toEqual(["fix the login bug"]);
    expect((await t.client.pageSessions({ status: "completed" })).total).toBe(4);
    expect((await t.client.pageSessions({ status: "error,running" })).total).toBe(0);
    const bad = await fetch(`${t.server.url}/sessions?offset=-1`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(bad.status).toBe(400);
    // The old form still answers as before.
    expect(await t.client.listSessions(2)).toHaveLength(2);
  });
});
