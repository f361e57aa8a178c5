import { sql, type Kysely } from "kysely";

// Frozen: a migration that has run is never edited; a change is a new file.
// A user may hold several live codes of one purpose (a fresh one no longer voids the last, so a
// stranger asking for codes cannot burn the owner's), and wrong guesses are limited per guesser
// by the rate limits instead of killing the code (so a stranger guessing cannot either). Codes
// are now HMACs under a key: those stored before were plain SHA-256 and can no longer be checked,
// so they are dropped — their holders ask for a new one.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`delete from email_codes`.execute(db);
  await sql`alter table email_codes drop constraint email_codes_pkey`.execute(db);
  await db.schema.alterTable("email_codes").dropColumn("attempts").execute();
  await sql`alter table email_codes add constraint email_codes_pkey primary key (user_id, purpose, code_hash)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`delete from email_codes`.execute(db);
  await sql`alter table email_codes drop constraint email_codes_pkey`.execute(db);
  await db.schema
    .alterTable("email_codes")
    .addColumn("attempts", "integer", (col) => col.notNull().defaultTo(0))
    .execute();
  await sql`alter table email_codes add constraint email_codes_pkey primary key (user_id, purpose)`.execute(db);
}
