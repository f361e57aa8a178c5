import { createHmac } from "node:crypto";
import { derivedKey } from "@flowshield/common/crypto/derived-key";
import { matchesSecret, sha256 } from "@flowshield/common/crypto/secret-digest";

// The hosted pages' CSRF tokens: an HMAC of what a form belongs to (an interaction, a browser's
// random cookie) under a key of the pages' own purpose, so a token made for one is no use for another.
export function formTokens(secret: Uint8Array, purpose: string) {
  const key = derivedKey(secret, purpose);
  const tokenFor = (value: string) => createHmac("sha256", key).update(value).digest("base64url");
  return {
    tokenFor,
    // Compared in constant time.
    valid: (value: string, given: string | null) => matchesSecret(given ?? "", sha256(tokenFor(value))),
  };
}
