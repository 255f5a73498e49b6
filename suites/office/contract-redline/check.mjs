import { readFileSync } from "node:fs";
import path from "node:path";
import { deliverable, readDocumentFile, same, verdict } from "../_check.mjs";

const REVISED =
  "7. Payment. The Customer shall pay each invoice within 45 days of receipt. The Supplier may suspend the services if an invoice is overdue by more than 15 days. This agreement is governed by the laws of the State of Delaware.";

export default async ({ workspace }) => {
  const reasons = [];
  const file = deliverable(workspace, "clause-redline.docx", reasons);
  if (!file) return verdict(reasons);
  const { blocks, changes } = await readDocumentFile(file);
  // With every change accepted, the clause reads as revised.
  const accepted = blocks.filter((b) => b.type === "paragraph").map((b) => b.text).join(" ").replace(/\s+/g, " ").trim();
  same(reasons, "the clause with the changes accepted", accepted, REVISED);
  const deleted = changes.filter((c) => c.kind === "delete").map((c) => c.text).join(" ");
  const inserted = changes.filter((c) => c.kind === "insert").map((c) => c.text).join(" ");
  for (const [gone, added] of [["30", "45"], ["New York", "Delaware"], ["without notice", "15 days"]]) {
    if (!deleted.includes(gone)) reasons.push(`"${gone}" is not shown as a tracked deletion`);
    if (!inserted.includes(added)) reasons.push(`"${added}" is not shown as a tracked insertion`);
  }
  // A redline marks what changed; replacing the whole clause is not one.
  const original = readFileSync(path.join(workspace, "clause.txt"), "utf8").trim();
  if (deleted.length > original.length / 2) reasons.push(`${deleted.length} of the clause's ${original.length} characters are marked deleted: mark only what changed`);
  return verdict(reasons);
};
