import type { Kysely, Transaction } from "kysely";
import type { AuthDatabase, SigningKeyRow } from "./schema";

type Db = Kysely<AuthDatabase> | Transaction<AuthDatabase>;

export async function findOldestSigningKey(db: Db): Promise<SigningKeyRow | undefined> {
  return db.selectFrom("signing_keys").selectAll().orderBy("create_time").orderBy("kid").limit(1).executeTakeFirst();
}

// Two replicas starting at once may both generate a key; the first insert wins and both then use
// the oldest key, so they sign with the same kid.
export async function insertSigningKey(db: Db, kid: string, privateJwk: object): Promise<void> {
  await db
    .insertInto("signing_keys")
    .values({ kid, private_jwk: JSON.stringify(privateJwk) })
    .onConflict((oc) => oc.doNothing())
    .execute();
}
