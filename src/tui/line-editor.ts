/**
 * The text being typed and where the cursor is, with the editing moves of a shell prompt
 * (readline's word and line kills). Pure functions on a small value, so every key is tested
 * without a terminal. The text may hold line breaks (pastes, the newline key): Home/End and
 * the kills work on the cursor's line; up/down move between lines.
 */
export interface Line {
  text: string;
  /** Index into `text`, 0 … text.length. */
  cursor: number;
}

export const emptyLine: Line = { text: "", cursor: 0 };

export const lineOf = (text: string): Line => ({ text, cursor: text.length });

export function insert(s: Line, str: string): Line {
  return { text: s.text.slice(0, s.cursor) + str + s.text.slice(s.cursor), cursor: s.cursor + str.length };
}

export function backspace(s: Line): Line {
  if (s.cursor === 0) return s;
  const at = s.cursor - charBefore(s.text, s.cursor);
  return { text: s.text.slice(0, at) + s.text.slice(s.cursor), cursor: at };
}

export function deleteForward(s: Line): Line {
  if (s.cursor >= s.text.length) return s;
  return { text: s.text.slice(0, s.cursor) + s.text.slice(s.cursor + charAfter(s.text, s.cursor)), cursor: s.cursor };
}

export const left = (s: Line): Line => ({ ...s, cursor: Math.max(0, s.cursor - charBefore(s.text, s.cursor)) });
export const right = (s: Line): Line => ({ ...s, cursor: Math.min(s.text.length, s.cursor + charAfter(s.text, s.cursor)) });

const lineStart = (s: Line) => s.text.lastIndexOf("\n", s.cursor - 1) + 1;
function lineEnd(s: Line) {
  const at = s.text.indexOf("\n", s.cursor);
  return at < 0 ? s.text.length : at;
}

export const home = (s: Line): Line => ({ ...s, cursor: lineStart(s) });
export const end = (s: Line): Line => ({ ...s, cursor: lineEnd(s) });

/** Start of the word before the cursor (spaces first, then word characters), as readline's M-b. */
function wordStartBefore(text: string, cursor: number): number {
  let at = cursor;
  while (at > 0 && /\s/.test(text[at - 1]!)) at--;
  while (at > 0 && !/\s/.test(text[at - 1]!)) at--;
  return at;
}

function wordEndAfter(text: string, cursor: number): number {
  let at = cursor;
  while (at < text.length && /\s/.test(text[at]!)) at++;
  while (at < text.length && !/\s/.test(text[at]!)) at++;
  return at;
}

export const wordLeft = (s: Line): Line => ({ ...s, cursor: wordStartBefore(s.text, s.cursor) });
export const wordRight = (s: Line): Line => ({ ...s, cursor: wordEndAfter(s.text, s.cursor) });

/** Ctrl-W / Alt-Backspace. */
export function deleteWordLeft(s: Line): Line {
  const at = wordStartBefore(s.text, s.cursor);
  return { text: s.text.slice(0, at) + s.text.slice(s.cursor), cursor: at };
}

/** Alt-D. */
export function deleteWordRight(s: Line): Line {
  const at = wordEndAfter(s.text, s.cursor);
  return { text: s.text.slice(0, s.cursor) + s.text.slice(at), cursor: s.cursor };
}

/** Ctrl-U: to the start of the cursor's line (a line break before the cursor goes if the line is empty). */
export function killLeft(s: Line): Line {
  let at = lineStart(s);
  if (at === s.cursor && at > 0) at--;
  return { text: s.text.slice(0, at) + s.text.slice(s.cursor), cursor: at };
}

/** Ctrl-K: to the end of the cursor's line (or the line break, at its end). */
export function killRight(s: Line): Line {
  let at = lineEnd(s);
  if (at === s.cursor && at < s.text.length) at++;
  return { text: s.text.slice(0, s.cursor) + s.text.slice(at), cursor: s.cursor };
}

/** Up/down inside a multi-line text; undefined on the first/last line (the caller walks the history). */
export function vertical(s: Line, direction: -1 | 1): Line | undefined {
  const start = lineStart(s);
  const column = s.cursor - start;
  if (direction < 0) {
    if (start === 0) return undefined;
    const prevStart = s.text.lastIndexOf("\n", start - 2) + 1;
    return { ...s, cursor: Math.min(prevStart + column, start - 1) };
  }
  const endAt = lineEnd(s);
  if (endAt >= s.text.length) return undefined;
  const nextStart = endAt + 1;
  const nextEnd = s.text.indexOf("\n", nextStart);
  return { ...s, cursor: Math.min(nextStart + column, nextEnd < 0 ? s.text.length : nextEnd) };
}

/** The word the cursor is in or just after (for completion): where it starts and what it says. */
export function wordAtCursor(s: Line): { start: number; word: string } {
  const start = wordStartBefore(s.text, s.cursor);
  const word = s.text.slice(start, s.cursor);
  return /\s/.test(word) ? { start: s.cursor, word: "" } : { start, word };
}

/** Surrogate pairs move and delete as one character. */
function charBefore(text: string, at: number): number {
  const code = text.charCodeAt(at - 1);
  return code >= 0xdc00 && code <= 0xdfff && at >= 2 ? 2 : 1;
}

function charAfter(text: string, at: number): number {
  const code = text.charCodeAt(at);
  return code >= 0xd800 && code <= 0xdbff ? 2 : 1;
}
