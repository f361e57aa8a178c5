import { sql, type Kysely } from "kysely";

// Frozen: a migration that has run is never edited; a change is a new file.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("signing_keys")
    .addColumn("kid", "text", (col) => col.primaryKey())
    .addColumn("private_jwk", "jsonb", (col) => col.notNull())
    .addColumn("create_time", "timestamptz", (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("signing_keys").execute();
}
