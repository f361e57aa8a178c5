import { sql, type Kysely } from "kysely";

// Frozen: a migration that has run is never edited; a change is a new file.
// Second factors: TOTP secrets (sealed) and passkeys, recovery codes (hashed), the challenges a
// sign-in's second step answers, and what each session proved.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("factors")
    .addColumn("id", "uuid", (col) => col.primaryKey())
    .addColumn("user_id", "uuid", (col) => col.notNull().references("users.id").onDelete("cascade"))
    .addColumn("type", "text", (col) => col.notNull().check(sql`type in ('totp', 'passkey')`))
    .addColumn("name", "text", (col) => col.notNull())
    .addColumn("create_time", "timestamptz", (col) => col.notNull())
    // Unset while an enrolment waits for its first code: such a factor does not count.
    .addColumn("confirm_time", "timestamptz")
    .addColumn("last_use_time", "timestamptz")
    // TOTP: the secret, sealed (AES-256-GCM), and the last time step a code was accepted for.
    .addColumn("totp_secret", "text")
    .addColumn("totp_last_step", "bigint")
    // Passkeys: the credential as @simplewebauthn/server hands it over.
    .addColumn("credential_id", "text", (col) => col.unique())
    .addColumn("public_key", "bytea")
    .addColumn("sign_count", "bigint")
    .addColumn("transports", sql`text[]`)
    .addColumn("backed_up", "boolean")
    .addColumn("device_type", "text")
    .execute();
  await db.schema.createIndex("factors_user_id").on("factors").column("user_id").execute();

  await db.schema
    .createTable("recovery_codes")
    .addColumn("user_id", "uuid", (col) => col.notNull().references("users.id").onDelete("cascade"))
    // SHA-256 of the user id and the code (80 bits): never the code itself.
    .addColumn("code_hash", "text", (col) => col.notNull())
    .addColumn("consume_time", "timestamptz")
    .addPrimaryKeyConstraint("recovery_codes_pkey", ["user_id", "code_hash"])
    .execute();

  await db.schema
    .createTable("mfa_challenges")
    // SHA-256 of the challenge id: the id itself is never stored.
    .addColumn("id_hash", "text", (col) => col.primaryKey())
    .addColumn("user_id", "uuid", (col) => col.notNull().references("users.id").onDelete("cascade"))
    .addColumn("session_id", "uuid")
    .addColumn("amr", sql`text[]`, (col) => col.notNull())
    .addColumn("kinds", sql`text[]`, (col) => col.notNull())
    .addColumn("webauthn_challenge", "text")
    .addColumn("expire_time", "timestamptz", (col) => col.notNull())
    // Set while a CompleteLogin answers it, and for good once answered or failed too often.
    .addColumn("claim_time", "timestamptz")
    .addColumn("failures", "integer", (col) => col.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex("mfa_challenges_expire_time").on("mfa_challenges").column("expire_time").execute();

  // What a session's sign-in proved (RFC 8176 methods), and when it last proved a second factor.
  await db.schema
    .alterTable("sessions")
    .addColumn("amr", sql`text[]`, (col) => col.notNull().defaultTo(sql`'{pwd}'`))
    .addColumn("factor_time", "timestamptz")
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("sessions").dropColumn("amr").dropColumn("factor_time").execute();
  await db.schema.dropTable("mfa_challenges").execute();
  await db.schema.dropTable("recovery_codes").execute();
  await db.schema.dropTable("factors").execute();
}
