import { loadVendor } from "../vendor/load.js";
import type { DocumentBlock, DocumentContent, TrackedChange } from "./document.js";
import { attribute, decodeXml, openZip, textOf, zipText } from "./zip-xml.js";

/**
 * Reads a docx through mammoth (which maps Word's styles to headings, lists and tables) into
 * blocks and Markdown, and lists its tracked changes, which mammoth does not report: a
 * reviewer of a redline needs to see what was inserted and what deleted.
 */
export async function readDocument(data: Buffer): Promise<DocumentContent> {
  const { default: mammoth } = await loadVendor.mammoth();
  const { value: html } = await mammoth.convertToHtml({ buffer: data });
  const blocks = blocksFromHtml(html);
  return { blocks, markdown: toMarkdown(blocks), changes: await trackedChanges(data) };
}

const stripTags = (html: string) =>
  decodeXml(html.replace(/<br\s*\/?>/g, "\n").replace(/<[^>]+>/g, ""))
    .replace(/[ \t]+/g, " ")
    .trim();

/** mammoth's HTML is regular (h1–h6, p, ul/ol/li, table/tr/td/th): a small scanner turns it into blocks. */
export function blocksFromHtml(html: string): DocumentBlock[] {
  const blocks: DocumentBlock[] = [];
  const re = /<(h[1-6]|p|ul|ol|table)(?:\s[^>]*)?>([\s\S]*?)<\/\1>/g;
  for (const m of html.matchAll(re)) {
    const tag = m[1]!;
    const body = m[2]!;
    if (tag.startsWith("h")) blocks.push({ type: "heading", level: Number(tag[1]), text: stripTags(body) });
    else if (tag === "p") {
      const text = stripTags(body);
      if (text) blocks.push({ type: "paragraph", text });
    } else if (tag === "ul" || tag === "ol") {
      blocks.push({ type: "list", ordered: tag === "ol", items: [...body.matchAll(/<li(?:\s[^>]*)?>([\s\S]*?)<\/li>/g)].map((li) => stripTags(li[1]!)) });
    } else {
      const rows = [...body.matchAll(/<tr(?:\s[^>]*)?>([\s\S]*?)<\/tr>/g)].map((tr) => [...tr[1]!.matchAll(/<t[dh](?:\s[^>]*)?>([\s\S]*?)<\/t[dh]>/g)].map((td) => stripTags(td[1]!)));
      blocks.push({ type: "table", rows });
    }
  }
  return blocks;
}

export function toMarkdown(blocks: DocumentBlock[]): string {
  const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");
  return blocks
    .map((b) => {
      if (b.type === "heading") return `${"#".repeat(b.level)} ${b.text}`;
      if (b.type === "paragraph") return b.text;
      if (b.type === "list") return b.items.map((item, i) => `${b.ordered ? `${i + 1}.` : "-"} ${item}`).join("\n");
      const [head = [], ...rest] = b.rows;
      return [`| ${head.map(cell).join(" | ")} |`, `|${head.map(() => " --- |").join("")}`, ...rest.map((r) => `| ${r.map(cell).join(" | ")} |`)].join("\n");
    })
    .join("\n\n");
}

/** `<w:ins>` and `<w:del>` runs of the main document part, in order. */
async function trackedChanges(data: Buffer): Promise<TrackedChange[]> {
  const zip = await openZip(data);
  const xml = (await zipText(zip, "word/document.xml")) ?? "";
  const changes: TrackedChange[] = [];
  for (const m of xml.matchAll(/<w:(ins|del)\s[^>]*>[\s\S]*?<\/w:\1>/g)) {
    const kind = m[1] === "ins" ? "insert" : "delete";
    const text = kind === "insert" ? textOf(m[0], "w:t") : textOf(m[0], "w:delText");
    if (!text) continue;
    const author = attribute(m[0], `w:${m[1]}`, "w:author");
    changes.push({ kind, text: decodeXml(text), ...(author ? { author } : {}) });
  }
  return changes;
}
