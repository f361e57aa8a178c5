import { readFile } from "node:fs/promises";
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from "jose";
import type { Kysely } from "kysely";
import { findOldestSigningKey, insertSigningKey } from "../db/signing-key-repository";
import type { AuthDatabase } from "../db/schema";
import type { SigningKey, SigningKeySource } from "../signing-keys";

// The OpenID provider signs with two keys: the auth service's Ed25519 key (EdDSA: its JWT access
// tokens, and ID tokens for clients that ask for EdDSA), and an RSA key for RS256 ID tokens, which
// OpenID discovery requires every provider to offer. Both are private JWKs with their kid, as
// oidc-provider's `jwks` takes them.
export interface ProviderKeys {
  privateJwks: JWK[];
  // The same keys' public halves, for /.well-known/jwks.json and the provider's own jwks_uri.
  publicJwks: JWK[];
}

// Like the signing key: given through OIDC_RSA_KEY / OIDC_RSA_KEY_FILE in production; otherwise
// generated on first start and kept in the auth database.
export async function loadProviderKeys(
  db: Kysely<AuthDatabase>,
  signingKey: SigningKey,
  rsaSource: SigningKeySource,
): Promise<ProviderKeys> {
  const rsa = await loadRsaKey(db, rsaSource);
  const ed25519 = { ...signingKey.publicJwk, d: Buffer.from(signingKey.secret).toString("base64url") };
  return { privateJwks: [ed25519, rsa], publicJwks: [signingKey.publicJwk, publicPart(rsa)] };
}

async function loadRsaKey(db: Kysely<AuthDatabase>, source: SigningKeySource): Promise<JWK> {
  const given = source.json ?? (source.file !== undefined ? await readFile(source.file, "utf8") : undefined);
  if (given !== undefined) return withKid(parseRsaJwk(given));
  const stored = await findOldestSigningKey(db, "RS256");
  if (stored !== undefined) return withKid(stored.private_jwk as JWK);
  const { privateKey } = await generateKeyPair("RS256", { modulusLength: 2048, extractable: true });
  const jwk = await exportJWK(privateKey);
  await insertSigningKey(db, await calculateJwkThumbprint(jwk), jwk, "RS256");
  const winner = await findOldestSigningKey(db, "RS256");
  return withKid((winner?.private_jwk ?? jwk) as JWK);
}

function parseRsaJwk(text: string): JWK {
  let jwk: unknown;
  try {
    jwk = JSON.parse(text);
  } catch {
    // The text is a secret: say what is wrong without echoing it.
    throw new Error("the OIDC RSA key is not valid JSON");
  }
  if (typeof jwk !== "object" || jwk === null || (jwk as JWK).kty !== "RSA" || (jwk as JWK).d === undefined) {
    throw new Error("the OIDC RSA key must be a private RSA JWK (kty RSA, with d)");
  }
  return jwk as JWK;
}

function publicPart(jwk: JWK): JWK {
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, oth: _oth, ...publicJwk } = jwk;
  return publicJwk;
}

async function withKid(jwk: JWK): Promise<JWK> {
  return { ...jwk, kid: await calculateJwkThumbprint(publicPart(jwk)), alg: "RS256", use: "sig" };
}
