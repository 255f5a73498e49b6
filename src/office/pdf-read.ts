import { loadVendor } from "../vendor/load.js";

/** A PDF's text, page by page (pdfjs-dist's legacy build, the one meant for Node). */
export interface PdfContent {
  pages: string[];
}

let loading: Promise<typeof import("../vendor/pdfjs.js")> | undefined;

/**
 * pdfjs runs its parser in a worker it loads by file path, which a bundle does not have; handing
 * it the worker module up front (globalThis.pdfjsWorker) runs the parser in this thread instead,
 * from wherever the code was bundled.
 */
function loadPdfjs() {
  loading ??= (async () => {
    const worker = await loadVendor["pdfjs-worker"]();
    (globalThis as { pdfjsWorker?: unknown }).pdfjsWorker = worker;
    // pdfjs builds one DOMMatrix when it loads and needs more only to draw pages, which colleague
    // leaves to pdftoppm; its canvas package (@napi-rs/canvas, ~30 MB) is not shipped, so a
    // stand-in serves that one matrix, and pdfjs's warnings about the missing canvas stay quiet.
    const g = globalThis as { DOMMatrix?: unknown };
    if (!g.DOMMatrix) g.DOMMatrix = class IdentityMatrix { a = 1; b = 0; c = 0; d = 1; e = 0; f = 0; };
    return quietly(() => loadVendor.pdfjs());
  })();
  return loading;
}

/** Runs `work` with pdfjs's "Warning: Cannot …" lines about the missing canvas package kept off stdout. */
async function quietly<T>(work: () => Promise<T>): Promise<T> {
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    if (typeof args[0] === "string" && args[0].startsWith("Warning: Cannot")) return;
    warn(...args);
  };
  try {
    return await work();
  } finally {
    console.warn = warn;
  }
}

export function readPdf(data: Buffer): Promise<PdfContent> {
  return quietly(() => readPages(data));
}

async function readPages(data: Buffer): Promise<PdfContent> {
  const pdfjs = await loadPdfjs();
  const task = pdfjs.getDocument({ data: new Uint8Array(data), verbosity: 0, isEvalSupported: false, useSystemFonts: false, disableFontFace: true });
  const doc = await task.promise;
  try {
    const pages: string[] = [];
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n);
      const content = await page.getTextContent();
      let text = "";
      for (const item of content.items) {
        if (!("str" in item)) continue;
        text += item.str;
        if (item.hasEOL) text += "\n";
      }
      pages.push(text.replace(/[ \t]+\n/g, "\n").trim());
      page.cleanup();
    }
    return { pages };
  } finally {
    await task.destroy();
  }
}
