import { Readable, Writable } from "node:stream";
import { ndJsonStream } from "@agentclientprotocol/sdk";
import { isEffortSetting } from "../agent/effort.js";
import { parsePermissionMode } from "../host/guard.js";
import { AcpAgent } from "../server/acp/agent.js";
import { choiceFlag, intFlag, numberFlag, parseFlags } from "./args.js";
import { COMMANDS } from "./commands.js";
import { UsageError } from "./errors.js";
import { version } from "./version.js";

/**
 * `colleague acp`: the Agent Client Protocol over stdio, for editors (Zed, JetBrains, …) and
 * harnesses (Harbor). stdout is the protocol channel: nothing else may be written there, so
 * notices and stray console output go to stderr. Ends when the client closes stdin.
 */
export async function acpCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, COMMANDS.acp.flags, "acp");
  if (positionals.length) throw new UsageError(`acp takes no arguments, got "${positionals.join(" ")}"`);
  const effort = values.effort;
  if (effort !== undefined && !isEffortSetting(effort)) throw new UsageError(`--effort must be low, medium, high, max or auto, got "${effort}"`);
  const permissionMode = parsePermissionMode(values["permission-mode"]);
  const sandbox = choiceFlag(values.sandbox, "sandbox", ["on", "off"] as const);
  const maxSteps = intFlag(values["max-steps"], "max-steps");
  const budgetUsd = numberFlag(values["budget-usd"], "budget-usd");

  // Anything that logs (a library, a stray debug line) must not corrupt the JSON-RPC stream.
  const toStderr = (...args: unknown[]) => process.stderr.write(`${args.map(String).join(" ")}\n`);
  console.log = toStderr;
  console.info = toStderr;
  console.debug = toStderr;

  const acp = new AcpAgent({
    version: version(),
    ...(values.model ? { model: values.model } : {}),
    ...(effort ? { effort } : {}),
    ...(permissionMode ? { permissionMode } : {}),
    ...(sandbox ? { sandbox } : {}),
    ...(maxSteps ? { maxSteps } : {}),
    ...(budgetUsd ? { budgetUsd } : {}),
    onNotice: (line) => process.stderr.write(`colleague: ${line}\n`),
  });
  const stream = ndJsonStream(Writable.toWeb(process.stdout) as WritableStream<Uint8Array>, Readable.toWeb(process.stdin) as ReadableStream<Uint8Array>);
  const connection = acp.app().connect(stream);
  const stop = () => connection.close();
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  await connection.closed.catch(() => undefined);
  await acp.close();
  return 0;
}
