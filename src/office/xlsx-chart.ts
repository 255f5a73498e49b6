import { attribute, elements, escapeXml, openZip, relationships, relsPathOf, resolvePart, textOf, zipText } from "./zip-xml.js";
import type { ChartInfo } from "./workbook.js";

/**
 * Native Excel charts. exceljs writes no charts, so the chart parts (DrawingML chart XML, a
 * drawing that anchors it to cells, their relationships and content types) are added to the
 * workbook exceljs wrote. The chart refers to the sheet's cells, so Excel and LibreOffice draw
 * it from the data and redraw it when the data changes.
 */

export interface ChartSpec {
  type: "column" | "bar" | "line" | "pie";
  title?: string;
  /** The category labels, a range on the same sheet: "A2:A7". */
  categories: string;
  series: Array<{ name?: string; values: string }>;
  /** The top-left cell the chart is placed at (default: two columns right of the data). */
  anchor?: string;
}

const NS_C = "http://schemas.openxmlformats.org/drawingml/2006/chart";
const NS_A = "http://schemas.openxmlformats.org/drawingml/2006/main";
const NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const REL_DRAWING = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/drawing";
const REL_CHART = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/chart";

/** A range made absolute and qualified with its sheet: "A2:A7" → "'Sales'!$A$2:$A$7". */
export function qualifiedRange(sheet: string, range: string): string {
  if (range.includes("!")) return range;
  const abs = range
    .split(":")
    .map((ref) => ref.replace(/^\$?([A-Z]+)\$?(\d+)$/i, (_, col: string, row: string) => `$${col.toUpperCase()}$${row}`))
    .join(":");
  return `'${sheet.replace(/'/g, "''")}'!${abs}`;
}

function seriesXml(chart: ChartSpec, sheet: string, index: number): string {
  const s = chart.series[index]!;
  const name = s.name ? `<c:tx><c:v>${escapeXml(s.name)}</c:v></c:tx>` : "";
  const cat = `<c:cat><c:strRef><c:f>${escapeXml(qualifiedRange(sheet, chart.categories))}</c:f></c:strRef></c:cat>`;
  const val = `<c:val><c:numRef><c:f>${escapeXml(qualifiedRange(sheet, s.values))}</c:f></c:numRef></c:val>`;
  const head = `<c:idx val="${index}"/><c:order val="${index}"/>${name}`;
  if (chart.type === "line") return `<c:ser>${head}<c:marker><c:symbol val="circle"/></c:marker>${cat}${val}<c:smooth val="0"/></c:ser>`;
  if (chart.type === "pie") return `<c:ser>${head}${cat}${val}</c:ser>`;
  return `<c:ser>${head}<c:invertIfNegative val="0"/>${cat}${val}</c:ser>`;
}

export function chartXml(chart: ChartSpec, sheet: string): string {
  const series = chart.series.map((_, i) => seriesXml(chart, sheet, i)).join("");
  const axes = '<c:axId val="50010"/><c:axId val="50020"/>';
  let plot: string;
  if (chart.type === "pie") plot = `<c:pieChart><c:varyColors val="1"/>${series}<c:firstSliceAng val="0"/></c:pieChart>`;
  else if (chart.type === "line") plot = `<c:lineChart><c:grouping val="standard"/><c:varyColors val="0"/>${series}<c:marker val="1"/>${axes}</c:lineChart>`;
  else
    plot = `<c:barChart><c:barDir val="${chart.type === "bar" ? "bar" : "col"}"/><c:grouping val="clustered"/><c:varyColors val="0"/>${series}<c:gapWidth val="150"/>${axes}</c:barChart>`;
  const axisXml =
    chart.type === "pie"
      ? ""
      : `<c:catAx><c:axId val="50010"/><c:scaling><c:orientation val="minMax"/></c:scaling><c:delete val="0"/><c:axPos val="${chart.type === "bar" ? "l" : "b"}"/><c:numFmt formatCode="General" sourceLinked="1"/><c:tickLblPos val="nextTo"/><c:crossAx val="50020"/><c:crosses val="autoZero"/><c:auto val="1"/><c:lblAlgn val="ctr"/><c:lblOffset val="100"/></c:catAx>` +
        `<c:valAx><c:axId val="50020"/><c:scaling><c:orientation val="minMax"/></c:scaling><c:delete val="0"/><c:axPos val="${chart.type === "bar" ? "b" : "l"}"/><c:majorGridlines/><c:numFmt formatCode="General" sourceLinked="1"/><c:tickLblPos val="nextTo"/><c:crossAx val="50010"/><c:crosses val="autoZero"/><c:crossBetween val="between"/></c:valAx>`;
  const title = chart.title
    ? `<c:title><c:tx><c:rich><a:bodyPr/><a:p><a:r><a:t>${escapeXml(chart.title)}</a:t></a:r></a:p></c:rich></c:tx><c:overlay val="0"/></c:title><c:autoTitleDeleted val="0"/>`
    : '<c:autoTitleDeleted val="1"/>';
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<c:chartSpace xmlns:c="${NS_C}" xmlns:a="${NS_A}" xmlns:r="${NS_R}"><c:roundedCorners val="0"/><c:chart>${title}<c:plotArea><c:layout/>${plot}${axisXml}</c:plotArea><c:legend><c:legendPos val="b"/><c:overlay val="0"/></c:legend><c:plotVisOnly val="1"/></c:chart></c:chartSpace>`;
}

function anchorXml(from: { row: number; column: number }, index: number, relId: string): string {
  const cell = (tag: string, col: number, row: number) =>
    `<xdr:${tag}><xdr:col>${col}</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>${row}</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:${tag}>`;
  const col = from.column - 1;
  const row = from.row - 1 + index * 17;
  return `<xdr:twoCellAnchor>${cell("from", col, row)}${cell("to", col + 5, row + 15)}<xdr:graphicFrame macro=""><xdr:nvGraphicFramePr><xdr:cNvPr id="${index + 2}" name="Chart ${index + 1}"/><xdr:cNvGraphicFramePr/></xdr:nvGraphicFramePr><xdr:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/></xdr:xfrm><a:graphic><a:graphicData uri="${NS_C}"><c:chart xmlns:c="${NS_C}" xmlns:r="${NS_R}" r:id="${relId}"/></a:graphicData></a:graphic></xdr:graphicFrame><xdr:clientData/></xdr:twoCellAnchor>`;
}

/** The worksheet part of each sheet name, from the workbook part and its relationships. */
async function sheetParts(zip: Awaited<ReturnType<typeof openZip>>): Promise<Map<string, string>> {
  const workbook = (await zipText(zip, "xl/workbook.xml")) ?? "";
  const rels = relationships(await zipText(zip, "xl/_rels/workbook.xml.rels"));
  const parts = new Map<string, string>();
  for (const sheet of elements(workbook, "sheet")) {
    const name = attribute(sheet, "sheet", "name");
    const id = attribute(sheet, "sheet", "r:id");
    const target = id ? rels.get(id)?.target : undefined;
    if (name && target) parts.set(name, resolvePart("xl/workbook.xml", target));
  }
  return parts;
}

/** Adds charts to sheets of an xlsx written by exceljs (which made no drawings of its own). */
export async function addXlsxCharts(data: Buffer, charts: Array<{ sheet: string; chart: ChartSpec; anchor: { row: number; column: number } }>): Promise<Buffer> {
  if (charts.length === 0) return data;
  const zip = await openZip(data);
  const parts = await sheetParts(zip);
  let types = (await zipText(zip, "[Content_Types].xml")) ?? "";
  let chartNo = 0;
  let drawingNo = 0;
  const bySheet = new Map<string, typeof charts>();
  for (const c of charts) bySheet.set(c.sheet, [...(bySheet.get(c.sheet) ?? []), c]);
  for (const [sheet, list] of bySheet) {
    const part = parts.get(sheet);
    if (!part) throw new Error(`no sheet named ${sheet} for the chart`);
    drawingNo++;
    const drawingPart = `xl/drawings/drawing${drawingNo}.xml`;
    const anchors: string[] = [];
    const drawingRels: string[] = [];
    list.forEach((c, i) => {
      chartNo++;
      zip.file(`xl/charts/chart${chartNo}.xml`, chartXml(c.chart, sheet));
      types = types.replace("</Types>", `<Override PartName="/xl/charts/chart${chartNo}.xml" ContentType="application/vnd.openxmlformats-officedocument.drawingml.chart+xml"/></Types>`);
      drawingRels.push(`<Relationship Id="rId${i + 1}" Type="${REL_CHART}" Target="../charts/chart${chartNo}.xml"/>`);
      anchors.push(anchorXml(c.anchor, i, `rId${i + 1}`));
    });
    zip.file(
      drawingPart,
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing" xmlns:a="${NS_A}">${anchors.join("")}</xdr:wsDr>`,
    );
    zip.file(relsPathOf(drawingPart), `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${drawingRels.join("")}</Relationships>`);
    types = types.replace("</Types>", `<Override PartName="/${drawingPart}" ContentType="application/vnd.openxmlformats-officedocument.drawing+xml"/></Types>`);
    const relsPart = relsPathOf(part);
    const relsXml = (await zipText(zip, relsPart)) ?? '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"></Relationships>';
    const relId = "rIdColleagueDrawing1";
    zip.file(relsPart, relsXml.replace("</Relationships>", `<Relationship Id="${relId}" Type="${REL_DRAWING}" Target="../drawings/drawing${drawingNo}.xml"/></Relationships>`));
    let sheetXml = (await zipText(zip, part)) ?? "";
    if (!sheetXml.includes("xmlns:r=")) sheetXml = sheetXml.replace("<worksheet ", `<worksheet xmlns:r="${NS_R}" `);
    // The schema orders a worksheet's children: <drawing> goes before these, or at the end.
    const before = ["<legacyDrawing", "<legacyDrawingHF", "<picture", "<oleObjects", "<controls", "<webPublishItems", "<tableParts", "<extLst", "</worksheet>"];
    const at = Math.min(...before.map((tag) => sheetXml.indexOf(tag)).filter((i) => i >= 0));
    sheetXml = `${sheetXml.slice(0, at)}<drawing r:id="${relId}"/>${sheetXml.slice(at)}`;
    zip.file(part, sheetXml);
  }
  zip.file("[Content_Types].xml", types);
  return zip.generateAsync({ type: "nodebuffer", compression: "DEFLATE" });
}

/** The charts of each sheet of an xlsx, by sheet name. */
export async function readXlsxCharts(data: Buffer): Promise<Map<string, ChartInfo[]>> {
  const zip = await openZip(data);
  const out = new Map<string, ChartInfo[]>();
  for (const [name, part] of await sheetParts(zip)) {
    const charts: ChartInfo[] = [];
    for (const rel of relationships(await zipText(zip, relsPathOf(part))).values()) {
      if (!rel.type.endsWith("/drawing")) continue;
      const drawingPart = resolvePart(part, rel.target);
      for (const chartRel of relationships(await zipText(zip, relsPathOf(drawingPart))).values()) {
        if (!chartRel.type.endsWith("/chart")) continue;
        const xml = await zipText(zip, resolvePart(drawingPart, chartRel.target));
        if (xml) charts.push(parseChartXml(xml));
      }
    }
    if (charts.length) out.set(name, charts);
  }
  return out;
}

/** Type, title and series ranges of a DrawingML chart part (xlsx and pptx alike). */
export function parseChartXml(xml: string): ChartInfo {
  const kind = /<c:(bar|line|pie|pie3D|area|scatter|doughnut|radar|bar3D|line3D)Chart>/.exec(xml)?.[1] ?? "unknown";
  const barDir = attribute(xml, "c:barDir", "val");
  const type = kind.startsWith("bar") ? (barDir === "bar" ? "bar" : "column") : kind.replace("3D", "");
  const titleXml = elements(xml, "c:title")[0];
  const title = titleXml ? textOf(titleXml, "a:t") : "";
  const series = elements(xml, "c:ser").map((ser) => {
    const tx = elements(ser, "c:tx")[0] ?? "";
    const name = textOf(tx, "c:v") || textOf(tx, "c:f");
    const categories = textOf(elements(ser, "c:cat")[0] ?? "", "c:f");
    const values = textOf(elements(ser, "c:val")[0] ?? "", "c:f");
    return { ...(name ? { name } : {}), ...(categories ? { categories } : {}), ...(values ? { values } : {}) };
  });
  return { type, ...(title ? { title } : {}), series };
}
