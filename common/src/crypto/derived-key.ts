import { hkdfSync } from "node:crypto";

// A key for one purpose, derived from a secret (the auth service's signing key): HKDF-SHA256 with
// the purpose as its info, so each use (cookies, CSRF tokens, refresh successors, mailed codes)
// has a key of its own and a value made for one is never valid for another.
export function derivedKey(secret: Uint8Array, purpose: string): Buffer {
  return Buffer.from(hkdfSync("sha256", secret, "", `flowshield ${purpose}`, 32));
}
