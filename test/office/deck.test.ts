import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readDeck } from "../../src/office/deck-read.js";
import { deckWriteTool } from "../../src/tools/office/index.js";
import { sandbox } from "../tools/helpers.js";

// A 1×1 transparent PNG.
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==", "base64");

describe("decks", () => {
  it("a deck written by the tool is read back: titles, bullets, tables, charts, pictures and speaker notes in order", async () => {
    const box = sandbox();
    box.write("logo.png", PNG);
    const wrote = await box.call(deckWriteTool, {
      path: "d.pptx",
      slides: [
        { title: "Intro", subtitle: "Q2", notes: "Say hello & welcome <all>." },
        { title: "Table", bullets: ["left"], table: [["A", "B"], [1, 2]], notes: "Numbers." },
        { title: "Chart", chart: { type: "bar", title: "Sales", categories: ["x", "y"], series: [{ name: "S", values: [1, 2] }] } },
        { title: "Logo", image: "logo.png", notes: "The logo." },
      ],
    });
    expect(wrote).toMatchObject({ isError: false, text: "Wrote d.pptx: 4 slides, 3 with speaker notes. Render it with office_render to check how it looks." });
    const deck = await readDeck(readFileSync(path.join(box.root, "d.pptx")));
    expect(deck.slides).toEqual([
      { number: 1, title: "Intro", text: ["Q2"], tables: [], charts: [], images: 0, notes: "Say hello & welcome <all>." },
      { number: 2, title: "Table", text: ["left"], tables: [[["A", "B"], ["1", "2"]]], charts: [], images: 0, notes: "Numbers." },
      { number: 3, title: "Chart", text: [], tables: [], charts: [{ type: "bar", title: "Sales", series: [{ name: "S" }] }], images: 0, notes: "" },
      { number: 4, title: "Logo", text: [], tables: [], charts: [], images: 1, notes: "The logo." },
    ]);
  });

  it("refuses two visuals on a slide, a chart whose series do not fit its categories, and an image outside the workspace", async () => {
    const box = sandbox();
    const two = await box.call(deckWriteTool, { path: "d.pptx", slides: [{ table: [["a"]], image: "x.png" }] });
    expect(two).toMatchObject({ isError: true, text: "slide 1 has 2 visuals; give one of table, chart or image per slide" });
    const chart = await box.call(deckWriteTool, { path: "d.pptx", slides: [{ chart: { type: "pie", categories: ["a", "b"], series: [{ name: "s", values: [1] }] } }] });
    expect(chart).toMatchObject({ isError: true, text: 'chart series "s" has 1 values for 2 categories' });
    const outside = await box.call(deckWriteTool, { path: "d.pptx", slides: [{ image: "../outside/secret.png" }] });
    expect(outside.isError).toBe(true);
    expect(outside.text).toMatch(/outside the workspace/);
  });
});
