/**
 * Secrets stay out of commands: a command (and anything it runs, or any script a model wrote)
 * can print its environment, so keys that colleague itself needs (the provider's) or that the
 * user exported for other tools (GITHUB_TOKEN, AWS_SECRET_ACCESS_KEY …) are removed before any
 * command starts, sandboxed or not. `passEnv` lists the names the user wants passed anyway.
 */

/** Names that hold credentials, matched case-insensitively. */
const SECRET_NAMES: readonly RegExp[] = [
  /_API_KEY$/i,
  /_TOKEN$/i,
  /_SECRET/i,
  /PASSWORD/i,
  // The providers' variables: keys, and endpoints that may embed them.
  /^(ANTHROPIC|OPENAI|COMPATIBLE)_/i,
];

export function isSecretName(name: string): boolean {
  return SECRET_NAMES.some((pattern) => pattern.test(name));
}

/** A copy of `env` without the variables that look like secrets, except those in `passEnv`. */
export function scrubEnv(env: NodeJS.ProcessEnv, passEnv: readonly string[] = []): NodeJS.ProcessEnv {
  const keep = new Set(passEnv.map((name) => name.toUpperCase()));
  const out: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) continue;
    if (isSecretName(name) && !keep.has(name.toUpperCase())) continue;
    out[name] = value;
  }
  return out;
}
