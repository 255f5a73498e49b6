import { loadVendor } from "../vendor/load.js";
import type { BlockSpec } from "./document.js";
import { diffWords } from "./word-diff.js";
import { OfficeInputError } from "./workbook-write.js";

const CONTENT_KEYS = ["heading", "paragraph", "bullets", "numbered", "table", "redline", "pageBreak"] as const;

export interface DocumentOptions {
  title?: string;
  /** Who the tracked changes of redline blocks are attributed to. */
  author?: string;
}

/** Writes a docx: headings, paragraphs, bullet and numbered lists, tables, and tracked-change redlines. */
export async function writeDocument(blocks: BlockSpec[], options: DocumentOptions = {}): Promise<Buffer> {
  const docx = await loadVendor.docx();
  const { Paragraph, TextRun, HeadingLevel, Table, TableRow, TableCell, WidthType, InsertedTextRun, DeletedTextRun, LevelFormat, AlignmentType } = docx;
  const author = options.author ?? "colleague";
  const date = new Date().toISOString().replace(/\.\d+Z$/, "Z");
  let revision = 1;
  let lists = 0;
  const children: Array<InstanceType<typeof Paragraph> | InstanceType<typeof Table>> = [];
  const runs = (text: string) => text.split(/(\*\*[^*]+\*\*)/).filter(Boolean).map((piece) => (piece.startsWith("**") && piece.endsWith("**") ? new TextRun({ text: piece.slice(2, -2), bold: true }) : new TextRun(piece)));
  blocks.forEach((block, index) => {
    const keys = CONTENT_KEYS.filter((k) => block[k] !== undefined);
    if (keys.length !== 1) throw new OfficeInputError(`block ${index + 1} needs exactly one of ${CONTENT_KEYS.join(", ")} (it has ${keys.length ? keys.join(", ") : "none"})`);
    if (block.heading !== undefined) {
      const level = [HeadingLevel.HEADING_1, HeadingLevel.HEADING_2, HeadingLevel.HEADING_3][Math.min(3, Math.max(1, block.level ?? 1)) - 1];
      children.push(new Paragraph({ text: block.heading, heading: level }));
    } else if (block.paragraph !== undefined) children.push(new Paragraph({ children: runs(block.paragraph) }));
    else if (block.bullets) for (const item of block.bullets) children.push(new Paragraph({ children: runs(item), bullet: { level: 0 } }));
    else if (block.numbered) {
      const instance = ++lists;
      for (const item of block.numbered) children.push(new Paragraph({ children: runs(item), numbering: { reference: "numbered", level: 0, instance } }));
    } else if (block.table) {
      const columns = Math.max(1, ...block.table.map((r) => r.length));
      const rows = block.table.map(
        (row, r) =>
          new TableRow({
            tableHeader: r === 0,
            children: Array.from(
              { length: columns },
              (_, c) => new TableCell({ children: [new Paragraph({ children: [new TextRun({ text: String(row[c] ?? ""), bold: r === 0 })] })] }),
            ),
          }),
      );
      children.push(new Table({ rows, width: { size: 100, type: WidthType.PERCENTAGE } }));
      children.push(new Paragraph(""));
    } else if (block.redline) {
      const pieces = diffWords(block.redline.original, block.redline.revised).map((s) => {
        if (s.kind === "same") return new TextRun(s.text);
        const change = { id: revision++, author, date, text: s.text };
        return s.kind === "insert" ? new InsertedTextRun(change) : new DeletedTextRun(change);
      });
      children.push(new Paragraph({ children: pieces }));
    } else if (block.pageBreak) children.push(new Paragraph({ children: [new TextRun({ text: "", break: 1 })], pageBreakBefore: true }));
  });
  const document = new docx.Document({
    creator: author,
    ...(options.title ? { title: options.title } : {}),
    numbering: { config: [{ reference: "numbered", levels: [{ level: 0, format: LevelFormat.DECIMAL, text: "%1.", alignment: AlignmentType.START, style: { paragraph: { indent: { left: 720, hanging: 360 } } } }] }] },
    sections: [{ children }],
  });
  return docx.Packer.toBuffer(document);
}
