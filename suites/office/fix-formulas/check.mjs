import { deliverable, formula, readWorkbookFile, rowValues, same, sheetNamed, verdict } from "../_check.mjs";

export default async ({ workspace }) => {
  const reasons = [];
  const file = deliverable(workspace, "budget.xlsx", reasons);
  if (!file) return verdict(reasons);
  const sheet = sheetNamed(await readWorkbookFile(file), "Budget");
  if (!sheet) return verdict(["budget.xlsx has no sheet named Budget"]);
  // The figures stay as they were; only the formulas change.
  same(reasons, "planned and actual figures", rowValues(sheet).slice(1, 6).map((r) => r.slice(0, 3)), [["Rent", 12000, 12000], ["Salaries", 54000, 56100], ["Marketing", 8000, 6900], ["Travel", 3000, 3450], ["Software", 2500, 2380]]);
  for (let row = 2; row <= 6; row++) same(reasons, `D${row}`, formula(sheet.rows[row - 1]?.[3]), `C${row}-B${row}`);
  same(reasons, "B7", formula(sheet.rows[6]?.[1]), "SUM(B2:B6)");
  same(reasons, "C7", formula(sheet.rows[6]?.[2]), "SUM(C2:C6)");
  same(reasons, "D7", formula(sheet.rows[6]?.[3]), "SUM(D2:D6)");
  return verdict(reasons);
};
