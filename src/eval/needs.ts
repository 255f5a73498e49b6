import { spawnSync } from "node:child_process";
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

let dockerAnswers: boolean | undefined;

/** Docker counts only when its daemon answers (a client alone runs nothing). */
function dockerWorks(env: NodeJS.ProcessEnv): boolean {
  dockerAnswers ??= spawnSync("docker", ["info"], { env, stdio: "ignore", timeout: 15_000 }).status === 0;
  return dockerAnswers;
}

/** The entries of `needs` this machine lacks, each with why: "<need> (not on PATH)" or "docker (its daemon does not answer)". */
export function missingNeeds(needs: string[], env: NodeJS.ProcessEnv = process.env): string[] {
  return needs.flatMap((need) => {
    if (!(COMMANDS[need] ?? [need]).some((c) => onPath(c, env))) return [`${need} (not on PATH)`];
    if (need === "docker" && !dockerWorks(env)) return ["docker (its daemon does not answer: `docker info` fails)"];
    return [];
  });
}
