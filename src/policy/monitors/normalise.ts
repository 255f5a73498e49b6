import type { Stage } from "./types.js";

/**
 * What the monitors read: the text as given plus every decoded form of it. Attackers hide
 * the words the rules and the classifier look for — a base64 blob piped to `sh`, `%72%6d`,
 * `\x72\x6d`, a zero-width space inside "ignore", a Cyrillic "а" in "pаssword", a command
 * inside `bash -c '…'` or `eval "…"`. The decoded forms are appended (never substituted), so a
 * signal in either the original or a decoded form is seen. Decoding is bounded in depth and
 * size: a hostile text cannot make the monitors slow.
 */

export interface Normalised {
  /** The original text, then each distinct decoded form, one per line block. */
  text: string;
  /** How many decoded forms were added (0: the text was read as given). */
  decodedForms: number;
}

/** Nested encodings followed this deep (base64 of hex of an escaped string is depth 3). */
const MAX_DEPTH = 3;
/** Decoded text added per screened item, at most. */
const MAX_ADDED = 16_000;
/** Blobs longer than this are not decoded (a bundled file, not a hidden command). */
const MAX_BLOB = 8_000;
/** Texts longer than this are read only for their invisible characters and confusables. */
const MAX_SCAN = 64_000;

// Zero-width and other invisible characters that split words without showing.
const INVISIBLE = /\u00AD|\u034F|\u061C|\u115F|\u1160|\u17B4|\u17B5|\u180E|[\u200B-\u200F]|[\u202A-\u202E]|[\u2060-\u206F]|\u3164|[\uFE00-\uFE0F]|\uFEFF/g;
// Letters from other scripts that look like Latin ones (the common confusables of Unicode TR39).
const CONFUSABLES: Record<string, string> = {
  а: "a", е: "e", о: "o", р: "p", с: "c", у: "y", х: "x", і: "i", ј: "j", ѕ: "s", ԁ: "d", ɡ: "g", һ: "h", ӏ: "l", ԛ: "q", ԝ: "w",
  А: "A", В: "B", Е: "E", К: "K", М: "M", Н: "H", О: "O", Р: "P", С: "C", Т: "T", Х: "X", І: "I", Ј: "J", Ѕ: "S",
  α: "a", ο: "o", ρ: "p", ν: "v", ι: "i", κ: "k", τ: "t", υ: "u", χ: "x", Α: "A", Β: "B", Ε: "E", Ζ: "Z", Η: "H", Ι: "I", Κ: "K",
  Μ: "M", Ν: "N", Ο: "O", Ρ: "P", Τ: "T", Υ: "Y", Χ: "X", ı: "i", ℓ: "l",
};
const CONFUSABLE = new RegExp(`[${Object.keys(CONFUSABLES).join("")}]`, "g");
const NON_ASCII = /[^\x00-\x7F]/;

const BASE64 = /[A-Za-z0-9+/_-]{16,}={0,2}/g;
const HEX_ESCAPES = /(?:\\x[0-9a-fA-F]{2}){4,}/g;
const PLAIN_HEX = /\b(?:[0-9a-fA-F]{2}){8,}\b/g;
const URL_ENCODED = /(?:%[0-9a-fA-F]{2}[^\s%]{0,12}){3,}/;
const ESCAPES = /\\(?:x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|u\{[0-9a-fA-F]{1,6}\}|[0-7]{3})/;
const SHELL_WRAP = /\b(?:ba|z|da|k)?sh\s+(?:-[a-z]*c[a-z]*\s+)(["'])([\s\S]+?)\1|\beval\s+(["'])([\s\S]+?)\3|\bpowershell(?:\.exe)?\b[^\n]*?-e(?:nc(?:odedcommand)?)?\s+([A-Za-z0-9+/=]{16,})/gi;

export function normalise(text: string): Normalised {
  const forms: string[] = [text];
  let added = 0;
  const add = (form: string): boolean => {
    const trimmed = form.trim();
    if (!trimmed || added + trimmed.length > MAX_ADDED || forms.includes(trimmed)) return false;
    forms.push(trimmed);
    added += trimmed.length;
    return true;
  };

  const visible = unhide(text);
  if (visible !== text) add(visible);
  if (text.length <= MAX_SCAN) {
    const queue: { text: string; depth: number }[] = [{ text: visible, depth: 0 }];
    while (queue.length) {
      const { text: current, depth } = queue.shift()!;
      if (depth >= MAX_DEPTH) continue;
      for (const decoded of decodings(current)) {
        const clean = unhide(decoded);
        if (add(clean)) queue.push({ text: clean, depth: depth + 1 });
      }
    }
  }
  return { text: forms.join("\n"), decodedForms: forms.length - 1 };
}

/** Removes invisible characters and maps look-alike letters to Latin (NFKC folds full-width forms). */
export function unhide(text: string): string {
  if (!NON_ASCII.test(text)) return text;
  return text.normalize("NFKC").replace(INVISIBLE, "").replace(CONFUSABLE, (c) => CONFUSABLES[c] ?? c);
}

/** Every readable text hidden in `text` one level down. */
function decodings(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(BASE64)) {
    const blob = m[0];
    if (blob.length > MAX_BLOB || !/[0-9+/=]|[a-z][A-Z]|[A-Z][a-z]/.test(blob) || /^[a-z_-]+$/i.test(blob)) continue;
    const decoded = readable(Buffer.from(blob.replace(/-/g, "+").replace(/_/g, "/"), "base64"));
    if (decoded) out.push(decoded);
  }
  for (const m of text.matchAll(HEX_ESCAPES)) {
    const decoded = readable(Buffer.from(m[0].replace(/\\x/g, ""), "hex"));
    if (decoded) out.push(decoded);
  }
  for (const m of text.matchAll(PLAIN_HEX)) {
    if (m[0].length > MAX_BLOB || /^\d+$/.test(m[0])) continue;
    const decoded = readable(Buffer.from(m[0], "hex"));
    if (decoded) out.push(decoded);
  }
  if (URL_ENCODED.test(text)) {
    const decoded = decodeUrl(text);
    if (decoded !== text) out.push(decoded);
  }
  if (ESCAPES.test(text)) out.push(decodeEscapes(text));
  for (const m of text.matchAll(SHELL_WRAP)) {
    const inner = m[2] ?? m[4];
    if (inner) out.push(inner);
    if (m[5]) {
      // PowerShell's -EncodedCommand is base64 of UTF-16LE.
      const decoded = Buffer.from(m[5], "base64").toString("utf16le");
      if (isReadable(decoded)) out.push(decoded);
    }
  }
  // Not the shell grammar (src/policy/shell/): it loads asynchronously, on the first line that
  // needs it, so reading with it made a command's verdict depend on whether an earlier command of
  // the process had loaded it (a publish of fake readings to a rival's broker: P 0.91 before, 0.86
  // after), and the classifier was trained without it. The wrappers above are the ones that hide words.
  return out;
}

/** The bytes as text when they are mostly printable UTF-8 (random bytes and binaries are not). */
function readable(bytes: Buffer): string | undefined {
  if (bytes.length < 4) return undefined;
  const text = bytes.toString("utf8");
  return isReadable(text) ? text : undefined;
}

function isReadable(text: string): boolean {
  let printable = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (code === 0xfffd) return false;
    if (code >= 0x20 || code === 9 || code === 10 || code === 13) printable++;
  }
  return printable / text.length > 0.95 && /[A-Za-z\u00C0-\u024F\u4E00-\u9FFF]{2}/.test(text);
}

/** A URL-encoded text decoded once (`+` as a space); a malformed escape does not stop the rest. */
export function decodeUrl(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, " "));
  } catch {
    return text.replace(/%([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16)));
  }
}

function decodeEscapes(text: string): string {
  return text.replace(/\\(?:x([0-9a-fA-F]{2})|u([0-9a-fA-F]{4})|u\{([0-9a-fA-F]{1,6})\}|([0-7]{3}))/g, (all, x, u, uc, oct) => {
    const code = Number.parseInt(x ?? u ?? uc ?? "", 16) || (oct ? Number.parseInt(oct, 8) : Number.NaN);
    return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : all;
  });
}

const NUMBERED = /^ *\d+\t/;
const FETCHED = /^URL: \S+\n\n/;

/**
 * What a tool returned, without the frame colleague's own tools put around it: web_fetch's
 * "URL: …" line, and the line number and tab read_file (or `cat -n`) puts before every line. The
 * monitors read the page or the file; no training text has the frame, and a URL line of a local
 * page alone moved one result's P(harm) from 0.91 to 0.10. Lines are unnumbered only when nearly
 * every line is numbered (a closing "… showing lines" note may follow).
 */
export function toolContent(text: string): string {
  const body = text.replace(FETCHED, "");
  if (!NUMBERED.test(body)) return body;
  const lines = body.split("\n");
  const numbered = lines.filter((line) => NUMBERED.test(line)).length;
  if (numbered < Math.max(1, lines.length - 1)) return body;
  return lines.map((line) => line.replace(NUMBERED, "")).join("\n");
}

/** What the monitors read of an item, in training and when screening: a tool result without its tool's frame, decoded forms appended. */
export function screenText(text: string, stage: Stage): string {
  return normalise(stage === "tool_result" ? toolContent(text) : text).text;
}
