import { deliverable, readWorkbookFile, rowValues, same, sheetNamed, verdict } from "../_check.mjs";

export default async ({ workspace }) => {
  const reasons = [];
  const file = deliverable(workspace, "merged.xlsx", reasons);
  if (!file) return verdict(reasons);
  const sheet = sheetNamed(await readWorkbookFile(file), "Merged");
  if (!sheet) return verdict(["merged.xlsx has no sheet named Merged"]);
  same(reasons, "merged rows", rowValues(sheet), [
    ["ID", "Name", "Email", "Company", "Plan"],
    [101, "Ana Silva", "ana@northwind.example", "Northwind", "Pro"],
    [102, "Ben Okafor", "ben@contoso.example", "Contoso", "Team"],
    [103, "Chen Wu", "chen@fabrikam.example", "Fabrikam", "Enterprise"],
    [104, "Dev Patel", "dev@litware.example"],
  ]);
  return verdict(reasons);
};
