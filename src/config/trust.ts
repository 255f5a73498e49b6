import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, realpathSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";

/**
 * Which projects the user trusts to steer keys or run code. A project's config files come with
 * the repository, so whoever wrote the repository wrote them: its provider endpoints, headers and
 * keys (and, later, its hooks and MCP servers) only apply once the user has trusted that project.
 * The list lives in the user's home (`trusted.json`), which the agent's tools cannot write.
 */
export interface TrustEntry {
  trustedAt: string;
  /** A hash of the project's steering settings when it was trusted (to say when they changed). */
  configHash?: string;
}

interface TrustList {
  version: 1;
  trusted: Record<string, TrustEntry>;
  /** Projects whose question the user answered "no": not asked again, still listed by the notice. */
  declined: Record<string, { askedAt: string }>;
}

export function trustFile(home: string): string {
  return path.join(home, "trusted.json");
}

/** The key a project is trusted under: its real path, so a symlinked checkout is the same project. */
export function projectKey(root: string): string {
  try {
    return realpathSync(path.resolve(root));
  } catch {
    return path.resolve(root);
  }
}

function readList(home: string): TrustList {
  try {
    const value = JSON.parse(readFileSync(trustFile(home), "utf8")) as Partial<TrustList>;
    return { version: 1, trusted: { ...value.trusted }, declined: { ...value.declined } };
  } catch {
    // Missing or unreadable: nothing is trusted, the safe direction.
    return { version: 1, trusted: {}, declined: {} };
  }
}

function writeList(home: string, list: TrustList): void {
  mkdirSync(home, { recursive: true, mode: 0o700 });
  const file = trustFile(home);
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(list, null, 2)}\n`, { mode: 0o600 });
  renameSync(temp, file);
}

/** Whether the user trusted the project at `root` (for the MCP client, hooks and provider settings). */
export function isProjectTrusted(home: string, root: string): boolean {
  return Object.hasOwn(readList(home).trusted, projectKey(root));
}

export function trustEntry(home: string, root: string): TrustEntry | undefined {
  return readList(home).trusted[projectKey(root)];
}

export function trustProject(home: string, root: string, configHash?: string): string {
  const key = projectKey(root);
  const list = readList(home);
  list.trusted[key] = { trustedAt: new Date().toISOString(), ...(configHash ? { configHash } : {}) };
  delete list.declined[key];
  writeList(home, list);
  return key;
}

/** Forgets trust (and an earlier "no"); true when the project was trusted. */
export function untrustProject(home: string, root: string): boolean {
  const key = projectKey(root);
  const list = readList(home);
  const was = Object.hasOwn(list.trusted, key);
  delete list.trusted[key];
  delete list.declined[key];
  writeList(home, list);
  return was;
}

export function declineProject(home: string, root: string): void {
  const list = readList(home);
  list.declined[projectKey(root)] = { askedAt: new Date().toISOString() };
  writeList(home, list);
}

export function wasDeclined(home: string, root: string): boolean {
  return Object.hasOwn(readList(home).declined, projectKey(root));
}

export function trustedProjects(home: string): Array<{ root: string } & TrustEntry> {
  return Object.entries(readList(home).trusted)
    .map(([root, entry]) => ({ root, ...entry }))
    .sort((a, b) => a.root.localeCompare(b.root));
}

/** A stable hash of steering settings (key order does not matter). */
export function steeringHash(values: unknown): string {
  return createHash("sha256").update(stableJson(values)).digest("hex").slice(0, 16);
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}
