import { sql, type Kysely } from "kysely";

// Frozen: a migration that has run is never edited; a change is a new file.
// Passkeys: a challenge may also be a passkey registration's, and a passwordless sign-in's
// challenge belongs to no user until an assertion names its credential.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable("mfa_challenges")
    .addColumn("purpose", "text", (col) =>
      col
        .notNull()
        .defaultTo("sign_in")
        .check(sql`purpose in ('sign_in', 'step_up', 'passkey_registration')`),
    )
    .execute();
  await sql`update mfa_challenges set purpose = 'step_up' where session_id is not null`.execute(db);
  await db.schema
    .alterTable("mfa_challenges")
    .alterColumn("user_id", (col) => col.dropNotNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`delete from mfa_challenges where user_id is null or purpose = 'passkey_registration'`.execute(db);
  await db.schema
    .alterTable("mfa_challenges")
    .alterColumn("user_id", (col) => col.setNotNull())
    .execute();
  await db.schema.alterTable("mfa_challenges").dropColumn("purpose").execute();
}
