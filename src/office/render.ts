import { accessSync, constants } from "node:fs";
import path from "node:path";

/**
 * Rendering an office file to PNG pages, so a model can look at what it made: LibreOffice
 * (headless) converts xlsx, pptx, docx and csv to PDF, and poppler's pdftoppm draws each page.
 * Every run gets its own LibreOffice profile in the temp folder (two renders at once would
 * otherwise fight over one profile's lock, and a user's own profile is never touched).
 */

export const RENDERABLE = new Set([".xlsx", ".xlsm", ".xls", ".csv", ".ods", ".pptx", ".ppt", ".odp", ".docx", ".doc", ".odt", ".rtf", ".pdf"]);

/** What rendering needs from the machine and is missing (undefined when everything is there). */
export function renderUnavailable(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const missing = [
    onPath("soffice", env) ? undefined : "LibreOffice (soffice; Debian: libreoffice-calc libreoffice-impress libreoffice-writer)",
    onPath("pdftoppm", env) ? undefined : "pdftoppm (Debian: poppler-utils)",
  ].filter(Boolean);
  return missing.length ? `office_render is not offered: ${missing.join(" and ")} not found on PATH` : undefined;
}

export function onPath(program: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const dir of (env.PATH ?? "").split(path.delimiter)) {
    if (!dir) continue;
    const full = path.join(dir, program);
    try {
      accessSync(full, constants.X_OK);
      return full;
    } catch {
      // not in this folder
    }
  }
  return undefined;
}

const quote = (text: string) => `'${text.replace(/'/g, "'\\''")}'`;

export interface RenderPlan {
  /** One shell command line: convert (unless already a PDF), then draw the pages. */
  command: string;
  /** The PDF that the pages are drawn from. */
  pdf: string;
  /** The PNG files are `<prefix>-<n>.png` (n zero-padded by pdftoppm to the page count's width). */
  prefix: string;
}

/**
 * The command that renders `file` into `outDir`. `scaleTo` is the longest side of each PNG in
 * pixels; pages are 1-based and inclusive.
 */
export function renderCommand(file: string, outDir: string, options: { first?: number; last?: number; scaleTo?: number } = {}): RenderPlan {
  const ext = path.extname(file).toLowerCase();
  const stem = path.basename(file, path.extname(file));
  const pdf = ext === ".pdf" ? file : path.join(outDir, `${stem}.pdf`);
  const prefix = path.join(outDir, "page");
  const convert =
    ext === ".pdf"
      ? ""
      : `profile=$(mktemp -d "\${TMPDIR:-/tmp}/colleague-lo-XXXXXX") && ` +
        `soffice --headless --norestore --nolockcheck "-env:UserInstallation=file://$profile" --convert-to pdf --outdir ${quote(outDir)} ${quote(file)} >/dev/null 2>&1; ` +
        `status=$?; rm -rf "$profile"; [ $status -eq 0 ] && [ -s ${quote(pdf)} ] || { echo "LibreOffice could not convert ${path.basename(file)} (exit $status)"; exit 3; }; `;
  const range = `${options.first ? ` -f ${options.first}` : ""}${options.last ? ` -l ${options.last}` : ""}`;
  const draw = `pdftoppm -png -scale-to ${options.scaleTo ?? 1280}${range} ${quote(pdf)} ${quote(prefix)}`;
  return { command: `${convert}${draw}`, pdf, prefix };
}

/** "1-3,5" → the page numbers it names, in order, within 1..count. */
export function parsePages(spec: string | undefined, count: number): number[] {
  if (!spec?.trim()) return Array.from({ length: count }, (_, i) => i + 1);
  const pages = new Set<number>();
  for (const part of spec.split(",")) {
    const m = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(part);
    if (!m) throw new Error(`"${spec}" is not a page list like 1-3,5`);
    const from = Number(m[1]);
    const to = m[2] ? Number(m[2]) : from;
    for (let n = from; n <= Math.min(to, count); n++) if (n >= 1) pages.add(n);
  }
  return [...pages].sort((a, b) => a - b);
}
