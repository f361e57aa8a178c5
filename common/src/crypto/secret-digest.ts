import { createHash, timingSafeEqual } from "node:crypto";

// SHA-256, the one digest FlowShield keeps of secrets and compares them by.
export function sha256(value: string): Buffer {
  return createHash("sha256").update(value).digest();
}

// Whether `given` is the secret whose SHA-256 is `expected`. Comparing digests keeps the
// comparison constant-time whatever the length sent.
export function matchesSecret(given: string, expected: Buffer): boolean {
  return timingSafeEqual(sha256(given), expected);
}
