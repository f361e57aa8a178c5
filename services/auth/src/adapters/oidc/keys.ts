import { calculateJwkThumbprint, type JWK } from "jose";
import type { Kysely } from "kysely";
import type { AuthDatabase } from "../db/schema";
import { loadPrivateJwk, type SigningKey, type SigningKeySource } from "../signing-keys";

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
  return withKid(
    await loadPrivateJwk(db, source, { alg: "RS256", kty: "RSA", name: "OIDC RSA key", describe: "a private RSA JWK (kty RSA, with d)" }),
  );
}

function publicPart(jwk: JWK): JWK {
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, oth: _oth, ...publicJwk } = jwk;
  return publicJwk;
}

async function withKid(jwk: JWK): Promise<JWK> {
  return { ...jwk, kid: await calculateJwkThumbprint(publicPart(jwk)), alg: "RS256", use: "sig" };
}
