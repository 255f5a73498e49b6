import type { AnyTool } from "../tools/define.js";
import { BrowserSession } from "./browser/browser-session.js";
import type { HostCheck } from "./browser/network.js";
import { createBrowserTools } from "./browser/tools.js";
import { createComputerTool } from "./desktop/computer-tool.js";
import { DEFAULT_SCREEN, VirtualDisplay } from "./desktop/display.js";
import { findComputerParts, type PartsVerdict } from "./parts.js";
import type { Size } from "./scaling.js";

/**
 * Computer use for one session: the browser tools (when Chromium is installed) and the desktop's
 * `computer` tool (when Xvfb, xdotool and ImageMagick are). Nothing starts until a tool is first
 * used; `close` ends the browser and the display with the session. COLLEAGUE_BROWSER=off and
 * COLLEAGUE_DESKTOP=off turn either off; COLLEAGUE_DESKTOP_SIZE=WIDTHxHEIGHT sets the screen.
 */
export interface ComputerUseOptions {
  workspace: string;
  env?: NodeJS.ProcessEnv;
  /** Whether the permission rules let the browser reach a host (127.0.0.1 / localhost always can). */
  allowsHost: HostCheck;
  screen?: Size;
  /** Where a missing part is said, once per process. */
  onNotice?: (line: string) => void;
  /** The machine's parts (default: looked up on PATH). */
  parts?: PartsVerdict;
}

export interface ComputerUse {
  tools: AnyTool[];
  browser?: BrowserSession;
  desktop?: VirtualDisplay;
  close(): Promise<void>;
}

const told = new Set<string>();

export function openComputerUse(options: ComputerUseOptions): ComputerUse {
  const env = options.env ?? process.env;
  const verdict = options.parts ?? findComputerParts(env);
  const notice = (line: string) => {
    if (told.has(line)) return;
    told.add(line);
    options.onNotice?.(line);
  };
  const { xvfb, xdotool, imagemagick, windowManager, chromium } = verdict.parts;
  let desktop: VirtualDisplay | undefined;
  if (env.COLLEAGUE_DESKTOP !== "off") {
    if (verdict.desktopMissing || !xvfb || !xdotool || !imagemagick) notice(`the desktop (computer tool) is off: ${verdict.desktopMissing}`);
    else desktop = new VirtualDisplay({ xvfb, xdotool, imagemagick, ...(windowManager ? { windowManager } : {}) }, options.screen ?? screenFrom(env));
  }
  let browser: BrowserSession | undefined;
  if (env.COLLEAGUE_BROWSER !== "off") {
    if (!chromium) notice(`the browser tools are off: ${verdict.browserMissing}`);
    else {
      const shown = desktop;
      browser = new BrowserSession({
        chromium,
        workspace: options.workspace,
        allowsHost: options.allowsHost,
        ...(shown ? { desktop: () => (shown.display ? { display: shown.display, screen: shown.screen } : undefined) } : {}),
      });
    }
  }
  const tools = [...(browser ? createBrowserTools(browser) : []), ...(desktop ? [createComputerTool(desktop).tool] : [])];
  return {
    tools,
    ...(browser ? { browser } : {}),
    ...(desktop ? { desktop } : {}),
    async close() {
      await browser?.close();
      desktop?.close();
    },
  };
}

/** COLLEAGUE_DESKTOP_SIZE ("1920x1080"), or the default screen. */
function screenFrom(env: NodeJS.ProcessEnv): Size {
  const match = /^(\d{3,5})x(\d{3,5})$/.exec(env.COLLEAGUE_DESKTOP_SIZE ?? "");
  return match ? { width: Number(match[1]), height: Number(match[2]) } : DEFAULT_SCREEN;
}

export { findComputerParts } from "./parts.js";
