import { readPolicyLayers } from "../host/guard.js";
import { formatCount, type ViewState } from "./view-model.js";

/** The lines `/status` prints: where, with what, how far. */
export function statusReport(view: ViewState, facts: { cwd: string; modelId: string; sessionName?: string }): string[] {
  const context = view.contextWindow ? `${formatCount(view.contextTokens)} of ${formatCount(view.contextWindow)} (${Math.round((view.contextTokens / view.contextWindow) * 100)}%)` : "unknown";
  return [
    `session    ${view.sessionId ?? "(none yet: the next message starts one)"}${facts.sessionName ? ` "${facts.sessionName}"` : ""}`,
    `workspace  ${facts.cwd}`,
    `model      ${facts.modelId} · effort ${view.effortSetting}${view.effort !== view.effortSetting ? ` (now ${view.effort})` : ""}`,
    `guard      ${view.permissionMode ? `${view.permissionMode}, sandbox ${view.sandbox ?? "?"}` : "set when the session starts (/permissions)"}`,
    `usage      ${formatCount(view.tokens)} tokens · $${view.costUsd.toFixed(4)} · context ${context}`,
    `state      ${view.busy ? "working" : "idle"}`,
  ];
}

/** The lines `/permissions` prints: the mode, the sandbox, and the rules from each config layer. */
export function permissionsReport(view: ViewState, cwd: string, home: string, chosenMode: string | undefined): string[] {
  const lines = [
    `mode     ${view.permissionMode ?? chosenMode ?? "from config (shown once a session starts)"}`,
    `sandbox  ${view.sandbox ?? "shown once a session starts"}`,
  ];
  try {
    const layers = readPolicyLayers(cwd, home);
    for (const [where, file] of [
      ["user", layers.user],
      ["project", layers.project],
    ] as const) {
      const p = file.permissions ?? {};
      for (const kind of ["allow", "ask", "deny"] as const) {
        for (const rule of p[kind] ?? []) lines.push(`${kind.padEnd(6)} ${rule}  (${where})`);
      }
    }
  } catch (error) {
    lines.push(`the rules could not be read: ${(error as Error).message}`);
  }
  if (lines.length === 2) lines.push("no allow/ask/deny rules in ~/.colleague/config.json or colleague.json");
  lines.push("change: --permission-mode read-only|ask|auto-edit|full-auto at start; rules in the config files");
  return lines;
}
