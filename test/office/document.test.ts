import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readDocument } from "../../src/office/document-read.js";
import { writeDocument } from "../../src/office/document-write.js";
import { readPdf } from "../../src/office/pdf-read.js";
import { diffWords } from "../../src/office/word-diff.js";
import { documentWriteTool, officeReadTool } from "../../src/tools/office/index.js";
import { sandbox } from "../tools/helpers.js";

describe("documents", () => {
  it("a docx written by the tool is read back with its headings, paragraphs, lists and table", async () => {
    const box = sandbox();
    const wrote = await box.call(documentWriteTool, {
      path: "memo.docx",
      blocks: [
        { heading: "Quarterly memo" },
        { paragraph: "Revenue grew **12%** this quarter." },
        { heading: "By region", level: 2 },
        { table: [["Region", "Revenue"], ["North", 412000], ["South", 289000]] },
        { numbered: ["Hire two engineers", "Open the Iberia office"] },
        { bullets: ["Risks: currency"] },
      ],
    });
    expect(wrote.isError).toBe(false);
    const doc = await readDocument(readFileSync(path.join(box.root, "memo.docx")));
    expect(doc.blocks).toEqual([
      { type: "heading", level: 1, text: "Quarterly memo" },
      { type: "paragraph", text: "Revenue grew 12% this quarter." },
      { type: "heading", level: 2, text: "By region" },
      { type: "table", rows: [["Region", "Revenue"], ["North", "412000"], ["South", "289000"]] },
      { type: "list", ordered: true, items: ["Hire two engineers", "Open the Iberia office"] },
      { type: "list", ordered: false, items: ["Risks: currency"] },
    ]);
    const read = await box.call(officeReadTool, { path: "memo.docx" });
    expect(read.text).toContain("memo.docx — 2 headings, 1 paragraph, 1 table, 2 lists");
    expect(read.text).toContain("| North | 412000 |");
  });

  it("a redline is tracked changes: accepted text reads as revised, deletions and insertions are listed", async () => {
    const data = await writeDocument([{ redline: { original: "Pay within 30 days, without notice.", revised: "Pay within 45 days." } }], { author: "Legal" });
    const doc = await readDocument(data);
    expect(doc.blocks).toEqual([{ type: "paragraph", text: "Pay within 45 days." }]);
    expect(doc.changes).toEqual([
      { kind: "delete", text: "30 days, without notice.", author: "Legal" },
      { kind: "insert", text: "45 days.", author: "Legal" },
    ]);
    expect(diffWords("a b c", "a x c")).toEqual([
      { kind: "same", text: "a " },
      { kind: "delete", text: "b " },
      { kind: "insert", text: "x " },
      { kind: "same", text: "c" },
    ]);
  });

  it("a block with two kinds of content, or a file of the wrong type, is one readable error", async () => {
    const box = sandbox();
    const both = await box.call(documentWriteTool, { path: "a.docx", blocks: [{ heading: "A", paragraph: "B" }] });
    expect(both).toMatchObject({ isError: true, text: "block 1 needs exactly one of heading, paragraph, bullets, numbered, table, redline, pageBreak (it has heading, paragraph)" });
    const wrongType = await box.call(officeReadTool, { path: "notes.txt" });
    expect(wrongType.text).toMatch(/is not an office file this tool reads/);
    box.write("broken.docx", "not a zip");
    const broken = await box.call(officeReadTool, { path: "broken.docx" });
    expect(broken.isError).toBe(true);
    expect(broken.text).toMatch(/^broken\.docx could not be read as \.docx: /);
  });

  it("reads a PDF's text page by page", async () => {
    const pdf = await readPdf(readFileSync(path.join(import.meta.dirname, "..", "..", "suites", "office", "report-from-pdf", "workspace", "incident.pdf")));
    expect(pdf.pages).toHaveLength(1);
    expect(pdf.pages[0]).toContain("the checkout service failed for 47 minutes");
    expect(pdf.pages[0]).toContain("Rollback begins");
  });
});
