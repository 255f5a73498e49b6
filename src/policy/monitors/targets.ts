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
