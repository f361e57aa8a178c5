import { sql, type Kysely } from "kysely";

// Frozen: a migration that has run is never edited; a change is a new file.
// The risk engine: each account's learned normal, each registration's assessment (a retried saga
// step answers the first one), and the accounts that must verify their email before signing in.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("risk_profiles")
    .addColumn("user_id", "uuid", (col) => col.primaryKey().references("users.id").onDelete("cascade"))
    // risk/domain/account-normal.ts's AccountNormal: counts of countries, networks, device
    // hashes and hours, and the last sign-in's approximate place. No address, no user agent.
    .addColumn("normal", "jsonb", (col) => col.notNull())
    .addColumn("update_time", "timestamptz", (col) => col.notNull())
    .execute();

  // Made before the user exists (the saga's first step), so no foreign key; purged after a day.
  await db.schema
    .createTable("registration_risk")
    .addColumn("user_id", "uuid", (col) => col.primaryKey())
    .addColumn("decision", "text", (col) => col.notNull().check(sql`decision in ('allow', 'verify_first', 'hold', 'refuse')`))
    .addColumn("score", "real", (col) => col.notNull())
    .addColumn("reasons", sql`text[]`, (col) => col.notNull())
    .addColumn("policy_version", "text", (col) => col.notNull())
    .addColumn("create_time", "timestamptz", (col) => col.notNull())
    .execute();
  await db.schema.createIndex("registration_risk_create_time").on("registration_risk").column("create_time").execute();

  await db.schema
    .alterTable("users")
    .addColumn("verify_first", "boolean", (col) => col.notNull().defaultTo(false))
    .execute();

  // A new sign-in's notice carries a code that ends every session ("this was not me").
  await sql`alter table email_codes drop constraint email_codes_purpose_check`.execute(db);
  await sql`alter table email_codes add constraint email_codes_purpose_check
    check (purpose in ('verify_email', 'reset_password', 'end_sessions'))`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`delete from email_codes where purpose = 'end_sessions'`.execute(db);
  await sql`alter table email_codes drop constraint email_codes_purpose_check`.execute(db);
  await sql`alter table email_codes add constraint email_codes_purpose_check check (purpose in ('verify_email', 'reset_password'))`.execute(
    db,
  );
  await db.schema.alterTable("users").dropColumn("verify_first").execute();
  await db.schema.dropTable("registration_risk").execute();
  await db.schema.dropTable("risk_profiles").execute();
}
