import { readFileSync } from "node:fs";
import path from "node:path";

/**
 * Whether an ignore rule could leave a new file out of a snapshot, answered without git and on
 * the safe side: "no" only when no pattern in any ignore file that applies to the path could
 * match it or a folder above it. Every pattern is widened to a regular expression that matches
 * at least what git's would (`*` and `?` may cross a `/`, a bracket is any one character, a
 * folder-only pattern may match a file, case is ignored); negations are left out, since they can only bring a
 * file back; a pattern with a backslash, an unclosed bracket or anything else unusual counts as
 * a match. A "yes" costs nothing but a git process: the snapshot is then staged by git.
 */

interface Rule {
  /** The folder the pattern is relative to (workspace-relative, "" for the top). */
  base: string;
  /** Whether it names a path from `base` (it had a `/` before its end) or a name at any depth. */
  anchored: boolean;
  regex: RegExp;
}

export interface IgnoreRules {
  rules: Rule[];
  /** A pattern that could not be widened safely: every new file is treated as possibly ignored. */
  unsure: boolean;
}

/**
 * The rules of every `.gitignore` in `gitignores` (workspace-relative paths) and of `topLevel`
 * files (the user's exclude file, the shadow repository's own exclude list), which apply from
 * the top of the workspace.
 */
export function readIgnoreRules(root: string, gitignores: string[], topLevel: string[]): IgnoreRules {
  const out: IgnoreRules = { rules: [], unsure: false };
  const add = (file: string, base: string) => {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (error) {
      // A missing exclude file has no rules; an unreadable one might.
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") out.unsure = true;
      return;
    }
    for (const line of text.split(/\r?\n/)) {
      const rule = parseRule(line, base);
      if (rule === "unsure") out.unsure = true;
      else if (rule) out.rules.push(rule);
    }
  };
  for (const file of gitignores) add(path.join(root, file), path.posix.dirname(file) === "." ? "" : path.posix.dirname(file));
  for (const file of topLevel) add(file, "");
  return out;
}

/** One line of an ignore file as a widened rule; undefined for blanks, comments and negations. */
function parseRule(line: string, base: string): Rule | "unsure" | undefined {
  if (line === "" || line.startsWith("#") || line.startsWith("!")) return undefined;
  if (line.includes("\\")) return "unsure";
  let pattern = line.replace(/ +$/, "");
  if (pattern === "") return undefined;
  pattern = pattern.replace(/\/+$/, "");
  if (pattern === "") return "unsure";
  const anchored = pattern.includes("/");
  pattern = pattern.replace(/^\//, "");
  const source = widen(pattern);
  return source === undefined ? "unsure" : { base, anchored, regex: new RegExp(`^${source}$`, "is") };
}

/** A glob as a regular expression that matches at least what git's wildmatch does. */
function widen(glob: string): string | undefined {
  let out = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string;
    if (glob.startsWith("**/", i) && (i === 0 || glob[i - 1] === "/")) {
      out += "(?:.*/)?";
      i += 2;
    } else if (c === "*") {
      out += ".*";
    } else if (c === "?") {
      out += ".";
    } else if (c === "[") {
      const close = glob.indexOf("]", i + 2);
      if (close < 0) return undefined;
      out += ".";
      i = close;
    } else {
      out += c.replace(/[.+^${}()|\]\\]/g, "\\$&");
    }
  }
  return out;
}

/** Whether some rule could match `file` (workspace-relative) or one of the folders above it. */
export function couldBeIgnored(rules: IgnoreRules, file: string): boolean {
  if (rules.unsure) return true;
  for (const rule of rules.rules) {
    if (rule.base !== "" && !file.startsWith(`${rule.base}/`)) continue;
    const parts = (rule.base === "" ? file : file.slice(rule.base.length + 1)).split("/");
    for (let i = 0; i < parts.length; i++) {
      const candidate = rule.anchored ? parts.slice(0, i + 1).join("/") : (parts[i] as string);
      if (rule.regex.test(candidate)) return true;
    }
  }
  return false;
}
