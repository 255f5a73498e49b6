import { execFileSync, spawnSync } from "node:child_process";

/** tmux is needed to drive the TUI in a real pseudo-terminal; tests skip without it. */
export const hasTmux = spawnSync("tmux", ["-V"]).status === 0;

/** One private tmux server per test file (its own socket), so nothing else is touched. */
export class TmuxPane {
  private readonly socket = `colleague-test-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  private readonly name = "tui";

  constructor(command: string, options: { cwd: string; env: NodeJS.ProcessEnv; width?: number; height?: number }) {
    execFileSync(
      "tmux",
      ["-L", this.socket, "new-session", "-d", "-s", this.name, "-x", String(options.width ?? 80), "-y", String(options.height ?? 40), command],
      { cwd: options.cwd, env: options.env },
    );
  }

  private tmux(...args: string[]): string {
    return execFileSync("tmux", ["-L", this.socket, ...args], { encoding: "utf8" });
  }

  /** Types text (literally), then optional keys (Enter, Tab, Escape, Up …). */
  type(text: string, ...keys: string[]): void {
    if (text) this.tmux("send-keys", "-t", this.name, "-l", text);
    for (const key of keys) this.tmux("send-keys", "-t", this.name, key);
  }

  /**
   * Pastes text as a terminal does: bracketed (ESC[200~ … ESC[201~) when the app turned
   * bracketed paste on, line breaks sent as CR.
   */
  paste(text: string): void {
    this.tmux("set-buffer", "-b", "colleague-paste", text);
    this.tmux("paste-buffer", "-p", "-d", "-b", "colleague-paste", "-t", this.name);
  }

  /** Sends raw bytes in one write (e.g. text and backspaces arriving in one chunk). */
  bytes(data: string): void {
    this.tmux("send-keys", "-t", this.name, "-H", ...[...Buffer.from(data, "utf8")].map((b) => b.toString(16).padStart(2, "0")));
  }

  /** Resizes the window (the app gets SIGWINCH). */
  resize(width: number, height?: number): void {
    this.tmux("resize-window", "-t", this.name, "-x", String(width), ...(height ? ["-y", String(height)] : []));
  }

  screen(): string {
    return this.tmux("capture-pane", "-p", "-t", this.name);
  }

  alive(): boolean {
    return spawnSync("tmux", ["-L", this.socket, "has-session", "-t", this.name]).status === 0;
  }

  /** Polls the rendered screen until `test` holds; fails with the screen when it never does. */
  async waitFor(test: (screen: string) => boolean, what: string, timeoutMs = 20_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let screen = "";
    while (Date.now() < deadline) {
      // The pane may end between the check and the capture (after /exit): keep the last screen.
      try {
        if (this.alive()) screen = this.screen();
      } catch {
        // the tmux server just went away
      }
      if (test(screen)) return screen;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`timed out waiting for ${what}; screen:\n${screen}`);
  }

  close(): void {
    spawnSync("tmux", ["-L", this.socket, "kill-server"]);
  }
}
