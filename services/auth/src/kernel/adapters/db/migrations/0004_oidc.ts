import { sql, type Kysely } from "kysely";

// Frozen: a migration that has run is never edited; a change is a new file.
// The OpenID provider: what oidc-provider stores (sessions, grants, codes, tokens, clients), one
// table with a jsonb payload per model and id; and the algorithm of each signing key, so that an
// RS256 key for ID tokens can sit beside the Ed25519 key.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("oidc_payloads")
    .addColumn("model", "text", (col) => col.notNull())
    .addColumn("id", "text", (col) => col.notNull())
    .addColumn("payload", "jsonb", (col) => col.notNull())
    .addColumn("grant_id", "text")
    .addColumn("uid", "text")
    .addColumn("user_code", "text")
    .addColumn("expire_time", "timestamptz")
    // Set once, by the compare-and-set that consumes a code or a rotated refresh token.
    .addColumn("consume_time", "timestamptz")
    .addColumn("create_time", "timestamptz", (col) => col.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("oidc_payloads_pkey", ["model", "id"])
    .execute();
  await sql`create index oidc_payloads_grant_id on oidc_payloads (grant_id) where grant_id is not null`.execute(db);
  await sql`create index oidc_payloads_uid on oidc_payloads (uid) where uid is not null`.execute(db);
  await sql`create index oidc_payloads_user_code on oidc_payloads (user_code) where user_code is not null`.execute(db);
  await sql`create index oidc_payloads_expire_time on oidc_payloads (expire_time) where expire_time is not null`.execute(db);

  await db.schema
    .alterTable("signing_keys")
    .addColumn("alg", "text", (col) => col.notNull().defaultTo("EdDSA"))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("signing_keys").dropColumn("alg").execute();
  await db.schema.dropTable("oidc_payloads").execute();
}
