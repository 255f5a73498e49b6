/**
 * Turns what the terminal sends into editing keys. Ink hands over raw input split at escape
 * sequences; its own key parser names one key per chunk, which loses keys that arrive
 * together ("abc", two backspaces and "Z" in one read) and knows no bracketed paste. This
 * decoder reads every byte of a chunk, and gathers a bracketed paste into one `paste` key so
 * a multi-line paste becomes one message rather than one per line.
 */

export type KeyName =
  | "enter"
  | "newline"
  | "tab"
  | "shiftTab"
  | "backspace"
  | "delete"
  | "left"
  | "right"
  | "up"
  | "down"
  | "home"
  | "end"
  | "wordLeft"
  | "wordRight"
  | "deleteWordLeft"
  | "deleteWordRight"
  | "killLeft"
  | "killRight"
  | "escape"
  | "ctrlC"
  | "ctrlD"
  | "ctrlO"
  | "pageUp"
  | "pageDown";

export type Key = { name: "text"; text: string } | { name: "paste"; text: string } | { name: KeyName };

const PASTE_START = "\x1b[200~";
const PASTE_END = "\x1b[201~";

/** Escape sequences, including the common variants for Home/End and modified arrows. */
const SEQUENCES: Record<string, KeyName> = {
  "\x1b": "escape",
  "\x1b[A": "up",
  "\x1bOA": "up",
  "\x1b[B": "down",
  "\x1bOB": "down",
  "\x1b[C": "right",
  "\x1bOC": "right",
  "\x1b[D": "left",
  "\x1bOD": "left",
  "\x1b[H": "home",
  "\x1bOH": "home",
  "\x1b[1~": "home",
  "\x1b[7~": "home",
  "\x1b[F": "end",
  "\x1bOF": "end",
  "\x1b[4~": "end",
  "\x1b[8~": "end",
  "\x1b[3~": "delete",
  "\x1b[5~": "pageUp",
  "\x1b[6~": "pageDown",
  "\x1b[Z": "shiftTab",
  // Ctrl/Alt + arrows (xterm modifiers 5 and 3), Alt-b / Alt-f (readline), ESC-prefixed arrows (macOS).
  "\x1b[1;5D": "wordLeft",
  "\x1b[1;3D": "wordLeft",
  "\x1b[1;5C": "wordRight",
  "\x1b[1;3C": "wordRight",
  "\x1b\x1b[D": "wordLeft",
  "\x1b\x1b[C": "wordRight",
  "\x1bb": "wordLeft",
  "\x1bf": "wordRight",
  "\x1bd": "deleteWordRight",
  "\x1b\x7f": "deleteWordLeft",
  "\x1b\b": "deleteWordLeft",
  // The newline key: Alt-Enter everywhere, Shift/Ctrl-Enter where the terminal reports it
  // (kitty / CSI-u and xterm modifyOtherKeys forms).
  "\x1b\r": "newline",
  "\x1b\n": "newline",
  "\x1b[13;2u": "newline",
  "\x1b[13;5u": "newline",
  "\x1b[27;2;13~": "newline",
  "\x1b[27;5;13~": "newline",
};

/** Control characters inside a text chunk (readline's bindings). */
const CONTROLS: Record<string, KeyName> = {
  "\r": "enter",
  "\t": "tab",
  "\x7f": "backspace",
  "\b": "backspace",
  "\x01": "home",
  "\x05": "end",
  "\x02": "left",
  "\x06": "right",
  "\x10": "up",
  "\x0e": "down",
  "\x15": "killLeft",
  "\x0b": "killRight",
  "\x17": "deleteWordLeft",
  "\x03": "ctrlC",
  "\x04": "ctrlD",
  "\x0f": "ctrlO",
};

export class KeyDecoder {
  private paste: string | undefined;

  /** One chunk as Ink's input parser emits it (text, or one escape sequence). */
  push(chunk: string): Key[] {
    if (this.paste !== undefined) {
      const end = chunk.indexOf(PASTE_END);
      if (end < 0) {
        this.paste += chunk;
        return [];
      }
      const text = normalizePaste(this.paste + chunk.slice(0, end));
      this.paste = undefined;
      return [{ name: "paste", text }, ...this.push(chunk.slice(end + PASTE_END.length))];
    }
    if (!chunk) return [];
    const start = chunk.indexOf(PASTE_START);
    if (start >= 0) {
      const before = this.push(chunk.slice(0, start));
      this.paste = "";
      return [...before, ...this.push(chunk.slice(start + PASTE_START.length))];
    }
    if (chunk.startsWith("\x1b")) {
      const name = SEQUENCES[chunk];
      if (name) return [{ name }];
      // Esc then a control key typed quickly (Esc, Ctrl-U) arrives as one sequence: both keys.
      if (chunk.length === 2 && chunk[1]! < " ") return [{ name: "escape" }, ...decodeText(chunk[1]!)];
      // Alt + a letter not bound above: ignored rather than typed as "[1;2P" noise.
      return [];
    }
    return decodeText(chunk);
  }
}

function decodeText(chunk: string): Key[] {
  const keys: Key[] = [];
  let text = "";
  const flush = () => {
    if (text) keys.push({ name: "text", text });
    text = "";
  };
  for (const ch of chunk) {
    // A lone LF is Ctrl-J (the newline key). Inside a longer chunk it is the Enter of a
    // terminal still in line mode (keys typed before the app started), as is CR.
    const name = ch === "\n" ? (chunk === "\n" ? "newline" : "enter") : CONTROLS[ch];
    if (name) {
      flush();
      keys.push({ name });
    } else if (ch >= " ") text += ch;
  }
  flush();
  return keys;
}

/** Terminals send pasted line breaks as CR; tabs would shift the text in the box. */
function normalizePaste(text: string): string {
  return text.replace(/\r\n?/g, "\n").replace(/\t/g, "  ");
}
