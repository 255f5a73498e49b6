import type { DeckContent } from "./deck.js";
import type { DocumentContent } from "./document.js";
import type { PdfContent } from "./pdf-read.js";
import type { Cell, Workbook } from "./workbook.js";

/**
 * What a model is shown of an office file: compact text that keeps types and formulas. The
 * first line states the counts ("— 10 slides"), which the honesty check reads as evidence.
 */

function cellText(cell: Cell): string {
  const fmt = cell.numFmt ? ` [${cell.numFmt}]` : "";
  if (cell.type === "formula") return `${cell.ref} =${cell.formula} → ${JSON.stringify(cell.value)}${fmt}`;
  if (cell.type === "text") return `${cell.ref} ${JSON.stringify(cell.value)}${cell.looksLike ? ` (${cell.looksLike} stored as text)` : ""}${fmt}`;
  if (cell.type === "date") return `${cell.ref} ${cell.value} (date)${fmt}`;
  if (cell.type === "error") return `${cell.ref} ${cell.value} (error)`;
  return `${cell.ref} ${cell.value}${fmt}`;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

export function describeWorkbook(name: string, book: Workbook, options: { sheet?: string; maxRows?: number } = {}): string {
  const maxRows = options.maxRows ?? 200;
  const out = [`${name} — ${plural(book.sheets.length, "sheet")}: ${book.sheets.map((s) => s.name).join(", ")}`];
  for (const sheet of book.sheets) {
    if (options.sheet && sheet.name.toLowerCase() !== options.sheet.toLowerCase()) continue;
    const facts = [`${plural(sheet.rowCount, "row")} × ${plural(sheet.columnCount, "column")}`];
    if (sheet.headerRow) facts.push(`header row ${sheet.headerRow}`);
    if (sheet.merges.length) facts.push(`merged ${sheet.merges.join(", ")}`);
    if (sheet.columnWidths.some((w) => w !== null)) facts.push(`column widths ${sheet.columnWidths.map((w) => w ?? "-").join(", ")}`);
    for (const chart of sheet.charts) facts.push(`chart: ${chart.type}${chart.title ? ` "${chart.title}"` : ""} (${chart.series.map((s) => `${s.name ?? "series"} = ${s.values}`).join("; ")}; categories ${chart.series[0]?.categories ?? "-"})`);
    out.push("", `## Sheet "${sheet.name}" — ${facts.join("; ")}`);
    sheet.rows.slice(0, maxRows).forEach((row, i) => {
      const cells = row.filter((c) => c.type !== "empty").map(cellText);
      if (cells.length) out.push(`row ${i + 1}: ${cells.join(" | ")}`);
    });
    if (sheet.rows.length > maxRows) out.push(`[… ${sheet.rows.length - maxRows} more rows; raise maxRows to see them]`);
  }
  return out.join("\n");
}

export function describeDeck(name: string, deck: DeckContent): string {
  const out = [`${name} — ${plural(deck.slides.length, "slide")}`];
  for (const s of deck.slides) {
    out.push("", `## Slide ${s.number}: ${s.title || "(no title)"}`);
    for (const line of s.text) out.push(`- ${line}`);
    for (const table of s.tables) out.push(`table (${plural(table.length, "row")}):`, ...table.map((r) => `  | ${r.join(" | ")} |`));
    for (const chart of s.charts) out.push(`chart: ${chart.type}${chart.title ? ` "${chart.title}"` : ""}, ${plural(chart.series.length, "series")}`);
    if (s.images) out.push(`${plural(s.images, "picture")}`);
    out.push(s.notes ? `notes: ${s.notes}` : "notes: (none)");
  }
  return out.join("\n");
}

export function describeDocument(name: string, doc: DocumentContent): string {
  const count = (type: string) => doc.blocks.filter((b) => b.type === type).length;
  const facts = [plural(count("heading"), "heading"), plural(count("paragraph"), "paragraph"), plural(count("table"), "table"), plural(count("list"), "list")];
  if (doc.changes.length) facts.push(plural(doc.changes.length, "tracked change"));
  const out = [`${name} — ${facts.join(", ")}`, "", doc.markdown];
  if (doc.changes.length) out.push("", "## Tracked changes", ...doc.changes.map((c) => `${c.kind === "insert" ? "+" : "-"} ${JSON.stringify(c.text)}${c.author ? ` (${c.author})` : ""}`));
  return out.join("\n");
}

export function describePdf(name: string, pdf: PdfContent, pages?: number[]): string {
  const out = [`${name} — ${plural(pdf.pages.length, "page")}`];
  for (const n of pages ?? pdf.pages.map((_, i) => i + 1)) out.push("", `## Page ${n}`, pdf.pages[n - 1] ?? "");
  return out.join("\n");
}
