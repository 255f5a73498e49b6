import { deliverable, readWorkbookFile, rowValues, same, sheetNamed, verdict } from "../_check.mjs";

export default async ({ workspace }) => {
  const reasons = [];
  const file = deliverable(workspace, "shipments-clean.xlsx", reasons);
  if (!file) return verdict(reasons);
  const sheet = sheetNamed(await readWorkbookFile(file), "Shipments");
  if (!sheet) return verdict(["shipments-clean.xlsx has no sheet named Shipments"]);
  same(reasons, "rows", rowValues(sheet), [
    ["Ref", "Shipped", "Weight (kg)", "Carrier"],
    ["S-1", "2024-03-14", 1250, "DHL"],
    ["S-2", "2024-03-15", 980, "UPS"],
    ["S-3", "2024-03-18", 2040.5, "DHL"],
    ["S-4", "2024-03-21", 75, "FedEx"],
  ]);
  for (let r = 2; r <= 5; r++) {
    const [, shipped, weight] = sheet.rows[r - 1] ?? [];
    if (shipped?.type !== "date") reasons.push(`B${r} must be a real date, not ${shipped?.type}`);
    if (weight?.type !== "number") reasons.push(`C${r} must be a number, not ${weight?.type}`);
  }
  return verdict(reasons);
};
