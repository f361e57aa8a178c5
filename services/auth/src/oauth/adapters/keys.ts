import { calculateJwkThumbprint, type JWK } from "jose";
import type { Kysely } from "kysely";
import type { AuthDatabase } from "../../kernel/adapters/db/schema";
import { loadPrivateJwks, type SigningKey, type SigningKeys, type SigningKeySource } from "../../kernel/adapters/signing-keys";

// The OpenID provider signs with two keys: the auth service's Ed25519 key (EdDSA: its JWT access
// tokens, and ID tokens for clients that ask for EdDSA), and an RSA key for RS256 ID tokens, which
// OpenID discovery requires every provider to offer. Both are private JWKs with their kid, as
// oidc-provider's `jwks` takes them.
export interface ProviderKeys {
  privateJwks: JWK[];
  // The same keys' public halves, for /.well-known/jwks.json and the provider's own jwks_uri.
  publicJwks: JWK[];
}

// Like the signing key: given through OIDC_RSA_KEY / OIDC_RSA_KEY_FILE in production (a JWK, or a
// JWK Set whose first key signs); otherwise generated on first start and kept in the auth
// database. The signing keys come first: oidc-provider signs with the first key of an algorithm
// and publishes them all.
export async function loadProviderKeys(
  db: Kysely<AuthDatabase>,
  signingKeys: SigningKeys,
  rsaSource: SigningKeySource,
): Promise<ProviderKeys> {
  const [rsa, ...olderRsa] = await loadRsaKeys(db, rsaSource);
  const privateJwks = [privateEd25519(signingKeys.current), rsa!, ...signingKeys.others.map(privateEd25519), ...olderRsa];
  return { privateJwks, publicJwks: privateJwks.map(publicPart) };
}

const privateEd25519 = (key: SigningKey): JWK => ({ ...key.publicJwk, d: Buffer.from(key.secret).toString("base64url") });

async function loadRsaKeys(db: Kysely<AuthDatabase>, source: SigningKeySource): Promise<JWK[]> {
  const jwks = await loadPrivateJwks(db, source, {
    alg: "RS256",
    kty: "RSA",
    name: "OIDC RSA key",
    describe: "a private RSA JWK (kty RSA, with d)",
  });
  return Promise.all(jwks.map(withKid));
}

function publicPart(jwk: JWK): JWK {
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, oth: _oth, ...publicJwk } = jwk;
  return publicJwk;
}

async function withKid(jwk: JWK): Promise<JWK> {
  return { ...jwk, kid: await calculateJwkThumbprint(publicPart(jwk)), alg: "RS256", use: "sig" };
}
