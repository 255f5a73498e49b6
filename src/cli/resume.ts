import { parseFlags } from "./args.js";
import { COMMANDS } from "./commands.js";
import { UsageError } from "./errors.js";
import { outputFormatOf, resumeSessionRef } from "./launch.js";

/** `colleague resume <id|name> [follow-up]` or `--last`: continue a session from its last completed step. */
export async function resumeCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, COMMANDS.resume.flags, "resume");
  const [id, ...rest] = values.last ? [undefined, ...positionals] : positionals;
  if (!values.last && !id) throw new UsageError("resume: give a session id or name, or --last (see `colleague sessions`)");
  return resumeSessionRef(id, values, rest.join(" ").trim(), outputFormatOf(values, "human"));
}
