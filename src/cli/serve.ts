import { colleagueHome } from "../config/config.js";
import { startServer } from "../server/serve.js";
import { serverToken } from "../server/token.js";
import { intFlag, parseFlags } from "./args.js";
import { COMMANDS } from "./commands.js";
import { UsageError } from "./errors.js";
import { requireFolder } from "./folders.js";

/**
 * `colleague serve`: the protocol over HTTP and Server-Sent Events, for the dashboard, `attach`,
 * editors and scripts. Binds 127.0.0.1; every route needs the bearer token from the colleague
 * home (printed once when it is made); workspaces only under --root folders.
 */
export async function serveCommand(argv: string[]): Promise<number> {
  const { values } = parseFlags(argv, COMMANDS.serve.flags, "serve");
  const port = values.port === "0" ? 0 : (intFlag(values.port, "port") ?? 4317);
  if (port > 65_535) throw new UsageError(`--port must be at most 65535, got ${port}`);
  const timeout = intFlag(values["approval-timeout"], "approval-timeout");
  const roots = (values.root?.length ? values.root : [process.cwd()]).map((root) => requireFolder(root, "--root"));
  const home = colleagueHome();
  const { token, file, created } = serverToken(home, values["new-token"] === true);
  const server = await startServer({
    token,
    port,
    ...(values.host ? { host: values.host } : {}),
    roots,
    ...(values.store ? { store: values.store } : {}),
    ...(timeout ? { approvalTimeoutMs: timeout * 1000 } : {}),
    ...(values["cors-origin"]?.length ? { corsOrigins: values["cors-origin"] } : {}),
    onNotice: (line) => process.stderr.write(`colleague: ${line}\n`),
  });
  process.stdout.write(`colleague serve on ${server.url} · workspaces under ${roots.join(", ")}\n`);
  if (created) process.stdout.write(`a new bearer token (shown once; kept in ${file}):\n${token}\n`);
  else process.stdout.write(`bearer token in ${file}\n`);
  process.stdout.write(`dashboard: open ${server.url}/ and sign in with the token\n`);
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  await server.close();
  return 0;
}
