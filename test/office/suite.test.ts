import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runTask } from "../../src/eval/run-task.js";
import { loadSuite, type PreparedTask, prepareTask } from "../../src/eval/task.js";
import { Host } from "../../src/host/host.js";
import type { SlideSpec } from "../../src/office/deck.js";
import { writeDeck } from "../../src/office/deck-write.js";
import type { BlockSpec } from "../../src/office/document.js";
import { writeDocument } from "../../src/office/document-write.js";
import { type SheetSpec, writeXlsx } from "../../src/office/workbook-write.js";
import { tempRepo } from "../helpers.js";

const suiteDir = path.join(import.meta.dirname, "..", "..", "suites", "office");
const tasks = loadSuite(suiteDir);
const host = new Host({ store: ":memory:", home: tempRepo() });
const opened: PreparedTask[] = [];
afterAll(async () => {
  for (const p of opened) await p.close();
  host.close();
});

const sheet = async (ws: string, file: string, sheets: SheetSpec[]) => writeFileSync(path.join(ws, file), await writeXlsx(sheets));
const deck = async (ws: string, file: string, slides: SlideSpec[]) => writeFileSync(path.join(ws, file), await writeDeck(slides, async () => Buffer.alloc(0)));
const doc = async (ws: string, file: string, blocks: BlockSpec[]) => writeFileSync(path.join(ws, file), await writeDocument(blocks));

/** For each task, a deliverable that is plausible but wrong in one way its checker must catch. */
const WRONG: Record<string, { write: (ws: string) => Promise<void>; reason: RegExp }> = {
  "clean-export": {
    // Dates left as text.
    write: (ws) => sheet(ws, "orders-clean.xlsx", [{ name: "Orders", rows: [["Order", "Date", "Customer", "Amount"], ["A-1001", "03/01/2024", "Northwind", 1200.5], ["A-1002", "2024-03-04", "Contoso", 75], ["A-1003", "Mar 7, 2024", "Fabrikam", 2310], ["A-1004", "03/12/2024", "Northwind", 18.25], ["A-1005", "2024-03-15", "Litware", 940]] }]),
    reason: /B2 must be a real date, not text/,
  },
  "pivot-summary": {
    // Totals typed in instead of formulas.
    write: (ws) => sheet(ws, "summary.xlsx", [{ name: "Summary", rows: [["Region", "Units", "Revenue"], ["North", 19, 2020], ["South", 10, 1750], ["West", 11, 1290], ["Total", 40, 5060]] }]),
    reason: /B5 formula: expected "SUM\(B2:B4\)", found ""/,
  },
  "sales-chart": {
    write: (ws) => sheet(ws, "traffic.xlsx", [{ name: "Traffic", rows: [["Month", "Visitors"], ["Jan", 1200], ["Feb", 1350], ["Mar", 1610], ["Apr", 1580], ["May", 1720], ["Jun", 1905]], charts: [{ type: "column", title: "Visitors", categories: "A2:A7", series: [{ values: "B2:B6" }] }] }]),
    reason: /a column chart; a line chart was asked for/,
  },
  "fix-formulas": {
    // Only one of the mistakes fixed.
    write: async (ws) => {
      const { updateXlsx } = await import("../../src/office/workbook-write.js");
      const { readFileSync } = await import("node:fs");
      writeFileSync(path.join(ws, "budget.xlsx"), await updateXlsx(readFileSync(path.join(ws, "budget.xlsx")), [{ cell: "B7", value: "=SUM(B2:B6)" }]));
    },
    reason: /D4: expected "C4-B4", found "B4-C4"/,
  },
  "merge-sheets": {
    // An outer join: the account without a contact slipped in.
    write: (ws) => sheet(ws, "merged.xlsx", [{ name: "Merged", rows: [["ID", "Name", "Email", "Company", "Plan"], [101, "Ana Silva", "ana@northwind.example", "Northwind", "Pro"], [102, "Ben Okafor", "ben@contoso.example", "Contoso", "Team"], [103, "Chen Wu", "chen@fabrikam.example", "Fabrikam", "Enterprise"], [104, "Dev Patel", "dev@litware.example"], [105, null, null, "Tailspin", "Pro"]] }]),
    reason: /merged rows: expected/,
  },
  "dates-as-text": {
    // Weights still text.
    write: (ws) => sheet(ws, "shipments-clean.xlsx", [{ name: "Shipments", rows: [["Ref", "Shipped", "Weight (kg)", "Carrier"], ["S-1", { date: "2024-03-14" }, "1,250", "DHL"], ["S-2", { date: "2024-03-15" }, "980", "UPS"], ["S-3", { date: "2024-03-18" }, "2,040.5", "DHL"], ["S-4", { date: "2024-03-21" }, "75", "FedEx"]] }]),
    reason: /C2 must be a number, not text/,
  },
  "format-budget": {
    // No number format, default widths.
    write: (ws) => sheet(ws, "expenses.xlsx", [{ name: "Expenses", rows: [["Category", "Owner", "Amount"], ["Travel", "Ana", 1250.5], ["Software", "Ben", 899.99], ["Hardware", "Ana", 2400], ["Training", "Chen", 640], ["Catering", "Ben", 315.25], ["Total", null, "=SUM(C2:C6)"]] }]),
    reason: /C2 has the number format General/,
  },
  "filter-to-csv": {
    // "At or below" instead of "below": M-30 is at its level.
    write: async (ws) => writeFileSync(path.join(ws, "low-stock.csv"), 'SKU,Item,Qty\nK-11,"Cable, 5 m",12\nP-20,Power brick,8\nM-30,Mouse,30\nM-31,Keyboard,4\n'),
    reason: /rows: expected/,
  },
  "deck-from-data": {
    // Nine slides, and the summary has no notes.
    write: (ws) =>
      deck(ws, "quarterly-review.pptx", [
        { title: "Quarterly Review", notes: "Hello." },
        ...["North", "South", "East", "West", "Central", "Nordics", "Iberia"].map((title) => ({ title, bullets: ["Revenue: tbd"], notes: "tbd" })),
        { title: "Summary", bullets: ["All good"] },
      ]),
    reason: /the deck has 9 slides; 10 were asked for/,
  },
  "update-deck": {
    // The slide changed but its notes still quote the old price.
    write: (ws) =>
      deck(ws, "pitch.pptx", [
        { title: "Acme Cloud", subtitle: "Investor update", notes: "Thank everyone for coming." },
        { title: "Problem", bullets: ["Teams lose hours to manual reports", "Data lives in ten tools"], notes: "Anchor on the pain." },
        { title: "Pricing", bullets: ["Starter: free", "Pro: $59 per user per month", "Enterprise: custom"], notes: "Pro at $49 is where most teams land." },
        { title: "Traction", table: [["Quarter", "Customers"], ["Q1", 120], ["Q2", 185]], notes: "Growth of 54% quarter on quarter." },
        { title: "Roadmap", bullets: ["Q3: self-serve onboarding", "Q4: SSO and audit logs", "Q1: EU data residency"] },
        { title: "Thank you", subtitle: "hello@acme.example" },
      ]),
    reason: /the old price \$49 is still in the deck/,
  },
  "memo-table": {
    // No Total row.
    write: (ws) => doc(ws, "memo.docx", [{ heading: "Headcount memo" }, { paragraph: "Headcount by department for the leadership team." }, { table: [["Department", "Headcount", "Open roles"], ["Engineering", 42, 6], ["Sales", 18, 3], ["Support", 11, 2], ["Finance", 5, 0]] }]),
    reason: /table: expected/,
  },
  "contract-redline": {
    // The whole clause struck and retyped: right words, but not a redline.
    write: (ws) =>
      doc(ws, "clause-redline.docx", [
        {
          redline: {
            original: "7.Payment:The_Customer_shall_pay_each_invoice_within_30_days_of_receipt. The_Supplier_may_suspend_the_services_without_notice_if_an_invoice_is_overdue. This_agreement_is_governed_by_the_laws_of_the_State_of_New_York.",
            revised: "7. Payment. The Customer shall pay each invoice within 45 days of receipt. The Supplier may suspend the services if an invoice is overdue by more than 15 days. This agreement is governed by the laws of the State of Delaware.",
          },
        },
      ]),
    reason: /characters are marked deleted: mark only what changed/,
  },
  "report-from-pdf": {
    // Actions as bullets, and the delayed revenue left out.
    write: (ws) =>
      doc(ws, "report.docx", [
        { heading: "Incident summary: INC-2041" },
        { heading: "Impact", level: 2 },
        { paragraph: "Checkout was down for 47 minutes and 3,120 orders failed." },
        { heading: "Timeline", level: 2 },
        { table: [["Time (UTC)", "Event"], ["14:02", "Deploy of payments v2.3 starts"], ["14:05", "Error rate alert fires"], ["14:20", "Rollback begins"], ["14:49", "Checkout fully restored"]] },
        { heading: "Actions", level: 2 },
        { bullets: ["Add a canary stage to payment deploys", "Alert on checkout success rate", "Run a rollback drill each quarter"] },
      ]),
    reason: /the Impact paragraph does not state \$86,400/,
  },
  "letter-from-template": {
    // One letter still has a placeholder; one is missing.
    write: async (ws) => {
      const { mkdirSync } = await import("node:fs");
      mkdirSync(path.join(ws, "letters"));
      const letter = (name: string, amount: string, date: string): BlockSpec[] => [
        { heading: "Acme Finance" },
        { paragraph: `Date: ${date}` },
        { paragraph: `Dear ${name},` },
        { paragraph: `We confirm receipt of your payment of $${amount}. Thank you for your business.` },
        { paragraph: "Kind regards, Acme Finance" },
      ];
      await doc(ws, "letters/lovelace.docx", letter("Ada Lovelace", "1,250.00", "2024-05-01"));
      await doc(ws, "letters/hopper.docx", letter("Grace Hopper", "{{amount}}", "2024-05-02"));
    },
    reason: /letters\/turing\.docx is missing/,
  },
};

describe("the office task suite", () => {
  it("has at least 14 tasks, each with a solution and a wrong deliverable its checker must refuse", () => {
    expect(tasks.length).toBeGreaterThanOrEqual(14);
    expect(tasks.map((t) => t.id.replace("office/", "")).sort()).toEqual(Object.keys(WRONG).sort());
  });

  for (const task of tasks) {
    const name = task.id.replace("office/", "");
    it(`${name}: the scripted solution passes through a guarded session`, async () => {
      const prepared = await prepareTask(task);
      opened.push(prepared);
      const run = await runTask(host, prepared);
      expect(run.session.status).toBe("completed");
      expect(run.session.answer).not.toContain("honesty check");
      expect(run.check).toEqual({ pass: true, reasons: [] });
    }, 120_000);

    it(`${name}: the checker refuses a wrong deliverable and says why`, async () => {
      const prepared = await prepareTask(task);
      opened.push(prepared);
      await WRONG[name]!.write(prepared.workspace);
      const check = await prepared.check();
      expect(check.pass).toBe(false);
      expect(check.reasons.join("\n")).toMatch(WRONG[name]!.reason);
    }, 60_000);
  }
});

