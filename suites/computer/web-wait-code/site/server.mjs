/** The code is made per run, so it can only be read off the page. */
export default (req, res, site) => {
  const url = new URL(req.url, "http://x");
  if (req.method !== "GET" || url.pathname !== "/code") return false;
  site.state.code ??= "K7-Q2-93";
  res.writeHead(200, { "content-type": "text/plain" });
  res.end(site.state.code);
  return true;
};
