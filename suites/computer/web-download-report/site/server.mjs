/** Reports are served as attachments, so a browser saves them instead of showing them. */
const REPORTS = {
  "/files/q2-report.csv": "month,region,revenue\n2026-04,North,3000\n2026-04,South,2000\n",
  "/files/q3-report.csv": "month,region,revenue\n2026-07,North,4100\n2026-07,South,3900\n2026-08,North,4520\n2026-08,South,3875\n2026-09,North,5010\n2026-09,South,4480\n",
};

export default (req, res) => {
  const url = new URL(req.url, "http://x");
  const body = REPORTS[url.pathname];
  if (req.method !== "GET" || body === undefined) return false;
  res.writeHead(200, { "content-type": "text/csv", "content-disposition": `attachment; filename="${url.pathname.split("/").at(-1)}"` });
  res.end(body);
  return true;
};
