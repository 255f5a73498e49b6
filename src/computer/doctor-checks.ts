import { findComputerParts } from "./parts.js";

/** `colleague doctor`'s lines for computer use: each part, and which tools are on or why not. */
export function computerUseChecks(env: NodeJS.ProcessEnv = process.env): Array<{ name: string; ok: boolean; detail: string }> {
  const { parts, browserMissing, desktopMissing } = findComputerParts(env);
  const part = (name: string, found: string | undefined, pkg: string, use: string) => ({
    name,
    ok: !!found,
    detail: found ? `${found} (${use})` : `not found, so the ${use} are off (apt-get install ${pkg})`,
  });
  return [
    part("chromium", parts.chromium, "chromium", "browser tools"),
    part("xvfb", parts.xvfb, "xvfb", "desktop tools"),
    part("xdotool", parts.xdotool, "xdotool", "desktop tools"),
    part("imagemagick", parts.imagemagick, "imagemagick", "desktop tools"),
    // Optional: without a window manager windows still show, undecorated.
    { name: "openbox", ok: true, detail: parts.windowManager ?? "not found: desktop windows have no window manager (apt-get install openbox)" },
    {
      name: "computer",
      ok: !browserMissing && !desktopMissing,
      detail: [browserMissing ? `browser tools off: ${browserMissing}` : "browser tools on", desktopMissing ? `desktop off: ${desktopMissing}` : "desktop (computer tool) on"].join("; "),
    },
  ];
}
