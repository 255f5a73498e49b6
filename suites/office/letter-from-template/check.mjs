import { deliverable, readDocumentFile, same, verdict } from "../_check.mjs";

const LETTERS = [
  ["lovelace", "Ada Lovelace", "1,250.00", "2024-05-01"],
  ["hopper", "Grace Hopper", "980.00", "2024-05-02"],
  ["turing", "Alan Turing", "2,400.00", "2024-05-03"],
];

export default async ({ workspace }) => {
  const reasons = [];
  for (const [last, name, amount, date] of LETTERS) {
    const file = deliverable(workspace, `letters/${last}.docx`, reasons);
    if (!file) continue;
    const { blocks, markdown } = await readDocumentFile(file);
    same(reasons, `letters/${last}.docx`, blocks, [
      { type: "heading", level: 1, text: "Acme Finance" },
      { type: "paragraph", text: `Date: ${date}` },
      { type: "paragraph", text: `Dear ${name},` },
      { type: "paragraph", text: `We confirm receipt of your payment of $${amount}. Thank you for your business.` },
      { type: "paragraph", text: "Kind regards, Acme Finance" },
    ]);
    if (markdown.includes("{{")) reasons.push(`letters/${last}.docx still has a {{placeholder}}`);
  }
  return verdict(reasons);
};
