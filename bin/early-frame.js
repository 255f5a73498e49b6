// The terminal UI's first frame, drawn before the bundle loads. Compiling the TUI (React, Ink,
// Yoga) and the host, building the host and Ink's first layout take ~1 s on a loaded machine;
// this draws the same banner, input box and hint at once, with the terminal in raw mode so
// that what the person types meanwhile waits in the terminal's buffer (not echoed over the
// frame) and reaches the real input box when it opens. The TUI erases this frame with its own
// first write (src/tui/early-frame.ts); every other way out erases it before printing.
// Plain CommonJS, no dependencies: it runs before Node's ES module loader starts.

/** The flags the TUI takes a value for; anything else and no early frame is drawn. */
const VALUE_FLAGS = new Set(["--model", "-m", "--effort", "-e", "--max-steps", "--cwd", "-C", "--permission-mode", "--sandbox"]);

const PASTE_ON = "\x1b[?2004h";
const PASTE_OFF = "\x1b[?2004l";

/** `colleague` with nothing but these flags opens the TUI (src/cli/main.ts, root()). */
function opensTui(args) {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const eq = arg.indexOf("=");
    if (arg.startsWith("--") && eq > 0 && VALUE_FLAGS.has(arg.slice(0, eq))) continue;
    if (!VALUE_FLAGS.has(arg) || i + 1 >= args.length) return false;
    i++;
  }
  return true;
}

/** What the TUI shows first (src/tui/app.tsx, input-box.tsx, controller.ts), at its width. */
function earlyFrame(columns) {
  const width = Math.max(40, Math.min(columns || 80, 120));
  const dim = (s) => `\x1b[2m${s}\x1b[22m`;
  const clip = (s) => ([...s].length > width ? `${[...s].slice(0, width - 1).join("")}…` : s);
  const gray = (s) => `\x1b[90m${s}\x1b[39m`;
  const lines = [
    dim(clip("colleague — type a task. @ attaches a file, / lists commands, /help the keys.")),
    dim(clip("starting…")),
    gray(`╭${"─".repeat(width - 2)}╮`),
    `${gray("│")} \x1b[36m› \x1b[39m\x1b[7m \x1b[27m${" ".repeat(width - 6)}${gray("│")}`,
    gray(`╰${"─".repeat(width - 2)}╯`),
    dim(clip("enter send · alt-enter newline · ↑ history · @ file · / commands")),
  ];
  return { text: `${lines.join("\n")}\n`, lines: lines.length };
}

/**
 * Draws the frame when `colleague` will open the TUI on this terminal, and leaves
 * `globalThis.__colleagueEarlyFrame` for the bundle: `erase()` (the escape sequence that takes
 * the frame off the screen) and `release()` (gives the terminal back its cooked mode and
 * turns bracketed paste off).
 */
function drawEarlyFrame(args, env = process.env) {
  const tty = require("node:tty");
  if (!opensTui(args) || !tty.isatty(0) || !tty.isatty(1)) return;
  // Ink draws no live frames under CI (is-in-ci), and a dumb terminal has no cursor movement.
  const ci = (k) => k in env && env[k] !== "0" && env[k] !== "false";
  if (ci("CI") || ci("CONTINUOUS_INTEGRATION") || env.TERM === "dumb") return;
  const frame = earlyFrame(process.stdout.columns);
  let raw = false;
  try {
    process.stdin.setRawMode(true);
    raw = true;
  } catch {
    // Not a terminal after all (or no raw mode): the frame is still drawn; keys echo as usual.
  }
  const fs = require("node:fs");
  // Bracketed paste on as the TUI turns it on: a paste made while loading stays one message.
  fs.writeSync(1, `${PASTE_ON}${frame.text}`);
  globalThis.__colleagueEarlyFrame = {
    erase: `\x1b[${frame.lines}A\r\x1b[J`,
    release: () => {
      fs.writeSync(1, PASTE_OFF);
      if (raw) process.stdin.setRawMode(false);
    },
  };
}

module.exports = { drawEarlyFrame, earlyFrame, opensTui };
