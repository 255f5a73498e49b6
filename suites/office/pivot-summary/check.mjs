import { deliverable, formula, readWorkbookFile, rowValues, same, sheetNamed, verdict } from "../_check.mjs";

export default async ({ workspace }) => {
  const reasons = [];
  const file = deliverable(workspace, "summary.xlsx", reasons);
  if (!file) return verdict(reasons);
  const sheet = sheetNamed(await readWorkbookFile(file), "Summary");
  if (!sheet) return verdict(["summary.xlsx has no sheet named Summary"]);
  const rows = rowValues(sheet);
  same(reasons, "header row", rows[0], ["Region", "Units", "Revenue"]);
  same(reasons, "region rows (highest revenue first)", rows.slice(1, 4), [["North", 19, 2020], ["South", 10, 1750], ["West", 11, 1290]]);
  const total = sheet.rows[4] ?? [];
  same(reasons, "A5", total[0]?.value, "Total");
  same(reasons, "B5 formula", formula(total[1]), "SUM(B2:B4)");
  same(reasons, "C5 formula", formula(total[2]), "SUM(C2:C4)");
  return verdict(reasons);
};
