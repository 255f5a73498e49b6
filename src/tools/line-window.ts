/**
 * Finds a window of lines in a file read chunk by chunk, so that `read_file` never holds more
 * than one chunk and the lines it shows: a 2 GB log read with `limit: 5` costs a few kilobytes,
 * and a file too big for one JavaScript string can still be paged through.
 *
 * Lines end at "\n" (a "\r" before it is dropped); a final newline ends the last line and
 * starts no new one, as an editor counts them.
 */

export interface WindowLimits {
  /** First line to show, 1-based. */
  offset: number;
  /** Most lines to show. */
  limit: number;
  /** A longer line is cut to this many characters. */
  maxLineChars: number;
  /** Stop before the numbered lines pass this many characters (the first line is always shown). */
  maxOutputChars: number;
}

export interface ShownLine {
  number: number;
  /** The text, cut to maxLineChars. */
  text: string;
  /** The whole line's length in characters. */
  chars: number;
}

export interface LineWindow {
  lines: ShownLine[];
  /** Lines in the file, when the scan went to the end. */
  totalLines: number | undefined;
  /** Whether anything follows the last shown line. */
  moreAfter: boolean;
}

/** Reads the bytes at `position` into `buffer`; answers how many were read (0 at the end). */
export type ReadAt = (buffer: Buffer, position: number) => Promise<number>;

const CHUNK_BYTES = 64 * 1024;
const LF = 0x0a;

/**
 * Scans from the start of the file to the window's end; with `countAll` on to the end of the
 * file, so the note can say how many lines there are (worth it only for files of modest size).
 */
export async function readLineWindow(readAt: ReadAt, limits: WindowLimits, countAll: boolean): Promise<LineWindow> {
  const scanner = new LineScanner(limits);
  const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  let position = 0;
  for (;;) {
    const read = await readAt(buffer, position);
    if (read === 0) break;
    scanner.feed(buffer.subarray(0, read), position);
    position += read;
    if (scanner.full && !countAll) {
      // The file goes on if the chunks read hold bytes past the window, or a byte follows them.
      const moreAfter = position > scanner.windowEnd || (await readAt(buffer.subarray(0, 1), position)) > 0;
      return { lines: scanner.lines, totalLines: undefined, moreAfter };
    }
  }
  scanner.end();
  const total = scanner.lineCount;
  const last = scanner.lines.at(-1)?.number ?? 0;
  return { lines: scanner.lines, totalLines: total, moreAfter: last < total };
}

class LineScanner {
  readonly lines: ShownLine[] = [];
  /** The number of the line being read. */
  private number = 1;
  /** Bytes of the current line have been seen (a last line without a newline still counts). */
  private open = false;
  /** The current line's kept bytes (up to a cap) and its length in characters. */
  private kept: Buffer[] = [];
  private keptBytes = 0;
  private chars = 0;
  private outputChars = 0;
  /** The current line's last byte was "\r" (dropped with the newline). */
  private endsInCR = false;
  /** File offset just past the last shown line's newline. */
  windowEnd = 0;
  full = false;

  constructor(private readonly limits: WindowLimits) {}

  get lineCount(): number {
    return this.number - 1;
  }

  feed(chunk: Buffer, chunkPosition: number): void {
    let start = 0;
    while (start < chunk.length) {
      const newline = chunk.indexOf(LF, start);
      const end = newline === -1 ? chunk.length : newline;
      if (this.wanted()) this.keep(chunk.subarray(start, end));
      if (newline === -1) {
        if (end > start) this.open = true;
        return;
      }
      this.finishLine(chunkPosition + newline + 1);
      start = newline + 1;
    }
  }

  /** The last line, if it has no newline of its own. */
  end(): void {
    if (this.open) this.finishLine(this.windowEnd);
  }

  private wanted(): boolean {
    const { offset, limit } = this.limits;
    return !this.full && this.number >= offset && this.number < offset + limit;
  }

  private keep(bytes: Buffer): void {
    if (bytes.length === 0) return;
    this.endsInCR = bytes[bytes.length - 1] === 0x0d;
    // Characters are counted for every byte, kept or not: a UTF-8 character starts at each byte that is not 10xxxxxx.
    for (let i = 0; i < bytes.length; i++) if ((bytes[i]! & 0xc0) !== 0x80) this.chars++;
    const room = this.limits.maxLineChars * 4 - this.keptBytes; // 4 bytes hold any character
    if (room <= 0) return;
    // Copied: the chunk's buffer is reused for the next read.
    const piece = Buffer.from(bytes.subarray(0, room));
    this.kept.push(piece);
    this.keptBytes += piece.length;
  }

  private finishLine(endOffset: number): void {
    if (this.wanted()) this.show(endOffset);
    this.number++;
    this.open = false;
    this.kept = [];
    this.keptBytes = 0;
    this.chars = 0;
    this.endsInCR = false;
  }

  private show(endOffset: number): void {
    let text = Buffer.concat(this.kept).toString("utf8");
    let chars = this.chars;
    if (this.endsInCR) {
      chars--;
      if (text.endsWith("\r")) text = text.slice(0, -1);
    }
    if (text.length > this.limits.maxLineChars) text = text.slice(0, this.limits.maxLineChars);
    const entryChars = String(this.number).length + 1 + text.length + 1;
    if (this.lines.length > 0 && this.outputChars + entryChars > this.limits.maxOutputChars) {
      this.full = true;
      return;
    }
    this.lines.push({ number: this.number, text, chars });
    this.outputChars += entryChars;
    this.windowEnd = endOffset;
    if (this.lines.length >= this.limits.limit) this.full = true;
  }
}
