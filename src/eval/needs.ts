import { accessSync, constants } from "node:fs";
import path from "node:path";

/** The commands that stand for a task's `needs` entry (any one of them will do). */
const COMMANDS: Record<string, string[]> = {
  chromium: ["chromium", "chromium-browser", "google-chrome"],
  xvfb: ["Xvfb"],
  libreoffice: ["soffice", "libreoffice"],
  python: ["python3"],
};

function onPath(command: string, env: NodeJS.ProcessEnv): boolean {
  for (const dir of (env.PATH ?? "").split(path.delimiter)) {
    if (!dir) continue;
    try {
      accessSync(path.join(dir, command), constants.X_OK);
      return true;
    } catch {}
  }
  return false;
}

/** The entries of `needs` this machine lacks, each as "<need> (not on PATH)". */
export function missingNeeds(needs: string[], env: NodeJS.ProcessEnv = process.env): string[] {
  return needs.filter((need) => !(COMMANDS[need] ?? [need]).some((c) => onPath(c, env))).map((need) => `${need} (not on PATH)`);
}
