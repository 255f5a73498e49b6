import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

/**
 * The server's bearer token, kept in the colleague home (readable by the user only). Created on
 * the first start (the caller shows it once) and replaced by `colleague serve --new-token`.
 */
export function serverToken(home: string, renew = false): { token: string; file: string; created: boolean } {
  const file = path.join(home, "server-token");
  if (!renew && existsSync(file)) {
    const token = readFileSync(file, "utf8").trim();
    if (token) return { token, file, created: false };
  }
  mkdirSync(home, { recursive: true, mode: 0o700 });
  const token = randomBytes(24).toString("base64url");
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return { token, file, created: true };
}
