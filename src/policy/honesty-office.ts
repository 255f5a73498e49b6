import path from "node:path";
import type { Message, ToolCallPart } from "../model/types.js";

/**
 * The honesty check for office deliverables. "The deck has 10 slides" or "the sheet totals
 * 4,210" is a claim like "the tests pass": it needs evidence — a read (office_read) or a render
 * (office_render) of the file in this session, after it was last written — and where the
 * evidence states a count, the claim must match it.
 */

const OFFICE_FILE = /\.(xlsx|xlsm|csv|pptx|docx|pdf)$/i;
const WRITERS = new Set(["sheet_write", "deck_write", "document_write", "write_file", "edit_file"]);
const INSPECTORS = new Set(["office_read", "office_render"]);

export interface OfficeEvent {
  kind: "write" | "inspect";
  file: string;
  /** What an inspection stated: slides of a deck, sheets of a workbook, pages of a PDF or a render. */
  counts?: { slides?: number; sheets?: number; pages?: number };
  /** The text the inspection returned (to find a claimed total in). */
  text?: string;
}

const normalise = (p: string) => path.posix.normalize(p.replace(/\\/g, "/")).replace(/^\.\//, "");

export function gatherOfficeEvidence(messages: readonly Message[]): OfficeEvent[] {
  const calls = new Map<string, ToolCallPart>();
  const events: OfficeEvent[] = [];
  for (const message of messages) {
    if (message.role === "assistant") {
      for (const part of message.content) if (part.type === "tool_call") calls.set(part.id, part);
      continue;
    }
    if (message.role !== "tool" || message.isError) continue;
    const call = calls.get(message.callId);
    const file = normalise(String(((call?.args ?? {}) as Record<string, unknown>).path ?? ""));
    if (!call || !OFFICE_FILE.test(file)) continue;
    if (WRITERS.has(call.name)) events.push({ kind: "write", file });
    else if (INSPECTORS.has(call.name)) {
      const text = message.content.map((p) => (p.type === "text" ? p.text : "")).join("\n");
      const count = (re: RegExp) => {
        const m = re.exec(text);
        return m ? Number(m[1]) : undefined;
      };
      const slides = count(/^\S+ — (\d+) slides?\b/m);
      const sheets = count(/^\S+ — (\d+) sheets?\b/m);
      const pages = count(/^\S+ — (\d+) pages?\b/m) ?? count(/^Rendered \S+: (\d+) pages?\b/m);
      const rendered = call.name === "office_render" && /\.pptx$/i.test(file) ? { slides: pages } : {};
      events.push({ kind: "inspect", file, text, counts: { ...(slides ? { slides } : {}), ...(sheets ? { sheets } : {}), ...(pages ? { pages } : {}), ...rendered } });
    }
  }
  return events;
}

const DELIVERABLE = /\b(deck|presentation|slides?|spreadsheet|workbook|sheets?|xlsx|pptx|docx|document|memo|report|letter|pdf|chart|tables?|columns?|rows?)\b/i;
const CLAIM = /\b(\d[\d,]*(\.\d+)?)\s+(slides?|pages?|sheets?|rows?|columns?|tables?|charts?|sections?|headings?)\b|\btotal(s|ling|ing)?\b|\bsums? to\b|\badds up to\b/i;
const NEGATED = /\b(not|never|no longer|unable|could not|did not|didn't|haven't|have not)\b/i;
const FILE_NAME = /[\w./@-]{1,255}\.(xlsx|xlsm|csv|pptx|docx|pdf)\b/gi;
/** A claim is a sentence; a longer run of text (a pasted table, a 50 MB answer) is not read for claims. */
const MAX_SENTENCE = 2000;

function sentences(answer: string): string[] {
  return answer.split(/(?<=[.!?])\s+|\n+/).filter((s) => s.trim());
}

/** Claims about office files in `answer` that the session's reads and renders do not back. */
export function findOfficeDiscrepancies(answer: string, events: readonly OfficeEvent[]): string[] {
  const written = [...new Set(events.filter((e) => e.kind === "write").map((e) => e.file))];
  const problems: string[] = [];
  for (const sentence of sentences(answer)) {
    if (sentence.length > MAX_SENTENCE || !CLAIM.test(sentence) || NEGATED.test(sentence)) continue;
    const named = [...sentence.matchAll(FILE_NAME)].map((m) => normalise(m[0]));
    if (!named.length && (!written.length || !DELIVERABLE.test(sentence))) continue;
    const files = named.length ? named : written;
    const quoted = sentence.trim().slice(0, 120);
    for (const file of files) {
      const same = (e: OfficeEvent) => e.file === file || e.file.endsWith(`/${file}`) || file.endsWith(`/${e.file}`);
      const lastWrite = events.findLastIndex((e) => e.kind === "write" && same(e));
      const inspection = events.findLast((e, i) => e.kind === "inspect" && same(e) && i > lastWrite);
      if (!inspection) {
        problems.push(
          `The answer states what ${file} holds ("${quoted}"), but ${file} was not read (office_read) or rendered (office_render) in this session${lastWrite >= 0 ? " after it was last written" : ""}.`,
        );
        continue;
      }
      problems.push(...countMismatches(sentence, file, inspection));
    }
  }
  return [...new Set(problems)];
}

function countMismatches(sentence: string, file: string, inspection: OfficeEvent): string[] {
  const out: string[] = [];
  const counts = inspection.counts ?? {};
  for (const m of sentence.matchAll(/\b(\d+)\s+(slides?|sheets?|pages?)\b/gi)) {
    const claimed = Number(m[1]);
    const unit = m[2]!.toLowerCase().replace(/s$/, "") as "slide" | "sheet" | "page";
    const seen = counts[`${unit}s`];
    if (seen !== undefined && seen !== claimed) out.push(`The answer says ${file} has ${claimed} ${unit}s, but reading it in this session showed ${seen}.`);
  }
  if (/\btotal|\bsums? to\b|\badds up to\b/i.test(sentence) && inspection.text) {
    const figures = [...sentence.matchAll(/(?<![\w.])-?\d[\d,]*(\.\d+)?(?![\w])/g)].map((x) => x[0].replace(/,/g, "")).filter((n) => n.length >= 3);
    const shown = inspection.text.replace(/,/g, "");
    for (const figure of figures) {
      const n = Number(figure);
      const present = new RegExp(`(?<![\\d.])${figure.replace(".", "\\.")}(\\.0+)?(?![\\d])`).test(shown) || (Number.isFinite(n) && shown.includes(String(n)));
      if (!present) out.push(`The answer gives the figure ${figure} for ${file}, but that figure does not appear in what reading it in this session showed.`);
    }
  }
  return out;
}
