import { deliverable, readDocumentFile, same, verdict } from "../_check.mjs";

export default async ({ workspace }) => {
  const reasons = [];
  const file = deliverable(workspace, "report.docx", reasons);
  if (!file) return verdict(reasons);
  const { blocks } = await readDocumentFile(file);
  const headings = blocks.filter((b) => b.type === "heading").map((b) => `${b.level} ${b.text}`);
  same(reasons, "headings", headings, ["1 Incident summary: INC-2041", "2 Impact", "2 Timeline", "2 Actions"]);
  const after = (title) => blocks.slice(blocks.findIndex((b) => b.type === "heading" && b.text === title) + 1);
  const impact = after("Impact").find((b) => b.type === "paragraph")?.text ?? "";
  for (const fact of ["47 minutes", "3,120", "$86,400"]) if (!impact.includes(fact)) reasons.push(`the Impact paragraph does not state ${fact}`);
  same(reasons, "Timeline table", after("Timeline").find((b) => b.type === "table")?.rows, [
    ["Time (UTC)", "Event"],
    ["14:02", "Deploy of payments v2.3 starts"],
    ["14:05", "Error rate alert fires"],
    ["14:20", "Rollback begins"],
    ["14:49", "Checkout fully restored"],
  ]);
  const actions = after("Actions").find((b) => b.type === "list");
  if (!actions?.ordered) reasons.push("the Actions section has no numbered list");
  same(reasons, "actions", actions?.items, ["Add a canary stage to payment deploys", "Alert on checkout success rate", "Run a rollback drill each quarter"]);
  return verdict(reasons);
};
