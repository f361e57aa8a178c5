import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { derivedKey } from "@flowshield/common/crypto/derived-key";
import type { PayloadKey } from "@flowshield/common/temporal/payload-codec";
import type { FactorSecretBox } from "../app/dependencies";

const IV_BYTES = 12;
const TAG_BYTES = 16;

// TOTP secrets at rest: AES-256-GCM under a key derived from the payload keys (PAYLOAD_KEYS), as
// "v1.<key id>.<iv+ciphertext+tag>". The payload keys are the ones already made to last and rotate
// — every key listed opens, the first seals — while the signing key is dropped once its tokens
// expire, and a factor secret must outlive it. A database dump alone opens nothing. The factor id
// is authenticated with the ciphertext: a secret moved to another row does not open.
export function createFactorSecretBox(keys: PayloadKey[]): FactorSecretBox {
  const derived = new Map(keys.map((k) => [k.id, derivedKey(k.key, "factor secrets v1")]));
  const current = keys[0];
  if (current === undefined) throw new Error("factor secrets: no payload key");
  return {
    seal(plaintext, factorId) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv("aes-256-gcm", derived.get(current.id)!, iv);
      cipher.setAAD(Buffer.from(`${current.id}\n${factorId}`));
      const body = Buffer.concat([iv, cipher.update(plaintext, "utf8"), cipher.final(), cipher.getAuthTag()]);
      return `v1.${current.id}.${body.toString("base64url")}`;
    },
    open(sealed, factorId) {
      const [version, keyId = "", text = ""] = sealed.split(".");
      const key = derived.get(keyId);
      if (version !== "v1" || key === undefined) throw new Error(`a factor secret sealed under an unknown key (${keyId})`);
      const body = Buffer.from(text, "base64url");
      const decipher = createDecipheriv("aes-256-gcm", key, body.subarray(0, IV_BYTES));
      decipher.setAAD(Buffer.from(`${keyId}\n${factorId}`));
      decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
      return Buffer.concat([decipher.update(body.subarray(IV_BYTES, body.length - TAG_BYTES)), decipher.final()]).toString("utf8");
    },
  };
}
