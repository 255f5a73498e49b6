import type JSZip from "jszip";
import { loadVendor } from "../vendor/load.js";

/**
 * Office files are zip folders of XML. These few helpers read what the converters do not
 * expose (slide notes, chart parts, tracked changes) without a full XML parser: the parts
 * read here are machine-written and regular.
 */

export async function openZip(data: Buffer): Promise<JSZip> {
  const { default: Zip } = await loadVendor.jszip();
  return Zip.loadAsync(data);
}

export async function zipText(zip: JSZip, name: string): Promise<string | undefined> {
  return zip.file(name)?.async("string");
}

export function decodeXml(text: string): string {
  return text
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#x([0-9a-f]+);/gi, (_, h) => String.fromCodePoint(Number.parseInt(h, 16)))
    .replace(/&#(\d+);/g, (_, d) => String.fromCodePoint(Number(d)))
    .replace(/&amp;/g, "&");
}

export function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** The bodies of every `<tag …>…</tag>` (non-nested occurrences) in `xml`. */
export function elements(xml: string, tag: string): string[] {
  const re = new RegExp(`<${tag}(?:\\s[^>]*)?(?:/>|>([\\s\\S]*?)</${tag}>)`, "g");
  return [...xml.matchAll(re)].map((m) => m[0]);
}

/** An attribute's value on the first `<tag>` in `xml`. */
export function attribute(xml: string, tag: string, name: string): string | undefined {
  const open = new RegExp(`<${tag}(?:\\s[^>]*)?/?>`).exec(xml)?.[0];
  if (!open) return undefined;
  const m = new RegExp(`\\s${name}="([^"]*)"`).exec(open);
  return m ? decodeXml(m[1]!) : undefined;
}

/** The concatenated text of every `<tag>…</tag>` (e.g. `a:t` runs) in `xml`. */
export function textOf(xml: string, tag: string): string {
  return elements(xml, tag)
    .map((e) => decodeXml(e.replace(/^<[^>]*>/, "").replace(/<\/[^>]*>$/, "")))
    .join("");
}

/** Relationship id → target, from a `.rels` part. */
export function relationships(rels: string | undefined): Map<string, { target: string; type: string }> {
  const out = new Map<string, { target: string; type: string }>();
  for (const rel of elements(rels ?? "", "Relationship")) {
    const id = attribute(rel, "Relationship", "Id");
    const target = attribute(rel, "Relationship", "Target");
    if (id && target) out.set(id, { target, type: attribute(rel, "Relationship", "Type") ?? "" });
  }
  return out;
}

/** Resolves a relationship target against the folder of the part that names it. */
export function resolvePart(fromPart: string, target: string): string {
  if (target.startsWith("/")) return target.slice(1);
  const parts = fromPart.split("/").slice(0, -1);
  for (const piece of target.split("/")) {
    if (piece === "..") parts.pop();
    else if (piece !== ".") parts.push(piece);
  }
  return parts.join("/");
}

/** The `.rels` part that belongs to a part: `xl/worksheets/sheet1.xml` → `xl/worksheets/_rels/sheet1.xml.rels`. */
export function relsPathOf(part: string): string {
  const slash = part.lastIndexOf("/");
  return `${part.slice(0, slash + 1)}_rels/${part.slice(slash + 1)}.rels`;
}
