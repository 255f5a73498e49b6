/**
 * The TUI's side of the early frame that bin/early-frame.js draws before the bundle loads:
 * the real first frame replaces it in one write, and any other output (a trust question, an
 * error, help) takes it off the screen first. Nothing here when no early frame was drawn.
 */
interface EarlyFrame {
  /** Moves the cursor back to the frame's first line and clears to the end of the screen. */
  erase: string;
  /** Gives the terminal back its cooked mode and turns bracketed paste off (the early frame set both). */
  release(): void;
}

const SLOT = "__colleagueEarlyFrame";

function take(): EarlyFrame | undefined {
  const slot = globalThis as { [SLOT]?: EarlyFrame };
  const frame = slot[SLOT];
  delete slot[SLOT];
  return frame;
}

/** Takes the early frame off the screen now and restores the terminal's mode. */
export function dropEarlyFrame(out: NodeJS.WritableStream = process.stdout): void {
  const frame = take();
  if (!frame) return;
  out.write(frame.erase);
  frame.release();
}

/**
 * The next write to `out` (Ink's first frame) starts by erasing the early frame, so the screen
 * is never blank in between. The terminal stays in raw mode: Ink keeps it so.
 */
export function replaceEarlyFrameOnFirstWrite(out: NodeJS.WriteStream): void {
  const frame = take();
  if (!frame) return;
  const write = out.write;
  out.write = function (this: NodeJS.WriteStream, chunk: string | Uint8Array, ...rest: unknown[]) {
    out.write = write;
    const erased = typeof chunk === "string" ? frame.erase + chunk : Buffer.concat([Buffer.from(frame.erase), chunk]);
    return (write as (...args: unknown[]) => boolean).call(this, erased, ...rest);
  } as typeof out.write;
}
