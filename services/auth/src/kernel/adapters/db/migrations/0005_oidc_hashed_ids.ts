import { sql, type Kysely } from "kysely";

// Frozen: a migration that has run is never edited; a change is a new file.
// The OpenID provider's rows name their account (account_id), so that ending a user's access ends
// the provider's sessions, grants, codes and tokens in the same transaction as the first-party
// sessions; and their ids — opaque tokens, codes, session cookies, interaction ids: bearer secrets
// — are kept only as SHA-256 (base64url), with the copy the provider puts in the payload (`jti`)
// dropped. A client's id is no secret and stays as it is.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("oidc_payloads").addColumn("account_id", "text").execute();
  await sql`update oidc_payloads set account_id = payload->>'accountId' where payload ? 'accountId'`.execute(db);
  await sql`create index oidc_payloads_account_id on oidc_payloads (account_id) where account_id is not null`.execute(db);
  await sql`
    update oidc_payloads
    set id = rtrim(translate(encode(sha256(convert_to(id, 'UTF8')), 'base64'), '+/', '-_'), '='),
        payload = payload - 'jti'
    where model <> 'Client'`.execute(db);
}

// The hashes cannot be undone: going back forgets every session, grant, code and token (their
// holders sign in again); clients stay.
export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`delete from oidc_payloads where model <> 'Client'`.execute(db);
  await db.schema.alterTable("oidc_payloads").dropColumn("account_id").execute();
}
