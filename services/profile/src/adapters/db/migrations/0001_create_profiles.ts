import { sql, type Kysely } from "kysely";

// Frozen: a migration that has run is never edited; a change is a new file.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("profiles")
    .addColumn("id", "uuid", (col) => col.primaryKey())
    .addColumn("user_id", "uuid", (col) => col.notNull())
    // Stored lower-cased, so the unique index below makes usernames unique without regard to case.
    .addColumn("username", "text", (col) => col.notNull().check(sql`username = lower(username)`))
    .addColumn("display_name", "text", (col) => col.notNull())
    .addColumn("bio", "text", (col) => col.notNull().defaultTo(""))
    .addColumn("create_time", "timestamptz", (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn("update_time", "timestamptz", (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("profiles_user_id_key").on("profiles").column("user_id").unique().execute();
  await db.schema.createIndex("profiles_username_key").on("profiles").column("username").unique().execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("profiles").execute();
}
