const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
const html = (title, body) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body>${body}</body></html>`;

/** Step 2 carries step 1's answers in hidden fields; /finish records the account. */
export default (req, res, site) => {
  const url = new URL(req.url, "http://x");
  if (req.method !== "POST") return false;
  const fields = Object.fromEntries(new URLSearchParams(req.body));
  res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
  if (url.pathname === "/step2") {
    res.end(html("Sign up: step 2 of 2", `<h1>Choose a plan</h1><p>Step 2 of 2 for ${esc(fields.name)}</p>
<form method="post" action="/finish">
<input type="hidden" name="name" value="${esc(fields.name ?? "")}"><input type="hidden" name="email" value="${esc(fields.email ?? "")}">
<label for="plan">Plan</label><select id="plan" name="plan"><option value="basic">Basic</option><option value="team">Team</option><option value="enterprise">Enterprise</option></select>
<input type="checkbox" id="terms" name="terms" value="yes"><label for="terms">I agree to the terms</label>
<button type="submit">Create account</button></form>`));
    return true;
  }
  if (url.pathname === "/finish") {
    if (fields.terms !== "yes") {
      res.end(html("Sign up: step 2 of 2", `<h1>Please agree to the terms</h1><p class="error">You must agree to the terms.</p>`));
      return true;
    }
    site.state.accounts = [...(site.state.accounts ?? []), fields];
    res.end(html("Welcome", `<h1>Account created for ${esc(fields.name)}</h1>`));
    return true;
  }
  return false;
};
