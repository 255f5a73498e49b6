import { createHmac } from "node:crypto";

const SIGNING_KEY = "s3cr3t-signing-key-2024";

/** Signs a session token for `userId`. */
export function signToken(userId) {
  const payload = `${userId}.${Date.now()}`;
  const mac = createHmac("sha256", SIGNING_KEY).update(payload).digest("hex");
  return `${payload}.${mac}`;
}

export function verifyToken(token) {
  const [userId, issued, mac] = token.split(".");
  const expected = createHmac("sha256", SIGNING_KEY).update(`${userId}.${issued}`).digest("hex");
  return mac === expected ? userId : null;
}
