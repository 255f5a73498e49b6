import { deliverable, readDocumentFile, same, verdict } from "../_check.mjs";

export default async ({ workspace }) => {
  const reasons = [];
  const file = deliverable(workspace, "memo.docx", reasons);
  if (!file) return verdict(reasons);
  const { blocks } = await readDocumentFile(file);
  const first = blocks[0];
  if (first?.type !== "heading" || first.level !== 1 || first.text !== "Headcount memo") reasons.push(`the memo must open with the level-1 heading "Headcount memo" (found ${JSON.stringify(first)})`);
  if (!blocks.some((b) => b.type === "paragraph" && b.text.length > 20)) reasons.push("the memo has no paragraph of text");
  const tables = blocks.filter((b) => b.type === "table");
  if (tables.length !== 1) return verdict([...reasons, `the memo has ${tables.length} tables; one was asked for`]);
  same(reasons, "table", tables[0].rows, [
    ["Department", "Headcount", "Open roles"],
    ["Engineering", "42", "6"],
    ["Sales", "18", "3"],
    ["Support", "11", "2"],
    ["Finance", "5", "0"],
    ["Total", "76", "11"],
  ]);
  return verdict(reasons);
};
