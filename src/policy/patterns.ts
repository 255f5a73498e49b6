/**
 * Pattern matching for permission rules and tier scopes: path globs (`src/**`, `*.env`) and
 * command patterns (`git *`), plus a conservative split of a shell line into its commands.
 */

const cache = new Map<string, RegExp>();

/** Path glob: `**` any depth, `*` within one segment, `?` one character. */
export function pathGlob(pattern: string): RegExp {
  const key = `p:${pattern}`;
  let re = cache.get(key);
  if (!re) {
    let out = "";
    for (let i = 0; i < pattern.length; i++) {
      const c = pattern[i]!;
      if (c === "*" && pattern[i + 1] === "*") {
        const slash = pattern[i + 2] === "/";
        out += slash ? "(?:.*/)?" : ".*";
        i += slash ? 2 : 1;
      } else if (c === "*") out += "[^/]*";
      else if (c === "?") out += "[^/]";
      else out += escapeRegExp(c);
    }
    re = new RegExp(`^${out}$`);
    cache.set(key, re);
  }
  return re;
}

/** Command pattern: `*` matches anything (slashes and spaces too); `git *` also matches bare `git`. */
export function commandPattern(pattern: string): RegExp {
  const key = `c:${pattern}`;
  let re = cache.get(key);
  if (!re) {
    const trimmed = pattern.trim();
    const optionalTail = trimmed.endsWith(" *");
    const body = optionalTail ? trimmed.slice(0, -2) : trimmed;
    const out = body.split("*").map(escapeRegExp).join(".*");
    re = new RegExp(`^${out}${optionalTail ? "(?:\\s.*)?" : ""}$`, "s");
    cache.set(key, re);
  }
  return re;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * The commands of a shell line, split at `&&`, `||`, `;`, `|`, `&` and newlines, with leading
 * `VAR=value` assignments dropped. Quotes are not respected: splitting too much is the safe
 * direction for deny rules, and allow rules must then match every piece.
 */
export function splitCommands(line: string): string[] {
  return line
    .split(/&&|\|\||[;|&\n]/)
    .map((piece) => piece.trim().replace(/^(?:[A-Za-z_][A-Za-z0-9_]*=\S*\s+)+/, ""))
    .filter((piece) => piece.length > 0);
}

/** Command or process substitution: the line runs commands an allow rule cannot see. */
export function hasSubstitution(line: string): boolean {
  return /\$\(|`|<\(|>\(/.test(line);
}
