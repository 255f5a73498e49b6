import { deliverable, readWorkbookFile, rowValues, same, sheetNamed, verdict } from "../_check.mjs";

export default async ({ workspace }) => {
  const reasons = [];
  const file = deliverable(workspace, "traffic.xlsx", reasons);
  if (!file) return verdict(reasons);
  const sheet = sheetNamed(await readWorkbookFile(file), "Traffic");
  if (!sheet) return verdict(["traffic.xlsx has no sheet named Traffic"]);
  same(reasons, "data", rowValues(sheet).slice(0, 7), [["Month", "Visitors"], ["Jan", 1200], ["Feb", 1350], ["Mar", 1610], ["Apr", 1580], ["May", 1720], ["Jun", 1905]]);
  const chart = sheet.charts[0];
  if (!chart) return verdict([...reasons, "the Traffic sheet has no chart"]);
  if (chart.type !== "line") reasons.push(`the chart is a ${chart.type} chart; a line chart was asked for`);
  if (!/visitors/i.test(chart.title ?? "")) reasons.push(`the chart's title "${chart.title ?? ""}" does not mention visitors`);
  const series = chart.series[0] ?? {};
  const plain = (range) => (range ?? "").replace(/\$/g, "").replace(/^'?Traffic'?!/, "");
  same(reasons, "chart values", plain(series.values), "B2:B7");
  same(reasons, "chart categories", plain(series.categories), "A2:A7");
  return verdict(reasons);
};
