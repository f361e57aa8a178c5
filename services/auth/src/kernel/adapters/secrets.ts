import { createHmac, randomBytes, randomInt } from "node:crypto";
import { derivedKey } from "@flowshield/common/crypto/derived-key";
import { sha256 } from "@flowshield/common/crypto/secret-digest";
import type { Secrets } from "../app/dependencies";
import { CODE_ALPHABET, CODE_LENGTH } from "../../email-codes/domain/email-code";
import { newRecoveryCode } from "../../mfa/domain/recovery-codes";

function sha256Text(text: string): string {
  return sha256(text).toString("base64url");
}

// Refresh tokens are 32 random bytes, stored as SHA-256 hashes only; codes are 10 symbols of a
// 32-symbol alphabet, stored as HMACs under a key derived from the signing key (50 bits could be
// brute-forced from a plain hash; not without the key). A successor refresh token is an HMAC of its predecessor under a key
// derived from the signing key: the loser of a concurrent refresh can be handed the very token
// the winner got, though only hashes are stored; without the key no successor can be computed.
export function createSecrets(signingKeySecret: Uint8Array): Secrets {
  const successorKey = derivedKey(signingKeySecret, "refresh-token successor v1");
  const codeKey = derivedKey(signingKeySecret, "email codes v1");
  return {
    newRefreshToken: () => randomBytes(32).toString("base64url"),
    successorOf: (token) => createHmac("sha256", successorKey).update(token).digest("base64url"),
    hashToken: sha256Text,
    newCode: () => Array.from({ length: CODE_LENGTH }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join(""),
    hashCode: (purpose, userId, code) => createHmac("sha256", codeKey).update(`${purpose}:${userId}:${code}`).digest("base64url"),
    newRecoveryCode: () => newRecoveryCode(randomInt),
    hashRecoveryCode: (userId, code) => sha256Text(`recovery code:${userId}:${code}`),
  };
}
