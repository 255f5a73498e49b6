import type { DeckContent, SlideContent } from "./deck.js";
import { parseChartXml } from "./xlsx-chart.js";
import { attribute, elements, openZip, relationships, relsPathOf, resolvePart, textOf, zipText } from "./zip-xml.js";

/**
 * Reads a pptx: for each slide in presentation order its title, the paragraphs of its other
 * text boxes, its tables, charts and pictures, and its speaker notes.
 */
export async function readDeck(data: Buffer): Promise<DeckContent> {
  const zip = await openZip(data);
  const presentation = await zipText(zip, "ppt/presentation.xml");
  if (!presentation) throw new Error("not a presentation: ppt/presentation.xml is missing");
  const rels = relationships(await zipText(zip, "ppt/_rels/presentation.xml.rels"));
  const slides: SlideContent[] = [];
  for (const id of elements(elements(presentation, "p:sldIdLst")[0] ?? "", "p:sldId")) {
    const target = rels.get(attribute(id, "p:sldId", "r:id") ?? "")?.target;
    if (!target) continue;
    const part = resolvePart("ppt/presentation.xml", target);
    const xml = (await zipText(zip, part)) ?? "";
    const slideRels = relationships(await zipText(zip, relsPathOf(part)));
    let title = "";
    const text: string[] = [];
    for (const shape of elements(xml, "p:sp")) {
      const paragraphs = elements(shape, "a:p").map((p) => textOf(p, "a:t")).filter((t) => t.trim());
      const ph = attribute(shape, "p:ph", "type");
      const name = attribute(shape, "p:cNvPr", "name") ?? "";
      if (!title && (ph === "title" || ph === "ctrTitle" || /^title\b/i.test(name))) title = paragraphs.join(" ");
      else text.push(...paragraphs);
    }
    const tables = elements(xml, "a:tbl").map((tbl) => elements(tbl, "a:tr").map((tr) => elements(tr, "a:tc").map((tc) => elements(tc, "a:p").map((p) => textOf(p, "a:t")).join("\n"))));
    const charts: SlideContent["charts"] = [];
    for (const frame of elements(xml, "p:graphicFrame")) {
      const relId = attribute(frame, "c:chart", "r:id");
      const chartTarget = relId ? slideRels.get(relId)?.target : undefined;
      const chartXml = chartTarget ? await zipText(zip, resolvePart(part, chartTarget)) : undefined;
      if (!chartXml) continue;
      const info = parseChartXml(chartXml);
      charts.push({ type: info.type, ...(info.title ? { title: info.title } : {}), series: info.series.map((s) => (s.name ? { name: s.name } : {})) });
    }
    let notes = "";
    const notesRel = [...slideRels.values()].find((r) => r.type.endsWith("/notesSlide"));
    if (notesRel) {
      const notesXml = (await zipText(zip, resolvePart(part, notesRel.target))) ?? "";
      notes = elements(notesXml, "p:sp")
        .filter((shape) => attribute(shape, "p:ph", "type") === "body")
        .flatMap((shape) => elements(shape, "a:p").map((p) => textOf(p, "a:t")))
        .join("\n")
        .trim();
    }
    slides.push({ number: slides.length + 1, title, text, tables, charts, images: elements(xml, "p:pic").length, notes });
  }
  return { slides };
}
