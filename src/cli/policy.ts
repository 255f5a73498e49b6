import type { GuardChoice } from "../host/host.js";
import { parseSandboxSwitch } from "../host/guard.js";
import { POLICY_FLAGS } from "./commands.js";

/** The guard flags every command that runs an agent takes: run, resume, team, review, the TUI. */
export const policyFlags = POLICY_FLAGS;

export interface PolicyFlagValues {
  "permission-mode"?: string | boolean;
  sandbox?: string | boolean;
}

/** The person's choices from the flags (validated by the host: a bad value is one line, exit 2). */
export function guardChoice(flags: PolicyFlagValues): GuardChoice {
  const mode = typeof flags["permission-mode"] === "string" ? flags["permission-mode"] : undefined;
  const sandbox = parseSandboxSwitch(typeof flags.sandbox === "string" ? flags.sandbox : undefined);
  return { ...(mode ? { permissionMode: mode } : {}), ...(sandbox ? { sandbox } : {}) };
}
