const PRODUCTS = ["Blue kettle", "Red mug", "Blue scarf", "Green lamp", "Blue notebook", "Yellow chair", "Blue pen", "Black desk", "Blue rug", "White shelf", "Blue vase", "Orange clock", "Blue blanket", "Grey sofa", "Purple pillow"];
const PER_PAGE = 4;
const html = (title, body) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body>${body}</body></html>`;

/** Results four to a page, with a link to the next page while there is one. */
export default (req, res) => {
  const url = new URL(req.url, "http://x");
  if (req.method !== "GET" || url.pathname !== "/search") return false;
  const q = (url.searchParams.get("q") ?? "").toLowerCase().trim();
  const page = Math.max(1, Number(url.searchParams.get("page") ?? 1));
  const hits = PRODUCTS.filter((p) => q && p.toLowerCase().includes(q));
  const pages = Math.max(1, Math.ceil(hits.length / PER_PAGE));
  const shown = hits.slice((page - 1) * PER_PAGE, page * PER_PAGE);
  const next = page < pages ? `<a href="/search?q=${encodeURIComponent(q)}&page=${page + 1}">Next page</a>` : "";
  res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
  res.end(html(`Results for ${q}`, `<h1>${hits.length} results for "${q}"</h1><p>Page ${page} of ${pages}</p><ul>${shown.map((p) => `<li>${p}</li>`).join("")}</ul>${next}`));
  return true;
};
