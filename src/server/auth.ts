import { createHmac, timingSafeEqual } from "node:crypto";
import type { Context } from "hono";

/**
 * Who may call the server: a client with the bearer token (the CLI, `attach`, editors, the typed
 * client), or a browser that signed in once with the token and now carries an HttpOnly cookie.
 *
 * The cookie holds an HMAC of the token, never the token itself: it cannot be replayed as a
 * bearer token, and `colleague serve --new-token` signs every browser out. A browser sends
 * cookies with requests that other sites trigger, so a cookie-authenticated request that can
 * change something must also prove it comes from the dashboard's own page: it carries the
 * custom header below (a cross-site page cannot set one without a CORS preflight, which this
 * server never grants with credentials) and its Origin / Sec-Fetch-Site say same origin.
 */

export const SESSION_COOKIE = "colleague_session";
/** The header every state-changing request from the dashboard carries (any value). */
export const CSRF_HEADER = "x-colleague-csrf";
/** How long a browser stays signed in. */
const COOKIE_MAX_AGE_S = 7 * 24 * 3600;

export type Credential = "bearer" | "cookie";

export class Authenticator {
  private readonly token: Buffer;
  private readonly cookieValue: Buffer;

  constructor(token: string) {
    this.token = Buffer.from(token);
    this.cookieValue = Buffer.from(createHmac("sha256", token).update("colleague dashboard sign-in v1").digest("base64url"));
  }

  /** The credential a request carries, if it is valid. */
  credentialOf(c: Context): Credential | undefined {
    const header = c.req.header("authorization");
    if (header) return sameBytes(Buffer.from(header.replace(/^Bearer\s+/i, "")), this.token) ? "bearer" : undefined;
    const cookie = cookieOf(c.req.header("cookie"), SESSION_COOKIE);
    if (cookie !== undefined && sameBytes(Buffer.from(cookie), this.cookieValue)) return "cookie";
    return undefined;
  }

  /** Whether a sign-in form sent the right token. */
  tokenMatches(given: string): boolean {
    return sameBytes(Buffer.from(given), this.token);
  }

  /** The Set-Cookie header that signs a browser in (Secure when the page came over https). */
  signInCookie(c: Context): string {
    return cookieHeader(this.cookieValue.toString(), COOKIE_MAX_AGE_S, isHttps(c));
  }

  signOutCookie(c: Context): string {
    return cookieHeader("", 0, isHttps(c));
  }
}

/**
 * Why a browser request that changes state must be refused as possibly cross-site, or
 * undefined when it is the dashboard's own: same origin by Sec-Fetch-Site and Origin, and the
 * custom header present.
 */
export function crossSiteRefusal(c: Context): string | undefined {
  const site = c.req.header("sec-fetch-site");
  if (site !== undefined && site !== "same-origin") return `a ${site} request cannot change anything (Sec-Fetch-Site)`;
  const origin = c.req.header("origin");
  if (origin !== undefined && origin !== originOf(c)) return `requests from ${origin} cannot change anything here`;
  if (c.req.header(CSRF_HEADER) === undefined) return `a signed-in browser request that changes state needs the ${CSRF_HEADER} header`;
  return undefined;
}

export const changesState = (method: string): boolean => !["GET", "HEAD", "OPTIONS"].includes(method);

/** This server's own origin as the browser sees it (scheme and Host of the request). */
function originOf(c: Context): string {
  const url = new URL(c.req.url);
  const host = c.req.header("host") ?? url.host;
  return `${isHttps(c) ? "https" : "http"}://${host}`;
}

function isHttps(c: Context): boolean {
  return new URL(c.req.url).protocol === "https:" || c.req.header("x-forwarded-proto") === "https";
}

function cookieHeader(value: string, maxAge: number, secure: boolean): string {
  return `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAge}${secure ? "; Secure" : ""}`;
}

function cookieOf(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

function sameBytes(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
