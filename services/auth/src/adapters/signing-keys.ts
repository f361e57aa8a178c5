import { readFile } from "node:fs/promises";
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from "jose";
import type { Kysely } from "kysely";
import type { AuthDatabase } from "./db/schema";
import { findOldestSigningKey, insertSigningKey, type SigningAlg } from "./db/signing-key-repository";

export const SIGNING_ALG = "EdDSA";

export interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  // For verifying our own access tokens (the auth service's bearer-token RPCs).
  publicKey: CryptoKey;
  // The public half as published in the JWKS.
  publicJwk: JWK;
  // The private key's bytes, from which other server-side keys are derived (adapters/secrets.ts).
  secret: Uint8Array;
}

export interface SigningKeySource {
  // A private JWK as JSON text (AUTH_SIGNING_KEY) or a file holding one (AUTH_SIGNING_KEY_FILE).
  json?: string;
  file?: string;
}

// Production gives the key through the environment or a mounted file. Without one, the key is
// generated on first start and kept in the auth database, which suits development.
export async function loadSigningKey(db: Kysely<AuthDatabase>, source: SigningKeySource): Promise<SigningKey> {
  return fromPrivateJwk(
    await loadPrivateJwk(db, source, {
      alg: SIGNING_ALG,
      kty: "OKP",
      name: "signing key",
      describe: "a private Ed25519 JWK (kty OKP, with d)",
    }),
  );
}

// A private JWK of an algorithm: given (JSON text in the environment, or a file), else the oldest
// of that algorithm in the database, else a new one stored there. Two replicas starting at once
// may both generate one; the first insert wins and both use the oldest.
export async function loadPrivateJwk(
  db: Kysely<AuthDatabase>,
  source: SigningKeySource,
  key: { alg: SigningAlg; kty: string; name: string; describe: string },
): Promise<JWK> {
  const given = source.json ?? (source.file !== undefined ? await readFile(source.file, "utf8") : undefined);
  if (given !== undefined) return parsePrivateJwk(given, key);
  const stored = await findOldestSigningKey(db, key.alg);
  if (stored !== undefined) return stored.private_jwk as JWK;
  const { privateKey } =
    key.alg === "EdDSA"
      ? await generateKeyPair("EdDSA", { crv: "Ed25519", extractable: true })
      : await generateKeyPair(key.alg, { modulusLength: 2048, extractable: true });
  const jwk = await exportJWK(privateKey);
  await insertSigningKey(db, await calculateJwkThumbprint(jwk), jwk, key.alg);
  const winner = await findOldestSigningKey(db, key.alg);
  return (winner?.private_jwk ?? jwk) as JWK;
}

function parsePrivateJwk(text: string, key: { kty: string; name: string; describe: string }): JWK {
  let jwk: unknown;
  try {
    jwk = JSON.parse(text);
  } catch {
    // The text is a secret: say what is wrong without echoing it.
    throw new Error(`the ${key.name} is not valid JSON`);
  }
  if (typeof jwk !== "object" || jwk === null || (jwk as JWK).kty !== key.kty || (jwk as JWK).d === undefined) {
    throw new Error(`the ${key.name} must be ${key.describe}`);
  }
  return jwk as JWK;
}

export async function fromPrivateJwk(jwk: JWK): Promise<SigningKey> {
  const { d: _private, ...publicJwk } = jwk;
  const kid = await calculateJwkThumbprint(publicJwk);
  const privateKey = (await importJWK({ ...jwk, alg: SIGNING_ALG }, SIGNING_ALG)) as CryptoKey;
  const publicKey = (await importJWK({ ...publicJwk, alg: SIGNING_ALG }, SIGNING_ALG)) as CryptoKey;
  return {
    kid,
    privateKey,
    publicKey,
    publicJwk: { ...publicJwk, kid, alg: SIGNING_ALG, use: "sig" },
    secret: Buffer.from(jwk.d ?? "", "base64url"),
  };
}
