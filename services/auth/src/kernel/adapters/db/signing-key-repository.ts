import type { Kysely, Transaction } from "kysely";
import type { AuthDatabase, SigningKeyRow } from "./schema";

type Db = Kysely<AuthDatabase> | Transaction<AuthDatabase>;

// The key of an algorithm: EdDSA (access tokens, the provider's JWT access tokens) or RS256 (the
// OpenID provider's ID tokens).
export type SigningAlg = "EdDSA" | "RS256";

export async function findOldestSigningKey(db: Db, alg: SigningAlg = "EdDSA"): Promise<SigningKeyRow | undefined> {
  return db.selectFrom("signing_keys").selectAll().where("alg", "=", alg).orderBy("create_time").orderBy("kid").limit(1).executeTakeFirst();
}

// Two replicas starting at once may both generate a key; the first insert wins and both then use
// the oldest key, so they sign with the same kid.
export async function insertSigningKey(db: Db, kid: string, privateJwk: object, alg: SigningAlg = "EdDSA"): Promise<void> {
  await db
    .insertInto("signing_keys")
    .values({ kid, private_jwk: JSON.stringify(privateJwk), alg })
    .onConflict((oc) => oc.doNothing())
    .execute();
}
