import { readFileSync } from "node:fs";
import path from "node:path";
import { colleagueHome } from "../config/config.js";
import { ClientError, ColleagueClient } from "../protocol/client.js";
import { parseFlags } from "./args.js";
import { COMMANDS } from "./commands.js";
import { UsageError } from "./errors.js";

/**
 * `colleague attach <session> [--server URL]`: opens the terminal UI on a session that runs in
 * `colleague serve` (here or elsewhere); the token comes from --token, COLLEAGUE_SERVER_TOKEN or
 * the colleague home. Leaving detaches; the session goes on in the server.
 */
export async function attachCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, COMMANDS.attach.flags, "attach");
  const [id] = positionals;
  if (!id) throw new UsageError("attach: give a session id (see GET /sessions on the server, or `colleague sessions`)");
  const server = (values.server ?? process.env.COLLEAGUE_SERVER ?? "http://127.0.0.1:4317").replace(/\/+$/, "");
  const token = values.token ?? process.env.COLLEAGUE_SERVER_TOKEN ?? readToken();
  if (!process.stdin.isTTY || !process.stdout.isTTY) throw new UsageError("attach: needs a terminal");
  // A wrong id, token or server is one line now, not a broken screen.
  let full: string;
  try {
    full = (await new ColleagueClient({ url: server, token }).getSession(id)).session.id;
  } catch (error) {
    if (error instanceof ClientError) throw new UsageError(`attach: ${error.message}`);
    throw new UsageError(`attach: cannot reach ${server} (${(error as Error).message})`);
  }
  return (await import("../tui/attach.js")).attachTui({ server, token, sessionId: full });
}

function readToken(): string {
  const file = path.join(colleagueHome(), "server-token");
  try {
    return readFileSync(file, "utf8").trim();
  } catch {
    throw new UsageError(`attach: no token (--token, COLLEAGUE_SERVER_TOKEN, or ${file} from \`colleague serve\`)`);
  }
}
