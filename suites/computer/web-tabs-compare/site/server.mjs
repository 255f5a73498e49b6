/** Records which vendor pages were opened, so the checker knows both were looked at. */
export default (req, _res, site) => {
  const url = new URL(req.url, "http://x");
  if (req.method === "GET" && url.pathname.startsWith("/vendor-")) site.state.visited = [...new Set([...(site.state.visited ?? []), url.pathname])];
  return false;
};
