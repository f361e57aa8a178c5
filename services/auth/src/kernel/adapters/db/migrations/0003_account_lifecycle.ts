import { sql, type Kysely } from "kysely";

// Frozen: a migration that has run is never edited; a change is a new file.
// The account lifecycle: verified emails, the hash a registration waits with, single-use email
// codes, sessions with rotating refresh tokens, the audit trail and the rate limiter's counters.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable("users")
    .addColumn("email_verified", "boolean", (col) => col.notNull().defaultTo(false))
    .addColumn("email_verify_time", "timestamptz")
    .execute();
  // Accounts made before verification existed could never be asked to verify: they count as verified.
  await sql`update users set email_verified = true, email_verify_time = create_time`.execute(db);

  // Register stores the password's hash here, keyed by the user id it gives the saga, so that no
  // hash travels through Temporal; CreateUser takes it (and deletes it) in its transaction.
  await db.schema
    .createTable("registration_credentials")
    .addColumn("user_id", "uuid", (col) => col.primaryKey())
    .addColumn("password_hash", "text", (col) => col.notNull())
    .addColumn("create_time", "timestamptz", (col) => col.notNull().defaultTo(sql`now()`))
    .execute();

  // One live code per user and purpose: issuing a new one replaces (and so invalidates) the old.
  await db.schema
    .createTable("email_codes")
    .addColumn("user_id", "uuid", (col) => col.notNull().references("users.id").onDelete("cascade"))
    .addColumn("purpose", "text", (col) => col.notNull().check(sql`purpose in ('verify_email', 'reset_password')`))
    .addColumn("code_hash", "text", (col) => col.notNull())
    .addColumn("expire_time", "timestamptz", (col) => col.notNull())
    .addColumn("attempts", "integer", (col) => col.notNull().defaultTo(0))
    .addColumn("consume_time", "timestamptz")
    .addPrimaryKeyConstraint("email_codes_pkey", ["user_id", "purpose"])
    .execute();

  await db.schema
    .createTable("sessions")
    .addColumn("id", "uuid", (col) => col.primaryKey())
    .addColumn("user_id", "uuid", (col) => col.notNull().references("users.id").onDelete("cascade"))
    .addColumn("create_time", "timestamptz", (col) => col.notNull())
    .addColumn("last_use_time", "timestamptz", (col) => col.notNull())
    .addColumn("expire_time", "timestamptz", (col) => col.notNull())
    .addColumn("ip", "text", (col) => col.notNull())
    .addColumn("user_agent", "text", (col) => col.notNull())
    .addColumn("revoke_time", "timestamptz")
    .addColumn("revoke_reason", "text")
    .execute();
  await db.schema.createIndex("sessions_user_id_idx").on("sessions").column("user_id").execute();

  await db.schema
    .createTable("refresh_tokens")
    .addColumn("token_hash", "text", (col) => col.primaryKey())
    .addColumn("session_id", "uuid", (col) => col.notNull().references("sessions.id").onDelete("cascade"))
    .addColumn("create_time", "timestamptz", (col) => col.notNull())
    .addColumn("consume_time", "timestamptz")
    .execute();
  await db.schema.createIndex("refresh_tokens_session_id_idx").on("refresh_tokens").column("session_id").execute();

  // No foreign key on user_id: the trail outlives the accounts it speaks of.
  await db.schema
    .createTable("audit_events")
    .addColumn("id", "uuid", (col) => col.primaryKey())
    .addColumn("time", "timestamptz", (col) => col.notNull())
    .addColumn("type", "text", (col) => col.notNull())
    .addColumn("user_id", "uuid")
    .addColumn("request_id", "text", (col) => col.notNull())
    .addColumn("ip", "text", (col) => col.notNull())
    .addColumn("user_agent", "text", (col) => col.notNull())
    .addColumn("detail", "jsonb", (col) => col.notNull())
    .execute();
  await db.schema.createIndex("audit_events_time_idx").on("audit_events").columns(["time desc", "id desc"]).execute();
  await db.schema.createIndex("audit_events_user_time_idx").on("audit_events").columns(["user_id", "time desc", "id desc"]).execute();

  // rate-limiter-flexible's table (RateLimiterPostgres), made here rather than by the library at
  // start, so the schema has one owner.
  await db.schema
    .createTable("rate_limits")
    .addColumn("key", "varchar(255)", (col) => col.primaryKey())
    .addColumn("points", "integer", (col) => col.notNull().defaultTo(0))
    .addColumn("expire", "bigint")
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ["rate_limits", "audit_events", "refresh_tokens", "sessions", "email_codes", "registration_credentials"]) {
    await db.schema.dropTable(table).execute();
  }
  await db.schema.alterTable("users").dropColumn("email_verified").dropColumn("email_verify_time").execute();
}
