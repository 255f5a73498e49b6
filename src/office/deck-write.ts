import { loadVendor } from "../vendor/load.js";
// pptxgenjs's types are CommonJS-shaped: under NodeNext its class sits one `default` deeper
// than where Node's ESM import puts it at run time, so it is reached by type and picked at run time.
type PptxGenJS = InstanceType<(typeof import("pptxgenjs"))["default"]>;
type PptxSlide = ReturnType<PptxGenJS["addSlide"]>;

async function loadPptx(): Promise<new () => PptxGenJS> {
  const mod = (await loadVendor.pptxgenjs()) as unknown as { default: { default?: unknown } };
  return (mod.default.default ?? mod.default) as new () => PptxGenJS;
}
import type { SlideSpec } from "./deck.js";
import { OfficeInputError } from "./workbook-write.js";

/** Reads an image a slide names; the caller confines the path to the workspace. */
export type ImageLoader = (path: string) => Promise<Buffer>;

const WIDTH = 10; // LAYOUT_16x9 is 10 × 5.625 inches
const CHART_TYPES = { column: "bar", bar: "bar", line: "line", pie: "pie" } as const;

/**
 * Writes a 16:9 deck: each slide a title, then its body. Bullets take the left half when the
 * slide also has a table, chart or image, which takes the right; alone, either takes the width.
 * Titles are named "Title" so a reader (ours, or LibreOffice's outline) finds them.
 */
export async function writeDeck(slides: SlideSpec[], loadImage: ImageLoader): Promise<Buffer> {
  if (slides.length === 0) throw new OfficeInputError("a deck needs at least one slide");
  const Pptx = await loadPptx();
  const deck = new Pptx();
  deck.layout = "LAYOUT_16x9";
  deck.author = "colleague";
  for (const spec of slides) {
    const slide = deck.addSlide();
    let top = 0.35;
    if (spec.title) {
      slide.addText(spec.title, { x: 0.5, y: top, w: WIDTH - 1, h: 0.8, fontSize: 28, bold: true, color: "1F3864", objectName: "Title" });
      top += 0.85;
    }
    if (spec.subtitle) {
      slide.addText(spec.subtitle, { x: 0.5, y: top, w: WIDTH - 1, h: 0.5, fontSize: 16, color: "595959", objectName: "Subtitle" });
      top += 0.55;
    }
    const visual = spec.table || spec.chart || spec.image;
    const height = 5.625 - top - 0.3;
    const bulletsWidth = visual ? (WIDTH - 1) / 2 - 0.15 : WIDTH - 1;
    if (spec.bullets?.length) {
      slide.addText(
        spec.bullets.map((text) => ({ text, options: { bullet: true, breakLine: true } })),
        { x: 0.5, y: top, w: bulletsWidth, h: height, fontSize: spec.bullets.length > 6 ? 14 : 18, valign: "top", objectName: "Body" },
      );
    }
    const box = spec.bullets?.length ? { x: 0.5 + bulletsWidth + 0.3, y: top, w: WIDTH - 1 - bulletsWidth - 0.3, h: height } : { x: 0.5, y: top, w: WIDTH - 1, h: height };
    if (spec.table) addTable(slide, spec.table, box);
    else if (spec.chart) addChart(deck, slide, spec.chart, box);
    else if (spec.image) {
      const data = await loadImage(spec.image);
      const type = /\.jpe?g$/i.test(spec.image) ? "jpeg" : "png";
      slide.addImage({ data: `image/${type};base64,${data.toString("base64")}`, ...box, sizing: { type: "contain", w: box.w, h: box.h } });
    }
    if (spec.notes) slide.addNotes(spec.notes);
  }
  const out = await deck.write({ outputType: "nodebuffer" });
  return Buffer.from(out as Uint8Array);
}

function addTable(slide: PptxSlide, rows: Array<Array<string | number>>, box: { x: number; y: number; w: number; h: number }): void {
  const columns = Math.max(1, ...rows.map((r) => r.length));
  const cells = rows.map((row, r) =>
    Array.from({ length: columns }, (_, c) => ({ text: String(row[c] ?? ""), options: r === 0 ? { bold: true, fill: { color: "D9E2F3" } } : {} })),
  );
  slide.addTable(cells, { x: box.x, y: box.y, w: box.w, fontSize: rows.length > 10 ? 10 : 12, border: { type: "solid", pt: 0.75, color: "8EA9DB" }, autoPage: false });
}

function addChart(deck: PptxGenJS, slide: PptxSlide, chart: NonNullable<SlideSpec["chart"]>, box: { x: number; y: number; w: number; h: number }): void {
  for (const s of chart.series) {
    if (s.values.length !== chart.categories.length) throw new OfficeInputError(`chart series "${s.name}" has ${s.values.length} values for ${chart.categories.length} categories`);
  }
  const data = chart.series.map((s) => ({ name: s.name, labels: chart.categories, values: s.values }));
  const type = deck.ChartType[CHART_TYPES[chart.type]];
  slide.addChart(type, data, {
    ...box,
    ...(chart.type === "bar" ? { barDir: "bar" } : chart.type === "column" ? { barDir: "col" } : {}),
    ...(chart.title ? { showTitle: true, title: chart.title } : {}),
    showLegend: chart.series.length > 1 || chart.type === "pie",
    legendPos: "b",
  });
}
