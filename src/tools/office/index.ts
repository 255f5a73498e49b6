import { renderUnavailable } from "../../office/render.js";
import type { AnyTool } from "../define.js";
import { deckWriteTool } from "./deck-write.js";
import { documentWriteTool } from "./document-write.js";
import { officeReadTool } from "./office-read.js";
import { officeRenderTool } from "./office-render.js";
import { sheetWriteTool } from "./sheet-write.js";

/**
 * The office tools. Reading and writing need only the bundled converters; rendering needs
 * LibreOffice and pdftoppm, so where either is missing office_render is left out and `notice`
 * hears why (once per call).
 */
export function officeTools(notice?: (line: string) => void, env: NodeJS.ProcessEnv = process.env): AnyTool[] {
  const missing = renderUnavailable(env);
  if (missing) notice?.(`${missing}; the model can read and write office files but not look at them`);
  return [officeReadTool, sheetWriteTool, deckWriteTool, documentWriteTool, ...(missing ? [] : [officeRenderTool])];
}

/** Every office tool's name (for permission rules), whether or not this machine offers it. */
export const OFFICE_TOOL_NAMES = ["office_read", "sheet_write", "deck_write", "document_write", "office_render"] as const;

export { deckWriteTool, documentWriteTool, officeReadTool, officeRenderTool, sheetWriteTool };
