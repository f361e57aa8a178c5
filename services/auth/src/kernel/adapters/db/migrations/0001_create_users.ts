import { sql, type Kysely } from "kysely";

// Frozen: a migration that has run is never edited; a change is a new file.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("users")
    .addColumn("id", "uuid", (col) => col.primaryKey())
    .addColumn("email", "text", (col) => col.notNull())
    .addColumn("password_hash", "text", (col) => col.notNull())
    .addColumn("status", "text", (col) => col.notNull().check(sql`status in ('pending', 'active', 'disabled')`))
    .addColumn("create_time", "timestamptz", (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn("update_time", "timestamptz", (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
  // Emails are stored normalised; the index makes "one account per email" hold under concurrency.
  await db.schema.createIndex("users_email_key").on("users").column("email").unique().execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("users").execute();
}
