const esc = (s) => String(s ?? "").replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
const html = (title, body) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body>${body}</body></html>`;

/** Server-side validation: rejected forms come back with the values and one message per problem. */
export default (req, res, site) => {
  const url = new URL(req.url, "http://x");
  if (req.method !== "POST" || url.pathname !== "/apply") return false;
  const f = Object.fromEntries(new URLSearchParams(req.body));
  const errors = [];
  if (!f.name?.trim()) errors.push("Full name is required.");
  if (!/^\d{10}$/.test(f.phone ?? "")) errors.push("Phone must be exactly 10 digits, without spaces, dashes or brackets.");
  if (!/^\d{4}-\d{2}-\d{2}$/.test(f.born ?? "")) errors.push("Date of birth must be written YYYY-MM-DD.");
  res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
  if (errors.length) {
    site.state.rejected = (site.state.rejected ?? 0) + 1;
    res.end(html("Application", `<h1>Application</h1><div role="alert">${errors.map((e) => `<p class="error">${e}</p>`).join("")}</div>
<form method="post" action="/apply">
<label for="name">Full name</label><input id="name" name="name" value="${esc(f.name)}">
<label for="phone">Phone</label><input id="phone" name="phone" value="${esc(f.phone)}">
<label for="born">Date of birth</label><input id="born" name="born" value="${esc(f.born)}">
<button type="submit">Submit application</button></form>`));
    return true;
  }
  site.state.accepted = f;
  res.end(html("Application received", `<h1>Application received</h1><p>Thank you, ${esc(f.name)}.</p>`));
  return true;
};
