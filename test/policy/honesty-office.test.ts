import { describe, expect, it } from "vitest";
import type { Message } from "../../src/model/types.js";
import { findDiscrepancies, gatherEvidence } from "../../src/policy/honesty.js";

let n = 0;
/** A tool call and its result, as the conversation records them. */
function call(name: string, args: Record<string, unknown>, result: string, isError = false): Message[] {
  const id = `c${++n}`;
  return [
    { role: "assistant", content: [{ type: "tool_call", id, name, args }], model: "scripted:t", api: "scripted", stopReason: "tool_use", usage: { input: 0, output: 0 } } as Message,
    { role: "tool", callId: id, name, content: [{ type: "text", text: result }], isError },
  ];
}
const writeDeck = call("deck_write", { path: "deck.pptx", slides: [] }, "Wrote deck.pptx: 10 slides, 10 with speaker notes.");
const readDeck = (slides: number) => call("office_read", { path: "deck.pptx" }, `deck.pptx — ${slides} slides\n\n## Slide 1: Hello`);
const renderDeck = call("office_render", { path: "deck.pptx" }, "Rendered deck.pptx: 10 pages → renders/deck/page-N.png");
const writeSheet = call("sheet_write", { path: "sales.xlsx", sheets: [] }, "Wrote sales.xlsx");
const readSheet = call("office_read", { path: "sales.xlsx" }, 'sales.xlsx — 1 sheet: Sales\n\n## Sheet "Sales"\nrow 9: A9 "Total" | B9 =SUM(B2:B8) → 4210');
const check = (answer: string, ...history: Message[][]) => findDiscrepancies(answer, gatherEvidence(history.flat()));

describe("the honesty check on office deliverables", () => {
  it("a claim about a deck that was written but never read or rendered needs evidence", () => {
    const problems = check("The deck has 10 slides with speaker notes.", writeDeck);
    expect(problems).toEqual([expect.stringMatching(/states what deck\.pptx holds .* not read \(office_read\) or rendered \(office_render\) in this session after it was last written/)]);
    expect(check("I wrote `deck.pptx`: 10 slides covering the quarter.", writeDeck)).toHaveLength(1);
  });

  it("a read or a render after the last write is evidence; a write after it is not", () => {
    expect(check("The deck has 10 slides with speaker notes.", writeDeck, readDeck(10))).toEqual([]);
    expect(check("The deck has 10 slides.", writeDeck, renderDeck)).toEqual([]);
    expect(check("The deck has 10 slides.", writeDeck, readDeck(10), writeDeck)).toHaveLength(1);
  });

  it("a count that contradicts what the read showed is flagged", () => {
    expect(check("deck.pptx has 12 slides.", writeDeck, readDeck(10))).toEqual(["The answer says deck.pptx has 12 slides, but reading it in this session showed 10."]);
  });

  it("a total must appear in what the read of the workbook showed", () => {
    expect(check("The sheet totals 4,210.", writeSheet, readSheet)).toEqual([]);
    expect(check("The sheet totals 4,310.", writeSheet, readSheet)).toEqual([
      "The answer gives the figure 4310 for sales.xlsx, but that figure does not appear in what reading it in this session showed.",
    ]);
    expect(check("The sheet totals 4,210.", writeSheet)).toHaveLength(1);
  });

  it("answers without office claims, negated ones and sessions without office files are left alone", () => {
    expect(check("I wrote the deck; I did not check how many slides it has.", writeDeck)).toEqual([]);
    expect(check("The function returns 3 rows from the database.", call("write_file", { path: "a.ts", content: "" }, "Created a.ts"))).toEqual([]);
    expect(check("Done: see deck.pptx.", writeDeck)).toEqual([]);
    // A write through an office tool counts as a change of that file.
    expect(check("I created `deck.pptx`.", writeDeck)).toEqual([]);
  });
});
