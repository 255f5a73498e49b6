/** The policy layer's public API (permissions, sandbox, monitors, tiers, honesty, audit). */
export { type ApprovalAnswer, type ApprovalRequest, type Approver, denyingApprover, scriptedApprover, terminalApprover } from "./approver.js";
export { AuditLog, type AuditRecord, verifyAuditLog } from "./audit.js";
export { loadPolicyLayers, type PermissionMode, type PolicyLayers } from "./config.js";
export { findDiscrepancies, gatherEvidence } from "./honesty.js";
export { createPolicyHooks, type PolicyHooks, type PolicyOptions } from "./hooks.js";
export { createModelJudge, type Judge } from "./monitors/judge.js";
export { Monitor } from "./monitors/monitor.js";
export { CATEGORIES, type Category, callText, type Verdict } from "./monitors/types.js";
export { PermissionPolicy } from "./permissions.js";
export {
  createSandbox,
  probeSandboxBackends,
  type Sandbox,
  type SandboxBackend,
  type SandboxOptions,
  SandboxUnavailable,
  scrubEnv,
  unsandboxedRunner,
} from "./sandbox/index.js";
export { loadTier, type Tier } from "./tiers.js";
