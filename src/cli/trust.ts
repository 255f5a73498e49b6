import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { colleagueHome, projectSteering } from "../config/config.js";
import { trustedProjects, trustProject, untrustProject } from "../config/trust.js";
import { parseFlags } from "./args.js";
import { COMMANDS } from "./commands.js";
import { EXIT, UsageError } from "./errors.js";

/**
 * `colleague trust` lists the trusted projects; `trust add [path]` trusts the project holding
 * `path` (default: the current folder), so its provider settings apply; `trust remove [path]`
 * takes that back. Trust is kept in the colleague home, out of the agent's reach.
 */
export function trustCommand(argv: string[], env: NodeJS.ProcessEnv = process.env): number {
  const { values, positionals } = parseFlags(argv, COMMANDS.trust.flags, "trust");
  const [action, target, ...extra] = positionals;
  const home = colleagueHome(env);
  if (extra.length) throw new UsageError(`trust: unexpected "${extra[0]}" (colleague trust [add|remove] [path])`);
  if (action === undefined || action === "list") {
    const list = trustedProjects(home).map((entry) => ({ ...entry, changed: changedSince(entry.root, entry.configHash) }));
    if (values.json) {
      for (const entry of list) process.stdout.write(`${JSON.stringify(entry)}\n`);
    } else if (!list.length) {
      process.stdout.write("no trusted projects (colleague trust add [path] trusts one)\n");
    } else {
      for (const entry of list) {
        const note = entry.changed ? "  (its provider settings changed since)" : "";
        process.stdout.write(`${entry.root}  trusted ${entry.trustedAt.slice(0, 10)}${note}\n`);
      }
    }
    return EXIT.ok;
  }
  if (action !== "add" && action !== "remove") {
    throw new UsageError(`trust: unknown action "${action}": use colleague trust, colleague trust add [path] or colleague trust remove [path]`);
  }
  const folder = path.resolve(target ?? process.cwd());
  if (!existsSync(folder) || !statSync(folder).isDirectory()) throw new UsageError(`trust: ${folder} is not a folder`);
  const steering = projectSteering(folder);
  if (action === "add") {
    const root = trustProject(home, steering.root, steering.hash);
    const what = steering.settings.flatMap((s) => s.keys);
    process.stdout.write(`trusted ${root}${what.length ? `: its ${[...new Set(what)].join(", ")} now apply` : ""}\n`);
    return EXIT.ok;
  }
  const was = untrustProject(home, steering.root);
  process.stdout.write(was ? `no longer trusted: ${steering.root}\n` : `${steering.root} was not trusted\n`);
  return EXIT.ok;
}

/** Whether a trusted project's steering settings differ from those it was trusted with. */
function changedSince(root: string, hash: string | undefined): boolean {
  if (!hash || !existsSync(root)) return false;
  try {
    return projectSteering(root).hash !== hash;
  } catch {
    return true;
  }
}
