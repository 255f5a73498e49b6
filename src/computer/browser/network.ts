/**
 * Which addresses the browser may load. The workspace's own app on this machine is always
 * reachable; any other host only when the permission rules allow it (`web: <host>` rules, the
 * sandbox's allowed hosts), the same decision web_fetch gets. Schemes that reach the disk or
 * the browser's insides (file:, chrome:, …) are refused outright.
 */
export type HostCheck = (host: string) => boolean;

const LOCAL_HOSTS = new Set(["127.0.0.1", "localhost", "::1"]);
/** Schemes that load nothing from the network or the disk. */
const INERT_SCHEMES = new Set(["about:", "data:", "blob:"]);

export type Verdict = { ok: true } | { ok: false; host: string; reason: string };

export function isLocalHost(host: string): boolean {
  const bare = host.toLowerCase().replace(/^\[|\]$/g, "");
  return LOCAL_HOSTS.has(bare) || bare.endsWith(".localhost");
}

export function judgeUrl(url: string, allows: HostCheck): Verdict {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, host: "", reason: `not a URL: ${url}` };
  }
  if (INERT_SCHEMES.has(parsed.protocol)) return { ok: true };
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    return { ok: false, host: "", reason: `the browser opens http and https pages only, not ${parsed.protocol}` };
  }
  const host = parsed.hostname.toLowerCase().replace(/^\[|\]$/g, "");
  if (isLocalHost(host) || allows(host)) return { ok: true };
  return {
    ok: false,
    host,
    reason: `the host ${host} is blocked: no permission rule allows it (add "web: ${host}" to permissions.allow in ~/.colleague/config.json to allow it)`,
  };
}
