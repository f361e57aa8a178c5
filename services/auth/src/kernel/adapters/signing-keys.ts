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
  // The private key's bytes, from which other server-side keys are derived (kernel/adapters/secrets.ts).
  secret: Uint8Array;
}

export interface SigningKeySource {
  // A private JWK, or a JWK Set of them, as JSON text (AUTH_SIGNING_KEY) or a file holding it
  // (AUTH_SIGNING_KEY_FILE).
  json?: string;
  file?: string;
}

// The key that signs, and the keys published beside it for a rotation without downtime: the next
// key, published ahead of its use so that verifiers have it before the first token it signs, or
// the previous one, published until the last token it signed has expired (deploy/README.md,
// rotating secrets). A key set's first key signs; every key verifies.
export interface SigningKeys {
  current: SigningKey;
  others: SigningKey[];
}

// Production gives the keys through the environment or a mounted file. Without them, a key is
// generated on first start and kept in the auth database, which suits development.
export async function loadSigningKeys(db: Kysely<AuthDatabase>, source: SigningKeySource): Promise<SigningKeys> {
  const jwks = await loadPrivateJwks(db, source, {
    alg: SIGNING_ALG,
    kty: "OKP",
    name: "signing key",
    describe: "a private Ed25519 JWK (kty OKP, with d)",
  });
  const [current, ...others] = await Promise.all(jwks.map(fromPrivateJwk));
  return { current: current!, others };
}

// The private JWKs of an algorithm, the signing one first: given (JSON text in the environment, or
// a file: one JWK or a JWK Set), else the oldest of that algorithm in the database, else a new one
// stored there. Two replicas starting at once may both generate one; the first insert wins and
// both use the oldest.
export async function loadPrivateJwks(
  db: Kysely<AuthDatabase>,
  source: SigningKeySource,
  key: { alg: SigningAlg; kty: string; name: string; describe: string },
): Promise<JWK[]> {
  const given = source.json ?? (source.file !== undefined ? await readFile(source.file, "utf8") : undefined);
  if (given !== undefined) return parsePrivateJwks(given, key);
  return [await storedPrivateJwk(db, key.alg)];
}

async function storedPrivateJwk(db: Kysely<AuthDatabase>, alg: SigningAlg): Promise<JWK> {
  const stored = await findOldestSigningKey(db, alg);
  if (stored !== undefined) return stored.private_jwk as JWK;
  const { privateKey } =
    alg === "EdDSA"
      ? await generateKeyPair("EdDSA", { crv: "Ed25519", extractable: true })
      : await generateKeyPair(alg, { modulusLength: 2048, extractable: true });
  const jwk = await exportJWK(privateKey);
  await insertSigningKey(db, await calculateJwkThumbprint(jwk), jwk, alg);
  const winner = await findOldestSigningKey(db, alg);
  return (winner?.private_jwk ?? jwk) as JWK;
}

function parsePrivateJwks(text: string, key: { kty: string; name: string; describe: string }): JWK[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // The text is a secret: say what is wrong without echoing it.
    throw new Error(`the ${key.name} is not valid JSON`);
  }
  const set = (parsed as { keys?: unknown } | null)?.keys;
  const jwks: unknown[] = Array.isArray(set) ? set : [parsed];
  if (jwks.length === 0) throw new Error(`the ${key.name} set has no key`);
  for (const [i, jwk] of jwks.entries()) {
    if (typeof jwk !== "object" || jwk === null || (jwk as JWK).kty !== key.kty || (jwk as JWK).d === undefined) {
      const which = Array.isArray(set) ? ` (key ${i + 1} of the set)` : "";
      throw new Error(`the ${key.name}${which} must be ${key.describe}`);
    }
  }
  return jwks as JWK[];
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
