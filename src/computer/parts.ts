import { existsSync } from "node:fs";
import { findOnPath } from "../policy/sandbox/probe.js";

/**
 * The machine's parts that computer use needs: Chromium for the browser tools; Xvfb, xdotool and
 * ImageMagick's `import` for the desktop (openbox is optional: without a window manager windows
 * still show, only undecorated). Nothing is ever downloaded: these come from the system's
 * packages (scripts/install-deps.sh), and a missing one turns its tools off with a reason.
 */
export interface ComputerParts {
  chromium?: string;
  xvfb?: string;
  xdotool?: string;
  /** ImageMagick's screen grabber (`import`), which also scales and crops. */
  imagemagick?: string;
  windowManager?: string;
}

export interface PartsVerdict {
  parts: ComputerParts;
  /** Why the browser tools are not offered, or undefined when they are. */
  browserMissing?: string;
  /** Why the desktop tool is not offered, or undefined when it is. */
  desktopMissing?: string;
}

const CHROMIUM_NAMES = ["chromium", "chromium-browser"];

/** Looks the parts up: COLLEAGUE_CHROMIUM names a browser binary; the rest come from PATH. */
export function findComputerParts(env: NodeJS.ProcessEnv = process.env): PartsVerdict {
  const chromium = env.COLLEAGUE_CHROMIUM
    ? existsSync(env.COLLEAGUE_CHROMIUM)
      ? env.COLLEAGUE_CHROMIUM
      : undefined
    : CHROMIUM_NAMES.map((name) => findOnPath(name, env)).find(Boolean);
  const parts: ComputerParts = {
    ...(chromium ? { chromium } : {}),
    ...optional("xvfb", findOnPath("Xvfb", env)),
    ...optional("xdotool", findOnPath("xdotool", env)),
    ...optional("imagemagick", findOnPath("import", env)),
    ...optional("windowManager", findOnPath("openbox", env)),
  };
  const browserMissing = chromium
    ? undefined
    : env.COLLEAGUE_CHROMIUM
      ? `COLLEAGUE_CHROMIUM names ${env.COLLEAGUE_CHROMIUM}, which is not there`
      : "chromium is not installed (apt-get install chromium, or scripts/install-deps.sh)";
  const lacking = [
    ...(parts.xvfb ? [] : ["xvfb"]),
    ...(parts.xdotool ? [] : ["xdotool"]),
    ...(parts.imagemagick ? [] : ["imagemagick"]),
  ];
  const desktopMissing = lacking.length ? `${lacking.join(", ")} ${lacking.length > 1 ? "are" : "is"} not installed (apt-get install ${lacking.join(" ")}, or scripts/install-deps.sh)` : undefined;
  return { parts, ...(browserMissing ? { browserMissing } : {}), ...(desktopMissing ? { desktopMissing } : {}) };
}

function optional<K extends keyof ComputerParts>(key: K, value: string | undefined): Partial<ComputerParts> {
  return value ? { [key]: value } : {};
}
