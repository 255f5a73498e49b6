const html = (title, body) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body>${body}</body></html>`;
const TOKEN = "s3ss10n-ada";
const signedIn = (req) => (req.headers.cookie ?? "").split(/;\s*/).includes(`session=${TOKEN}`);

/** A login that sets a cookie, and a settings page only a signed-in user can see and save. */
export default (req, res, site) => {
  const url = new URL(req.url, "http://x");
  const fields = Object.fromEntries(new URLSearchParams(req.body ?? ""));
  if (req.method === "POST" && url.pathname === "/login") {
    if (fields.user === "ada" && fields.password === "lovelace1815") {
      res.writeHead(303, { location: "/settings", "set-cookie": `session=${TOKEN}; Path=/; HttpOnly` });
      res.end();
    } else {
      res.writeHead(401, { "content-type": "text/html; charset=utf-8" });
      res.end(html("Sign in", `<h1>Sign in failed</h1><p class="error">Wrong username or password.</p><a href="/">Try again</a>`));
    }
    return true;
  }
  if (url.pathname === "/settings") {
    if (!signedIn(req)) {
      res.writeHead(303, { location: "/" });
      res.end();
      return true;
    }
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    if (req.method === "POST") {
      site.state.settings = fields;
      res.end(html("Settings saved", `<h1>Settings saved</h1><p>Display name: ${fields.display_name}; time zone: ${fields.timezone}</p>`));
      return true;
    }
    res.end(html("Account settings", `<h1>Account settings</h1><form method="post" action="/settings">
<label for="display_name">Display name</label><input id="display_name" name="display_name" value="ada">
<label for="timezone">Time zone</label><select id="timezone" name="timezone"><option>UTC</option><option>Europe/London</option><option>America/New_York</option></select>
<button type="submit">Save settings</button></form>`));
    return true;
  }
  return false;
};
