import { realpathSync } from "node:fs";
import type { Scenario } from "../../src/model/scenario.js";
import type { Approver } from "../../src/policy/approver.js";
import { denyingApprover } from "../../src/policy/approver.js";
import type { AuditLog } from "../../src/policy/audit.js";
import type { PermissionMode, PolicyLayers } from "../../src/policy/config.js";
import { createPolicyHooks } from "../../src/policy/hooks.js";
import type { Judge } from "../../src/policy/monitors/judge.js";
import type { Tier } from "../../src/policy/tiers.js";
import { runScenario, tempRepo } from "../helpers.js";

export interface PolicyRun {
  layers?: PolicyLayers;
  mode?: PermissionMode;
  approver?: Approver;
  interactive?: boolean;
  tier?: Tier;
  judge?: Judge;
  audit?: AuditLog;
  files?: Record<string, string>;
  task?: string;
}

/** Runs a scripted scenario as a session with the policy hooks (and the local, unsandboxed runner). */
export async function runWithPolicy(scenario: Scenario, options: PolicyRun = {}) {
  const cwd = realpathSync(tempRepo(options.files ?? {}));
  const hooks = createPolicyHooks({
    workspace: cwd,
    layers: options.layers ?? { user: {}, project: {} },
    ...(options.mode ? { mode: options.mode } : {}),
    approver: options.approver ?? denyingApprover,
    interactive: options.interactive ?? options.approver !== undefined,
    ...(options.tier ? { tier: options.tier } : {}),
    ...(options.judge ? { judge: options.judge } : {}),
    ...(options.audit ? { audit: options.audit } : {}),
  });
  const run = await runScenario(scenario, { cwd, hooks, ...(options.task ? { task: options.task } : {}) });
  return { ...run, cwd, hooks };
}
