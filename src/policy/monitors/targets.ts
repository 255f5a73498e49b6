import { decodeUrl } from "./normalise.js";

/**
 * Network targets named in a text (hosts, IPs, URLs), for scope checks: a scan of 127.0.0.1 or
 * of a host inside a declared research scope is not the same act as a scan of someone's bank.
 */

const TLDS =
  "com|net|org|io|gov|edu|uk|ru|cn|de|fr|co|us|info|biz|app|dev|ai|me|tv|cc|xyz|site|online|example|internal|local|lan|test";
const HOST = new RegExp(`\\b(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\\.)+(?:${TLDS})\\b`, "gi");
const IPV4 = /\b(?:\d{1,3}\.){3}\d{1,3}(?:\/\d{1,2})?\b/g;
const FILE_EXT = /\.(?:py|js|ts|sh|txt|json|yml|yaml|md|exe|dll|so|pem|db|log|c|cpp|go|rs|rb|php|html|css|xml|hiv|dmp|tar|gz|zip)$/i;

export function extractTargets(text: string): string[] {
  const found = new Set<string>();
  for (const m of text.matchAll(IPV4)) found.add(m[0]);
  for (const m of text.matchAll(HOST)) {
    const host = m[0].toLowerCase();
    if (FILE_EXT.test(host)) continue;
    found.add(host);
  }
  if (/\blocalhost\b/i.test(text)) found.add("localhost");
  return [...found];
}

/** The machine itself: a user's own computer is always in scope. */
export function isLoopback(target: string): boolean {
  return target === "localhost" || /^127\./.test(target) || target === "0.0.0.0/32" || target === "::1";
}

/**
 * Public vulnerability databases and vendors' advisory pages. Reading one (a `web_fetch` of a CVE's
 * entry) attacks no one: the CVE id in its URL is the subject of the page, not a payload. A
 * command that names one of them beside another host still targets that other host.
 */
const REFERENCE_HOSTS = [
  "nvd.nist.gov",
  "cve.org",
  "cve.mitre.org",
  "osv.dev",
  "cisa.gov",
  "kb.cert.org",
  "jvn.jp",
  "security-tracker.debian.org",
  "msrc.microsoft.com",
  "access.redhat.com",
  "security.snyk.io",
  "avd.aquasec.com",
  "cvedetails.com",
  "euvd.enisa.europa.eu",
];

export function isReference(target: string): boolean {
  const host = target.toLowerCase();
  return REFERENCE_HOSTS.some((known) => host === known || host.endsWith(`.${known}`));
}

/** A host's first label or a path's segment that names a page about vulnerabilities. */
const REFERENCE_LABEL = /^(security|advisor(y|ies)|psirt|cve|nvd|vulndb|vulns?)$/i;
const REFERENCE_SEGMENT = /^(advisor(y|ies)|security-(advisories|bulletins)|vulnerabilit(y|ies)|vulns?|cves?|CVE-\d{4}-\d{4,}|bulletins?|psirt)$/i;
/** What a request sends when it attacks: quotes, markup, templates, command separators, a climb out of a path, a second address, SQL. */
const PAYLOAD = /['"<>{}`;|\\]|\.\.\/|\$\(|%00|\x00|\b(union|select|sleep|benchmark)\b|\/etc\/|https?:\/\/[\s\S]*https?:\/\/|169\.254\./i;

/**
 * A `web_fetch` of a page about a vulnerability rather than an attack on one: a vendor's advisory,
 * a CVE's entry, a search of an advisory database (`https://security.vendor.example/CVE-2024-3400`,
 * `https://advisories.example.org/search?q=pfSense%20RCE`). The host or the path says so, and the
 * URL, decoded, carries nothing an attack sends: the CVE or "RCE" in it is the subject of the page.
 */
export function isReferencePage(text: string): boolean {
  // The call as the monitors read it: the URL, then any number the tool takes (`max_chars`).
  const [raw = "", ...rest] = text.trim().split("\n");
  if (/\s/.test(raw) || rest.some((line) => !/^\s*\d*\s*$/.test(line))) return false;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (!/^https?:$/.test(url.protocol) || url.username || url.password) return false;
  let decoded = raw;
  for (let i = 0; i < 3 && /%[0-9a-f]{2}/i.test(decoded); i++) decoded = decodeUrl(decoded);
  if (PAYLOAD.test(decoded.slice(url.origin.length))) return false;
  const label = url.hostname.split(".")[0] ?? "";
  return REFERENCE_LABEL.test(label) || url.pathname.split("/").some((segment) => REFERENCE_SEGMENT.test(segment));
}
