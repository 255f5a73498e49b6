import { copyFileSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";
import type { AgentEvent } from "../../src/agent/events.js";
import { Host } from "../../src/host/host.js";
import { createScriptedModel } from "../../src/model/scripted.js";
import { renderUnavailable } from "../../src/office/render.js";
import { probeSandboxBackends } from "../../src/policy/sandbox/index.js";
import { deckWriteTool, officeReadTool, officeRenderTool, sheetWriteTool } from "../../src/tools/office/index.js";
import { describeIfAvailable } from "../requires.js";
import { ofType, tempRepo } from "../helpers.js";
import { sandbox } from "../tools/helpers.js";

/** Ten slides of every kind the deck writer makes: title, bullets, a table, a chart, notes. */
const TEN_SLIDES = [
  { title: "Quarterly review", subtitle: "Sales, 2024", notes: "Welcome everyone." },
  { title: "Agenda", bullets: ["Results", "Regions", "Outlook"], notes: "Three parts." },
  { title: "Revenue by quarter", chart: { type: "column", title: "Revenue (k$)", categories: ["Q1", "Q2", "Q3", "Q4"], series: [{ name: "Revenue", values: [120, 135, 150, 170] }] }, notes: "Growth every quarter." },
  { title: "Regions", bullets: ["North leads", "South grows fastest"], table: [["Region", "Revenue"], ["North", 260], ["South", 190], ["West", 125]], notes: "North is the largest." },
  { title: "Share by region", chart: { type: "pie", categories: ["North", "South", "West"], series: [{ name: "Share", values: [45, 33, 22] }] }, notes: "Shares of the year." },
  { title: "Customers", bullets: ["1,200 active", "Churn 3%"], notes: "Retention held." },
  { title: "Trend", chart: { type: "line", categories: ["Jan", "Feb", "Mar"], series: [{ name: "Orders", values: [30, 42, 51] }, { name: "Returns", values: [3, 4, 2] }] }, notes: "Orders up, returns flat." },
  { title: "Risks", bullets: ["Supply delays", "Currency"], notes: "Two risks to watch." },
  { title: "Outlook", bullets: ["Target 700k", "Two new regions"], notes: "Next year." },
  { title: "Questions", subtitle: "Thank you", notes: "Open the floor." },
];

describeIfAvailable("office rendering (LibreOffice + pdftoppm)", renderUnavailable(), () => {
  it("a deck written by the tool opens in LibreOffice and renders to 10 PNGs, returned as images", async () => {
    const box = sandbox();
    const wrote = await box.call(deckWriteTool, { path: "deck.pptx", slides: TEN_SLIDES });
    expect(wrote.isError).toBe(false);
    const read = await box.call(officeReadTool, { path: "deck.pptx" });
    expect(read.text).toMatch(/^deck\.pptx — 10 slides/);
    expect(read.text).toContain("notes: Growth every quarter.");
    const rendered = await box.call(officeRenderTool, { path: "deck.pptx" });
    expect(rendered.isError, rendered.text).toBe(false);
    expect(rendered.text).toContain("Rendered deck.pptx: 10 pages → renders/deck/page-N.png");
    expect(rendered.content.filter((p) => p.type === "image")).toHaveLength(10);
    const pngs = Array.from({ length: 10 }, (_, i) => path.join(box.root, "renders", "deck", `page-${i + 1}.png`));
    for (const png of pngs) {
      const head = readFileSync(png);
      expect(head.subarray(1, 4).toString()).toBe("PNG");
      // 16:9 slides scaled to 1280 on the long side (IHDR width and height; pdftoppm rounds the short side).
      expect(head.readUInt32BE(16)).toBe(1280);
      expect(Math.abs(head.readUInt32BE(20) - 720)).toBeLessThanOrEqual(1);
    }
    // A few slides go to the docs, so a person can see what the tests rendered.
    const docs = path.join(import.meta.dirname, "..", "..", "docs", "images");
    mkdirSync(docs, { recursive: true });
    for (const n of [1, 3, 4, 7]) copyFileSync(pngs[n - 1]!, path.join(docs, `office-deck-slide-${n}.png`));

    const again = await box.call(officeRenderTool, { path: "deck.pptx", pages: "2-3" });
    expect(again.content.filter((p) => p.type === "image")).toHaveLength(2);
    expect(existsSync(path.join(box.root, "renders", "deck", "page-5.png"))).toBe(false);
  }, 240_000);

  it("a spreadsheet with a chart renders, and a missing file is one readable error", async () => {
    const box = sandbox();
    await box.call(sheetWriteTool, {
      path: "sales.xlsx",
      sheets: [{ name: "Sales", rows: [["Region", "Amount"], ["North", 10], ["South", 7]], charts: [{ type: "column", title: "Sales", categories: "A2:A3", series: [{ name: "Amount", values: "B2:B3" }] }] }],
    });
    const rendered = await box.call(officeRenderTool, { path: "sales.xlsx" });
    expect(rendered.isError, rendered.text).toBe(false);
    expect(rendered.content.some((p) => p.type === "image")).toBe(true);
    const missing = await box.call(officeRenderTool, { path: "nope.docx" });
    expect(missing).toMatchObject({ isError: true, text: "no file at nope.docx" });
  }, 240_000);
});

it("without LibreOffice on PATH the render tool is not offered and the notice says why", async () => {
  const { officeTools } = await import("../../src/tools/office/index.js");
  const notices: string[] = [];
  const tools = officeTools((line) => notices.push(line), { PATH: "/nonexistent" });
  expect(tools.map((t) => t.name)).toEqual(["office_read", "sheet_write", "deck_write", "document_write"]);
  expect(notices).toHaveLength(1);
  expect(notices[0]).toMatch(/office_render is not offered: LibreOffice .* and pdftoppm .* not found on PATH/);
});

const sandboxMissing = (() => {
  const works = probeSandboxBackends().find((b) => b.ok);
  return works ? renderUnavailable() : "no sandbox backend works here";
})();

describeIfAvailable("office rendering inside the shell sandbox", sandboxMissing, () => {
  it("a session through the host renders in its sandbox and sees the pages", async () => {
    const home = tempRepo();
    const cwd = tempRepo();
    const host = new Host({ store: ":memory:", home });
    const events: AgentEvent[] = [];
    try {
      const scenario = {
        steps: [
          { toolCalls: [{ name: "document_write", args: { path: "note.docx", blocks: [{ heading: "Rendered in the sandbox" }, { paragraph: "One page." }] } }] },
          { toolCalls: [{ name: "office_render", args: { path: "note.docx" } }] },
          { expect: { lastMessageIncludes: ["Rendered note.docx: 1 page"] }, text: "note.docx renders to 1 page." },
        ],
      };
      const result = await host.startSession({ task: "write a note", cwd, model: createScriptedModel(scenario), permissionMode: "full-auto", sandbox: "on" }, { onEvent: (e) => events.push(e) });
      expect(result.status).toBe("completed");
      const render = ofType(events, "tool_finished").find((e) => e.name === "office_render");
      expect(render?.isError, JSON.stringify(render?.content).slice(0, 400)).toBe(false);
      expect(existsSync(path.join(cwd, "renders", "note", "page-1.png"))).toBe(true);
      expect(ofType(events, "session_started")[0]?.sandbox).not.toBe("off");
    } finally {
      host.close();
    }
  }, 240_000);
});
