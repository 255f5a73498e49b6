/** Documents as structured data: the blocks the writer takes and the reader returns. */

/** One block of a document to write: exactly one of the content keys. */
export interface BlockSpec {
  heading?: string;
  /** Heading level 1–3 (default 1). */
  level?: number;
  /** A paragraph; `**bold**` spans are bold. */
  paragraph?: string;
  bullets?: string[];
  numbered?: string[];
  /** Rows of cells; the first row is the header. */
  table?: Array<Array<string | number>>;
  /** A paragraph shown as tracked changes from `original` to `revised` (Word's Track Changes). */
  redline?: { original: string; revised: string };
  pageBreak?: boolean;
}

export type DocumentBlock =
  | { type: "heading"; level: number; text: string }
  | { type: "paragraph"; text: string }
  | { type: "list"; ordered: boolean; items: string[] }
  | { type: "table"; rows: string[][] };

export interface TrackedChange {
  kind: "insert" | "delete";
  text: string;
  author?: string;
}

export interface DocumentContent {
  blocks: DocumentBlock[];
  /** The document as Markdown (headings, lists, tables as pipes). */
  markdown: string;
  /** Tracked insertions and deletions, in document order. */
  changes: TrackedChange[];
}
