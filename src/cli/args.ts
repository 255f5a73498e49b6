import { type ParseArgsConfig, parseArgs } from "node:util";
import { didYouMean } from "../config/did-you-mean.js";
import { UsageError } from "./errors.js";

type Options = NonNullable<ParseArgsConfig["options"]>;

/**
 * Strict flag parsing: an unknown flag or a missing value is a UsageError, one line, with the
 * flag the person probably meant. `command` names the command in the message and the help hint.
 */
export function parseFlags<T extends Options>(argv: string[], options: T, command: string) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    const first = (error as Error).message.split("\n")[0]!.replace(/\. To specify a positional.*$/, "");
    const unknown = /^Unknown option '(-{1,2})([^']+)'/.exec(first);
    const helpHint = command === "colleague" ? "colleague --help" : `colleague ${command} --help`;
    if (unknown) {
      const guess = didYouMean(unknown[2]!, Object.keys(options));
      const meant = guess ? `; did you mean --${guess}?` : "";
      throw new UsageError(`${command}: unknown flag ${unknown[1]}${unknown[2]}${meant} (see \`${helpHint}\`)`);
    }
    throw new UsageError(`${command}: ${first} (see \`${helpHint}\`)`);
  }
}

export function intFlag(value: string | boolean | undefined, name: string): number | undefined {
  if (value === undefined || typeof value === "boolean") return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`--${name} must be a positive whole number, got "${value}"`);
  return n;
}

export function numberFlag(value: string | boolean | undefined, name: string): number | undefined {
  if (value === undefined || typeof value === "boolean") return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`--${name} must be a positive number, got "${value}"`);
  return n;
}

/** A string flag restricted to a few values. */
export function choiceFlag<C extends string>(value: string | boolean | undefined, name: string, choices: readonly C[]): C | undefined {
  if (value === undefined || typeof value === "boolean") return undefined;
  if ((choices as readonly string[]).includes(value)) return value as C;
  const guess = didYouMean(value, choices);
  throw new UsageError(`--${name} must be one of ${choices.join(", ")}, got "${value}"${guess ? `; did you mean ${guess}?` : ""}`);
}
