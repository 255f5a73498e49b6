import { deliverable, readWorkbookFile, rowValues, same, verdict } from "../_check.mjs";

export default async ({ workspace }) => {
  const reasons = [];
  const file = deliverable(workspace, "low-stock.csv", reasons);
  if (!file) return verdict(reasons);
  const sheet = (await readWorkbookFile(file)).sheets[0];
  same(reasons, "rows", rowValues(sheet), [["SKU", "Item", "Qty"], ["K-11", "Cable, 5 m", 12], ["P-20", "Power brick", 8], ["M-31", "Keyboard", 4]]);
  return verdict(reasons);
};
