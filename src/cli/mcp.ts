import { colleagueHome } from "../config/config.js";
import { PERMISSION_MODES, type PermissionMode } from "../policy/config.js";
import { startMcpHttp } from "../server/mcp/http.js";
import { createMcpServer, DEFAULT_MCP_PERMISSION_MODE } from "../server/mcp/tools.js";
import { SessionService } from "../server/sessions.js";
import { serverToken } from "../server/token.js";
import { intFlag, parseFlags } from "./args.js";
import { COMMANDS } from "./commands.js";
import { mcpListCommand } from "./mcp-list.js";
import { UsageError } from "./errors.js";
import { requireFolder } from "./folders.js";
import { version } from "./version.js";

/**
 * `colleague mcp`: colleague as an MCP server (tools run_task, steer, session_status), so Claude
 * Code, Codex or any MCP client can hand work to it. stdio by default (stdout is the protocol:
 * nothing else may print there), or streamable HTTP on 127.0.0.1 with `--http`, guarded by the
 * bearer token `colleague serve` uses. Nobody can be asked to approve a call, so what needs
 * approval is denied, and runs use at most --permission-mode (default auto-edit).
 */
export async function mcpCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, COMMANDS.mcp.flags, "mcp");
  if (positionals[0] === "list" && positionals.length === 1) {
    return mcpListCommand({ ...(values.cwd ? { cwd: values.cwd } : {}), ...(values.json ? { json: true } : {}) });
  }
  if (values.cwd !== undefined || values.json) throw new UsageError("--cwd and --json go with `colleague mcp list`");
  if (positionals.length) throw new UsageError(`mcp takes no arguments, got "${positionals.join(" ")}" (see \`colleague mcp --help\`)`);
  const mode = (values["permission-mode"] ?? DEFAULT_MCP_PERMISSION_MODE) as PermissionMode;
  if (!PERMISSION_MODES.includes(mode)) throw new UsageError(`--permission-mode must be one of ${PERMISSION_MODES.join(", ")}, got "${mode}"`);
  const http = values.http === true;
  if (!http && (values.port !== undefined || values["new-token"])) throw new UsageError("--port and --new-token go with --http");
  const port = values.port === "0" ? 0 : (intFlag(values.port, "port") ?? 4318);
  if (port > 65_535) throw new UsageError(`--port must be at most 65535, got ${port}`);
  const absRoots = (values.root?.length ? values.root : [process.cwd()]).map((root) => requireFolder(root, "--root"));

  // stdio: stdout carries the protocol, so anything a library prints goes to stderr instead.
  if (!http) {
    console.log = console.error;
    console.info = console.error;
    console.debug = console.error;
  }
  const notice = (line: string) => process.stderr.write(`colleague: ${line}\n`);
  // Approvals are answered (denied) by the MCP face at once; the timeout is only a backstop.
  const service = new SessionService({ roots: absRoots, approvalTimeoutMs: 60_000, onNotice: notice });
  const make = () => createMcpServer(service, absRoots, { permissionMode: mode, version: version() });

  let stop!: () => void;
  const stopped = new Promise<void>((resolve) => {
    stop = resolve;
  });
  process.once("SIGINT", () => stop());
  process.once("SIGTERM", () => stop());

  if (http) {
    const { token, file, created } = serverToken(colleagueHome(), values["new-token"] === true);
    const running = await startMcpHttp({ createServer: make, token, port });
    process.stdout.write(`colleague mcp on ${running.url} · workspaces under ${absRoots.join(", ")} · permission mode at most ${mode}\n`);
    if (created) process.stdout.write(`a new bearer token (shown once; kept in ${file}):\n${token}\n`);
    else process.stdout.write(`bearer token in ${file}\n`);
    await stopped;
    await running.close();
  } else {
    const { StdioServerTransport } = await import("@modelcontextprotocol/sdk/server/stdio.js");
    const server = make();
    const transport = new StdioServerTransport();
    // The client closing stdin ends the server.
    process.stdin.once("end", () => stop());
    transport.onclose = () => stop();
    await server.connect(transport);
    notice(`mcp on stdio · workspaces under ${absRoots.join(", ")} · permission mode at most ${mode}`);
    await stopped;
    await server.close().catch(() => {});
  }
  await service.close();
  return 0;
}
