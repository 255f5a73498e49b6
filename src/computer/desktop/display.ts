import { type ChildProcess, execFile, spawn } from "node:child_process";
import type { ComputerParts } from "../parts.js";
import type { Size } from "../scaling.js";

/**
 * A virtual display for one session: Xvfb with a light window manager (openbox, when installed),
 * started on first use and ended with the session. Xvfb picks a free display number itself
 * (-displayfd), so sessions and test runs never collide. Input goes through xdotool, pixels
 * come out through ImageMagick's `import`, which also scales and crops on the way.
 */
export const DEFAULT_SCREEN: Size = { width: 1280, height: 800 };
const START_TIMEOUT_MS = 15_000;
const COMMAND_TIMEOUT_MS = 30_000;

export interface DisplayParts extends Pick<ComputerParts, "windowManager"> {
  xvfb: string;
  xdotool: string;
  imagemagick: string;
}

export class VirtualDisplay {
  private xvfb?: ChildProcess;
  private windowManager?: ChildProcess;
  private starting?: Promise<string>;
  private name?: string;
  private closed = false;

  constructor(
    private readonly parts: DisplayParts,
    readonly screen: Size = DEFAULT_SCREEN,
  ) {}

  /** The display's name (":7"), when it is running. */
  get display(): string | undefined {
    return this.name;
  }

  /** Starts the display if needed; resolves to its name. */
  start(): Promise<string> {
    if (this.closed) return Promise.reject(new Error("the desktop was closed with its session"));
    this.starting ??= this.launch().catch((error: Error) => {
      this.starting = undefined;
      this.stopProcesses();
      throw error;
    });
    return this.starting;
  }

  private async launch(): Promise<string> {
    const { width, height } = this.screen;
    const xvfb = spawn(this.parts.xvfb, ["-displayfd", "3", "-screen", "0", `${width}x${height}x24`, "-nolisten", "tcp", "-nocursor"], {
      stdio: ["ignore", "ignore", "pipe", "pipe"],
    });
    this.xvfb = xvfb;
    const number = await new Promise<string>((resolve, reject) => {
      let text = "";
      let errors = "";
      const timer = setTimeout(() => reject(new Error(`Xvfb did not start within ${START_TIMEOUT_MS / 1000} s`)), START_TIMEOUT_MS);
      xvfb.stderr?.on("data", (chunk: Buffer) => {
        errors = (errors + chunk.toString()).slice(-2000);
      });
      (xvfb.stdio[3] as NodeJS.ReadableStream).on("data", (chunk: Buffer) => {
        text += chunk.toString();
        if (text.includes("\n")) {
          clearTimeout(timer);
          resolve(text.trim());
        }
      });
      xvfb.on("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`Xvfb exited (${code}): ${errors.trim().split("\n").at(-1) ?? ""}`));
      });
      xvfb.on("error", (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
    this.name = `:${number}`;
    if (this.parts.windowManager) {
      this.windowManager = spawn(this.parts.windowManager, [], { stdio: "ignore", env: this.env() });
      this.windowManager.on("error", () => {});
    }
    if (this.closed) {
      this.stopProcesses();
      throw new Error("the desktop was closed with its session");
    }
    return this.name;
  }

  /** The environment for programs shown on this display. */
  env(): NodeJS.ProcessEnv {
    return { ...process.env, ...(this.name ? { DISPLAY: this.name } : {}) };
  }

  /** Runs xdotool with these arguments on the display. */
  async xdotool(args: string[]): Promise<string> {
    await this.start();
    return run(this.parts.xdotool, args, this.env());
  }

  /**
   * A PNG of the screen (or of `region` of it), scaled to exactly `size`.
   * The trailing `!` makes ImageMagick take the size as given rather than keep the aspect.
   */
  async capture(size: Size, region?: { x: number; y: number; width: number; height: number }): Promise<Buffer> {
    await this.start();
    const crop = region ? ["-crop", `${region.width}x${region.height}+${region.x}+${region.y}`, "+repage"] : [];
    const resize = ["-resize", `${size.width}x${size.height}!`];
    return runBinary(this.parts.imagemagick, ["-window", "root", ...crop, ...resize, "png:-"], this.env());
  }

  /** Ends the window manager and Xvfb; safe to call more than once. */
  close(): void {
    this.closed = true;
    this.stopProcesses();
  }

  private stopProcesses(): void {
    for (const child of [this.windowManager, this.xvfb]) {
      if (child && child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    }
    this.windowManager = undefined;
    this.xvfb = undefined;
    this.name = undefined;
  }
}

function run(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { env, timeout: COMMAND_TIMEOUT_MS, encoding: "utf8" }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${file.split("/").at(-1)} failed: ${(stderr || error.message).trim().split("\n")[0]}`));
      else resolve(stdout);
    });
  });
}

function runBinary(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { env, timeout: COMMAND_TIMEOUT_MS, encoding: "buffer", maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${file.split("/").at(-1)} failed: ${(stderr.toString() || error.message).trim().split("\n")[0]}`));
      else resolve(stdout);
    });
  });
}
