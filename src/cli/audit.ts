import path from "node:path";
import { colleagueHome } from "../config/config.js";
import { verifyAuditLog } from "../policy/audit.js";
import { parseFlags } from "./args.js";
import { COMMANDS } from "./commands.js";
import { EXIT, UsageError } from "./errors.js";

/** Default audit log: $COLLEAGUE_HOME/audit.jsonl. */
export function defaultAuditPath(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(colleagueHome(env), "audit.jsonl");
}

/** `colleague audit verify [--file F]`: checks the hash chain; exit 0 intact, 1 tampered. */
export function auditCommand(argv: string[]): number {
  const { values, positionals } = parseFlags(argv, COMMANDS.audit.flags, "audit");
  if (positionals[0] !== "verify") throw new UsageError("audit: the only subcommand is `verify` (colleague audit verify)");
  const file = path.resolve(values.file ?? defaultAuditPath());
  const result = verifyAuditLog(file);
  if (values.json) process.stdout.write(`${JSON.stringify({ file, ...result })}\n`);
  else if (result.ok) process.stdout.write(`audit log intact: ${result.records} records (${file})\n`);
  else {
    process.stdout.write(`audit log FAILED verification (${file}):\n`);
    for (const problem of result.problems) process.stdout.write(`  ${problem}\n`);
  }
  return result.ok ? EXIT.ok : EXIT.failed;
}
