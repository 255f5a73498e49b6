import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { backendFromEnv, createSandbox, probeSandboxBackends, type SandboxBackend, SandboxUnavailable } from "../policy/sandbox/index.js";
import { findOnPath } from "../policy/sandbox/probe.js";
import { ripgrepPath } from "../tools/ripgrep.js";
import { parseFlags } from "./args.js";
import { requireFolder } from "./folders.js";
import { COMMANDS } from "./commands.js";
import { UsageError } from "./errors.js";
import { colleagueHome } from "../config/config.js";
import { readPolicyLayers } from "../host/guard.js";
import { officeChecks } from "./doctor-office.js";
import { computerUseChecks } from "../computer/doctor-checks.js";

/**
 * `colleague doctor`: what this machine gives colleague. Above all which sandbox backends work
 * here and, for each that does not, why and how to fix it, because a session without one runs
 * commands unsandboxed (asking first) and a new user should not have to read the code to know.
 */

interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

export async function doctorCommand(argv: string[]): Promise<number> {
  const { values } = parseFlags(argv, COMMANDS.doctor.flags, "doctor");
  const cwd = values.cwd ? requireFolder(values.cwd, "--cwd") : process.cwd();
  const backends = probeSandboxBackends();
  const session = sessionBackend(cwd);
  const checks = await quickChecks();
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ backends, session, checks })}\n`);
    return 0;
  }
  const out: string[] = ["Sandbox backends (tried in this order):"];
  for (const b of backends) {
    out.push(`  ${b.backend.padEnd(11)} ${b.ok ? "works" : `does not work: ${b.reason}`}`);
    if (!b.ok && b.fix) out.push(`  ${"".padEnd(11)} fix: ${b.fix}`);
  }
  out.push(`A session here uses: ${session.backend}${session.why ? ` (${session.why})` : ""}`);
  if (session.backend === "none") {
    out.push("  Commands then run unsandboxed (secrets still scrubbed): every command asks first; full-auto refuses. Fix a backend above.");
  }
  out.push("Checks:");
  for (const c of checks) out.push(`  ${c.ok ? "ok  " : "FAIL"} ${c.name.padEnd(9)} ${c.detail}`);
  process.stdout.write(`${out.join("\n")}\n`);
  return 0;
}

/** The backend a session started here would use, and what chose it. */
function sessionBackend(cwd: string): { backend: SandboxBackend | "off"; why?: string } {
  let forced: SandboxBackend | undefined;
  let why = "the first backend that works";
  try {
    forced = backendFromEnv();
    if (forced) why = `forced by COLLEAGUE_SANDBOX_BACKEND=${forced}`;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const user = readPolicyLayers(cwd, colleagueHome()).user.sandbox ?? {};
  if (!forced && user.backend) {
    forced = user.backend;
    why = `forced by sandbox.backend in the user config`;
  }
  if (process.env.COLLEAGUE_SANDBOX === "off") return { backend: "off", why: "COLLEAGUE_SANDBOX=off" };
  if (user.enabled === false) return { backend: "off", why: "sandbox.enabled is false in the user config" };
  try {
    const sandbox = createSandbox({ workspace: cwd, ...(forced ? { backend: forced } : {}) });
    return { backend: sandbox.backend, why: sandbox.backend === "none" && !forced ? "no backend works here" : why };
  } catch (error) {
    if (error instanceof SandboxUnavailable) return { backend: "none", why: `${why}, which does not work: ${error.message}` };
    throw error;
  }
}

async function quickChecks(): Promise<Check[]> {
  const rg = await ripgrepPath();
  const rgFull = path.isAbsolute(rg) ? rg : findOnPath(rg);
  const [major = 0, minor = 0] = process.versions.node.split(".").map(Number);
  const git = findOnPath("git");
  return [
    { name: "ripgrep", ok: !!rgFull && existsSync(rgFull), detail: rgFull ?? "not found (npm install, or install ripgrep)" },
    { name: "node", ok: major > 20 || (major === 20 && minor >= 19), detail: `${process.version} (needs >= 20.19)` },
    { name: "git", ok: !!git, detail: git ?? "not found on PATH (apt-get install git)" },
    homeCheck(colleagueHome()),
    ...officeChecks(),
    ...computerUseChecks(),
  ];
}

/** The home holds transcripts, the audit log and the server token: other users must not read it. */
function homeCheck(home: string): Check {
  if (!existsSync(home)) return { name: "home", ok: true, detail: `${home} (not created yet; made private when it is)` };
  const open = statSync(home).mode & 0o077;
  return open
    ? { name: "home", ok: false, detail: `${home} is readable by other users: chmod 700 ${home}` }
    : { name: "home", ok: true, detail: `${home} (private)` };
}
