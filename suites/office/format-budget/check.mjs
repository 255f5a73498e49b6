import { deliverable, formula, readWorkbookFile, rowValues, same, sheetNamed, verdict } from "../_check.mjs";

export default async ({ workspace }) => {
  const reasons = [];
  const file = deliverable(workspace, "expenses.xlsx", reasons);
  if (!file) return verdict(reasons);
  const sheet = sheetNamed(await readWorkbookFile(file), "Expenses");
  if (!sheet) return verdict(["expenses.xlsx has no sheet named Expenses"]);
  same(reasons, "rows", rowValues(sheet).slice(0, 6), [["Category", "Owner", "Amount"], ["Travel", "Ana", 1250.5], ["Software", "Ben", 899.99], ["Hardware", "Ana", 2400], ["Training", "Chen", 640], ["Catering", "Ben", 315.25]]);
  same(reasons, "A7", sheet.rows[6]?.[0]?.value, "Total");
  same(reasons, "C7", formula(sheet.rows[6]?.[2]), "SUM(C2:C6)");
  for (let r = 2; r <= 7; r++) {
    const fmt = sheet.rows[r - 1]?.[2]?.numFmt ?? "General";
    if (!fmt.includes("#,##0.00")) reasons.push(`C${r} has the number format ${fmt}; a thousands separator and two decimals (#,##0.00) were asked for`);
  }
  sheet.columnWidths.slice(0, 3).forEach((w, i) => {
    if (!(w >= 12)) reasons.push(`column ${"ABC"[i]} is ${w ?? "not set"} wide; at least 12 was asked for`);
  });
  if (sheet.columnWidths.length < 3) reasons.push("column widths are not set");
  return verdict(reasons);
};
