/**
 * A few lines at the bottom of a terminal that are redrawn in place: the spinner while the
 * model thinks, the last lines of a running command. Everything printed above it is permanent;
 * the region is erased before each permanent write and drawn again after it, so a log copied
 * from the terminal (or written to a pipe, where there is no region) holds no spinner frames.
 */
export class LiveRegion {
  private rows = 0;

  constructor(private readonly out: NodeJS.WritableStream & { columns?: number }) {}

  get width(): number {
    return Math.max(20, this.out.columns ?? 80);
  }

  /** Replaces what the region shows; each line is cut to the width so the row count is exact. */
  show(lines: string[]): void {
    const width = this.width;
    const fitted = lines.map((line) => clipToWidth(line, width - 1));
    this.out.write(this.eraseSequence() + fitted.map((l) => `${l}\n`).join(""));
    this.rows = fitted.length;
  }

  clear(): void {
    if (this.rows === 0) return;
    this.out.write(this.eraseSequence());
    this.rows = 0;
  }

  private eraseSequence(): string {
    // Up to the region's first row, then clear from there to the end of the screen.
    return this.rows === 0 ? "" : `\x1b[${this.rows}F\x1b[J`;
  }
}

const ANSI = /\x1b\[[0-9;]*m/g;

/** Cuts a line to `width` visible characters, keeping colour codes balanced (a reset at the end). */
export function clipToWidth(line: string, width: number): string {
  const visible = line.replace(ANSI, "");
  if (visible.length <= width) return line;
  let shown = 0;
  let out = "";
  for (let i = 0; i < line.length && shown < width - 1; ) {
    ANSI.lastIndex = i;
    const code = ANSI.exec(line);
    if (code && code.index === i) {
      out += code[0];
      i += code[0].length;
      continue;
    }
    out += line[i];
    shown++;
    i++;
  }
  return `${out}…\x1b[0m`;
}

/**
 * Wraps text to `width` columns at spaces (a long word is split), indenting continuation lines:
 * messages that matter (a denial and how to allow it) are wrapped, never cut.
 */
export function wrap(text: string, width: number, indent: string): string {
  const limit = Math.max(20, width - indent.length);
  const out: string[] = [];
  for (const paragraph of text.split("\n")) {
    let line = "";
    for (const word of paragraph.split(" ")) {
      let rest = word;
      while (rest.length > limit) {
        if (line) {
          out.push(line);
          line = "";
        }
        out.push(rest.slice(0, limit));
        rest = rest.slice(limit);
      }
      if (line && line.length + 1 + rest.length > limit) {
        out.push(line);
        line = rest;
      } else line = line ? `${line} ${rest}` : rest;
    }
    out.push(line);
  }
  return out.join(`\n${indent}`);
}

export const SPINNER = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

/**
 * While a prompt owns the terminal (an approval question on stderr), live regions are erased
 * and stop redrawing: a redraw would move the cursor up over the question and erase it.
 */
export const terminalPrompt = {
  active: 0,
  listeners: new Set<() => void>(),
  async around<T>(ask: () => Promise<T>): Promise<T> {
    this.active++;
    for (const hide of this.listeners) hide();
    try {
      return await ask();
    } finally {
      this.active--;
    }
  },
};
