import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { imageMarker, imageType } from "../session/images.js";

/**
 * `@path` in a message attaches that file. A text file's content goes into the message (so
 * the log holds exactly what the model read); an image goes in as a marker that the model
 * bridge turns into an image part on each request (the log keeps the path, not megabytes of
 * base64). Paths are the workspace's; a token that names no file stays as typed.
 */


/** A text file larger than this is attached cut, with a note (the model can read the rest). */
const MAX_TEXT_BYTES = 100_000;

const TOKEN = /(^|\s)@(?:"([^"]+)"|(\S+))/g;

export { IMAGE_MARKER, imageType } from "../session/images.js";

export interface Expanded {
  text: string;
  /** What was attached, for a note on screen. */
  attached: string[];
}

export function expandAttachments(text: string, cwd: string): Expanded {
  const blocks: string[] = [];
  const attached: string[] = [];
  const seen = new Set<string>();
  for (const match of text.matchAll(TOKEN)) {
    const full = resolveToken(match[2] ?? match[3]!, cwd);
    if (!full || seen.has(full)) continue;
    seen.add(full);
    const shown = path.relative(cwd, full).startsWith("..") ? full : path.relative(cwd, full);
    if (imageType(full)) {
      blocks.push(imageMarker(shown));
      attached.push(`${shown} (image)`);
      continue;
    }
    const bytes = readFileSync(full);
    if (bytes.subarray(0, 8000).includes(0)) {
      attached.push(`${shown} (binary: not attached)`);
      continue;
    }
    const cut = bytes.length > MAX_TEXT_BYTES;
    const content = bytes.subarray(0, MAX_TEXT_BYTES).toString("utf8");
    blocks.push(`<file path="${shown}"${cut ? ` truncated="${bytes.length} bytes"` : ""}>\n${content}${content.endsWith("\n") ? "" : "\n"}</file>`);
    const lines = content.split("\n").length - (content.endsWith("\n") ? 1 : 0);
    attached.push(`${shown} (${lines} line${lines === 1 ? "" : "s"}${cut ? ", cut" : ""})`);
  }
  return { text: blocks.length ? `${text}\n\n${blocks.join("\n\n")}` : text, attached };
}

/** The file a token names; "@a.ts," at the end of a clause names a.ts. */
function resolveToken(name: string, cwd: string): string | undefined {
  for (const candidate of [name, name.replace(/[.,;:!?)\]}'"]+$/, "")]) {
    const full = path.resolve(cwd, candidate);
    if (candidate && existsSync(full) && statSync(full).isFile()) return full;
  }
  return undefined;
}

/** A message as the person should see it again: attached files collapsed to one line each. */
export function collapseAttachments(text: string): string {
  return text
    .replace(/\n*<file path="([^"]+)"[^>]*>\n[\s\S]*?<\/file>/g, "\n📎 $1")
    .replace(/\n*<image path="([^"]+)" \/>/g, "\n📎 $1 (image)");
}

/**
 * A pasted path (terminals paste a dropped file's path, quoted or with escaped spaces) that
 * names an existing file: returned workspace-relative when inside it, else absolute.
 */
export function pastedFile(text: string, cwd: string): string | undefined {
  let candidate = text.trim();
  if (!candidate || candidate.includes("\n")) return undefined;
  candidate = candidate.replace(/^(['"])(.*)\1$/, "$2").replace(/\\ /g, " ");
  if (candidate.startsWith("file://")) candidate = decodeURIComponent(candidate.slice(7));
  const full = path.resolve(cwd, candidate);
  if (!existsSync(full) || !statSync(full).isFile()) return undefined;
  const relative = path.relative(cwd, full);
  return relative.startsWith("..") ? full : relative;
}
