import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { probeSandboxBackends } from "../../src/policy/sandbox/index.js";
import { findOnPath } from "../../src/policy/sandbox/probe.js";

/**
 * The attacks of test/security/ run as root and as an unprivileged user, on every backend that
 * works here. Commands go through a child process (test/security/sandbox-attack.mjs, the built
 * library) started directly or through `setpriv --reuid`, so each user meets the sandbox exactly
 * as a colleague of theirs would.
 */

export const NOBODY = 65534;
export const ATTACK_SCRIPT = path.resolve("test/security/sandbox-attack.mjs");
export const BIN = path.resolve("bin/colleague.js");

export type Backend = "bubblewrap" | "unshare";
export const BACKENDS: readonly Backend[] = ["bubblewrap", "unshare"];

export interface AttackUser {
  name: "root" | "unprivileged";
  uid: number;
  /** Why this user cannot be tested here (tests run unprivileged cannot become root). */
  missing?: string;
}

const isRoot = process.getuid?.() === 0;
const setpriv = findOnPath("setpriv");

/** Root, and an unprivileged user: nobody through setpriv when the tests run as root, else the current user. */
export function attackUsers(): AttackUser[] {
  const uid = process.getuid?.() ?? 0;
  return [
    { name: "root", uid: 0, ...(isRoot ? {} : { missing: "the tests run unprivileged and cannot become root" }) },
    isRoot
      ? { name: "unprivileged", uid: NOBODY, ...(setpriv ? {} : { missing: "setpriv (util-linux) is not installed" }) }
      : { name: "unprivileged", uid },
  ];
}

const reports = probeSandboxBackends();
/** Why `backend` cannot be tested here, or undefined. */
export function backendMissing(backend: Backend): string | undefined {
  const report = reports.find((r) => r.backend === backend)!;
  return report.ok ? undefined : `${report.reason} (fix: ${report.fix})`;
}

const bases: string[] = [];
export function cleanUp(): void {
  for (const base of bases.splice(0)) rmSync(base, { recursive: true, force: true });
}

/** Outside /tmp (the sandbox's private /tmp would cover it), owned by `uid`. */
export function scratch(uid: number, prefix = "colleague-sec-"): string {
  const root = "/var/tmp";
  mkdirSync(root, { recursive: true });
  const base = realpathSync(mkdtempSync(path.join(root, prefix)));
  bases.push(base);
  if (uid !== process.getuid?.()) chownSync(base, uid, uid);
  return base;
}

/** Makes `dir` (and everything in it) belong to `uid`. */
export function giveTo(dir: string, uid: number): void {
  if (uid === process.getuid?.()) return;
  execFileSync("chown", ["-R", `${uid}:${uid}`, dir]);
}

export interface Place {
  base: string;
  workspace: string;
  home: string;
  outside: string;
}

/** A workspace (a git repository), a HOME with a key in ~/.ssh and a git identity, and a folder outside both. */
export function place(user: AttackUser): Place {
  const base = scratch(user.uid);
  const workspace = path.join(base, "ws");
  const home = path.join(base, "home");
  const outside = path.join(base, "outside");
  for (const dir of [workspace, path.join(home, ".ssh"), outside]) mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(home, ".ssh", "id_ed25519"), "PRIVATE KEY MATERIAL");
  writeFileSync(path.join(home, ".gitconfig"), "[user]\n\tname = Sandbox Tester\n\temail = tester@example.com\n[init]\n\tdefaultBranch = main\n");
  writeFileSync(path.join(workspace, "README.md"), "hello\n");
  execFileSync("git", ["init", "-q", workspace], { env: { ...process.env, HOME: home } });
  giveTo(base, user.uid);
  return { base, workspace, home, outside };
}

/** The environment for a child as `user`: PATH and the like, plus `extra`; HOME set per job. */
function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const name of ["PATH", "LANG", "TERM"]) if (process.env[name]) env[name] = process.env[name];
  return { ...env, ...extra };
}

/** Starts `argv` as `user`, in `cwd`. */
export function spawnAs(user: AttackUser, argv: string[], options: { env: NodeJS.ProcessEnv; cwd: string }): ChildProcess {
  const asUser = user.uid === process.getuid?.() ? argv : [setpriv!, `--reuid=${user.uid}`, `--regid=${user.uid}`, "--clear-groups", "--", ...argv];
  return spawn(asUser[0]!, asUser.slice(1), { env: options.env, cwd: options.cwd, stdio: ["ignore", "pipe", "pipe"] });
}

export interface Outcome {
  exitCode: number | null;
  output: string;
}

export interface Job {
  workspace: string;
  home: string;
  commands: string[];
  killAfterMs?: number;
  killAfterSpawnMs?: number;
}

/** Runs the jobs' commands in `backend`'s sandbox as `user`; one outcome per command. */
export async function attack(user: AttackUser, backend: Backend, jobs: Job[], env: Record<string, string> = {}): Promise<Outcome[]> {
  const child = spawnAs(user, [process.execPath, ATTACK_SCRIPT, JSON.stringify({ backend, jobs })], { env: childEnv({ HOME: jobs[0]!.home, ...env }), cwd: jobs[0]!.workspace });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d: Buffer) => (stdout += d));
  child.stderr!.on("data", (d: Buffer) => (stderr += d));
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  if (code !== 0) throw new Error(`attack runner (${user.name}, ${backend}) exited ${code}: ${stderr.slice(0, 2000)}`);
  return stdout
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Outcome);
}

/** Starts a job's first command and kills the runner `killAfterMs` later; resolves when the runner is dead. */
export async function attackAndDie(user: AttackUser, backend: Backend, job: Job): Promise<void> {
  const child = spawnAs(user, [process.execPath, ATTACK_SCRIPT, JSON.stringify({ backend, jobs: [job] })], { env: childEnv({ HOME: job.home }), cwd: job.workspace });
  let stderr = "";
  child.stderr!.on("data", (d: Buffer) => (stderr += d));
  const signal = await new Promise<NodeJS.Signals | null>((resolve) => child.on("close", (_code, sig) => resolve(sig)));
  if (signal !== "SIGKILL") throw new Error(`attack runner was to kill itself, ended with ${signal}: ${stderr.slice(0, 2000)}`);
}

/** A number no other process uses, for `sleep <marker>`, so its processes can be found in /proc. */
export function marker(): string {
  return `${1000 + Math.floor(Math.random() * 8000)}.${Math.floor(Math.random() * 1e6)}`;
}

/** The pids of live processes running `sleep <marker>` (zombies excluded). */
export function sleepers(mark: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const argv = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0");
      if (!argv.includes(mark) || !argv.some((a) => a === "sleep" || a.endsWith("/sleep"))) continue;
      const state = readFileSync(`/proc/${entry}/stat`, "utf8").split(") ")[1]?.[0];
      if (state !== "Z") found.push(Number(entry));
    } catch {
      // exited meanwhile
    }
  }
  return found;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until no `sleep <marker>` is alive or `ms` pass; returns the pids still alive. */
export async function waitForNoSleepers(mark: string, ms: number): Promise<number[]> {
  const until = Date.now() + ms;
  let alive = sleepers(mark);
  while (alive.length && Date.now() < until) {
    await sleep(50);
    alive = sleepers(mark);
  }
  return alive;
}

/** A scripted scenario file readable by `uid`. */
export function scenarioFor(uid: number, scenario: unknown): string {
  const dir = scratch(uid, "colleague-sec-scenario-");
  const file = path.join(dir, "scenario.json");
  writeFileSync(file, JSON.stringify(scenario));
  giveTo(dir, uid);
  return file;
}

/** An environment for the CLI as `user`: no provider keys, its own COLLEAGUE_HOME, full-auto. */
export function cliEnv(user: AttackUser, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const colleagueHome = path.join(scratch(user.uid, "colleague-sec-home-"), "colleague");
  mkdirSync(colleagueHome);
  giveTo(path.dirname(colleagueHome), user.uid);
  return childEnv({ COLLEAGUE_HOME: colleagueHome, COLLEAGUE_PERMISSION_MODE: "full-auto", COLLEAGUE_RETRY_BASE_MS: "1", NO_COLOR: "1", ...extra });
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  pid: number;
}

/** Runs the CLI as `user` to its end. */
export async function cliAs(user: AttackUser, args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<CliRun> {
  const child = spawnAs(user, [process.execPath, BIN, ...args], { env, cwd });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d: Buffer) => (stdout += d));
  child.stderr!.on("data", (d: Buffer) => (stderr += d));
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  return { code, stdout, stderr, pid: child.pid! };
}

/** The sandbox runner folders of process `pid` left in `tmp` (the runner makes them in the system temp folder). */
export function runnerFoldersOf(pid: number, tmp = os.tmpdir()): string[] {
  return existsSync(tmp) ? readdirSync(tmp).filter((n) => n.startsWith(`colleague-sandbox-${pid}-`)) : [];
}
