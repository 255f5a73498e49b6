import { onPath } from "../office/render.js";

/** What office_render needs: without either, the tool is not offered to the model. */
export function officeChecks(env: NodeJS.ProcessEnv = process.env): Array<{ name: string; ok: boolean; detail: string }> {
  const soffice = onPath("soffice", env);
  const pdftoppm = onPath("pdftoppm", env);
  const without = "office_render is not offered";
  return [
    { name: "soffice", ok: !!soffice, detail: soffice ?? `not found: ${without} (apt-get install libreoffice-calc libreoffice-impress libreoffice-writer)` },
    { name: "pdftoppm", ok: !!pdftoppm, detail: pdftoppm ?? `not found: ${without} (apt-get install poppler-utils)` },
  ];
}
