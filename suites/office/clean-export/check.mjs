import { deliverable, readWorkbookFile, rowValues, same, sheetNamed, verdict } from "../_check.mjs";

const ROWS = [
  ["A-1001", "2024-03-01", "Northwind", 1200.5],
  ["A-1002", "2024-03-04", "Contoso", 75],
  ["A-1003", "2024-03-07", "Fabrikam", 2310],
  ["A-1004", "2024-03-12", "Northwind", 18.25],
  ["A-1005", "2024-03-15", "Litware", 940],
];

export default async ({ workspace }) => {
  const reasons = [];
  const file = deliverable(workspace, "orders-clean.xlsx", reasons);
  if (!file) return verdict(reasons);
  const sheet = sheetNamed(await readWorkbookFile(file), "Orders");
  if (!sheet) return verdict(["orders-clean.xlsx has no sheet named Orders"]);
  const rows = rowValues(sheet);
  same(reasons, "header row", rows[0], ["Order", "Date", "Customer", "Amount"]);
  same(reasons, "data rows", rows.slice(1), ROWS);
  sheet.rows.slice(1, 1 + ROWS.length).forEach((row, i) => {
    if (row[1]?.type !== "date") reasons.push(`B${i + 2} must be a real date, not ${row[1]?.type}`);
    if (row[3]?.type !== "number") reasons.push(`D${i + 2} must be a number, not ${row[3]?.type}`);
  });
  return verdict(reasons);
};
